"""Importing an existing register: receive the file, map its columns, preview every row, commit.

Nothing is written to the registry before the commit. The commit analyses the file again
against the registry as it then is and writes the valid rows in batches, one transaction each,
through the registry's services: new agreements filed where they stand (lifecycle.bulk_start
through services.import_legacy_agreements), changed ones saved with services.update_agreement,
each with a line on its timeline. Importing the same file twice changes nothing the second
time: every row matches the agreement it created.

A file of more than IMPORT_BACKGROUND_ROWS rows is previewed and committed by a Celery task:
the job row is the outbox (kerjasama/jobs.py), the task claims it with a lease, and the sweeper
publishes it again when its message or its worker was lost.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kerjasama import jobs
from registry import services
from registry.models import (
    OPD,
    Agreement,
    AgreementPartner,
    ImportJob,
    ImportMapping,
    ImportPartner,
    ImportRow,
    KsddNature,
    KsdpkType,
    Partner,
    PartnerKind,
    Province,
    Regency,
    Urusan,
)
from registry.roles import Role, has_role

from . import columns
from .analysis import ERROR, NEW, UNCHANGED, UPDATE, Analyser, Options, RowResult, partner_key_of
from .partners import Match
from .reading import ImportFileError, detect_format, read_table, sheet_names

logger = logging.getLogger(__name__)


def can_import(user) -> bool:
    return has_role(user, Role.TKKSD, Role.ADMIN)


def _require(actor) -> None:
    # The command line acts without a session but as a named account (import_agreements --user).
    if not can_import(actor):
        raise PermissionDenied


# --- receiving and mapping ---------------------------------------------------------------------


def receive(content: bytes, name: str, *, actor, sheet: str = "") -> ImportJob:
    """Record an uploaded file and find its header row and columns; raises ImportFileError
    with the reason when it is not a register that can be read."""
    _require(actor)
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    file_format = detect_format(content, name)
    names = sheet_names(content, file_format)
    if sheet and names and sheet not in names:
        raise ImportFileError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
    table = read_table(content, file_format, sheet=sheet)
    header = columns.find_header(table.rows)
    if header is None:
        raise ImportFileError(
            _(
                "No header row was found: the sheet needs a row naming its columns, such as Judul, Mitra, Tanggal "
                "and Jangka Waktu."
            )
        )
    digest = hashlib.sha256(content).hexdigest()
    job = ImportJob(
        original_name=name[-255:] or "register",
        file_format=file_format,
        size=len(content),
        sha256=digest,
        sheet=table.sheet,
        sheet_names=names,
        created_by=actor,
    )
    _set_header(job, table, header)
    job.file.save(digest, ContentFile(content), save=False)
    job.save()
    return job


def _set_header(job: ImportJob, table, header) -> None:
    start, data_start, labels = header
    job.header_row = start
    job.headers = labels
    job.row_count = max(0, len(table.rows) - data_start)
    remembered = ImportMapping.objects.filter(header_key=columns.header_key(labels)).first()
    if remembered is not None:
        job.mapping = {index: name for index, name in remembered.mapping.items() if int(index) < len(labels)}
        job.options = {**remembered.options, "create_partners": False}
    else:
        job.mapping = columns.auto_mapping(labels)


def previous_imports(job: ImportJob):
    """Earlier commits of the very same file."""
    return ImportJob.objects.filter(sha256=job.sha256, state=ImportJob.State.COMMITTED).exclude(pk=job.pk)


def change_sheet(job: ImportJob, *, actor, sheet: str) -> ImportJob:
    _require(actor)
    if sheet not in job.sheet_names:
        raise ImportFileError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
    table = read_table(_content(job), job.file_format, sheet=sheet)
    header = columns.find_header(table.rows)
    if header is None:
        raise ImportFileError(_("No header row was found on the sheet “%(sheet)s”.") % {"sheet": sheet})
    job.sheet = sheet
    _set_header(job, table, header)
    job.state = ImportJob.State.UPLOADED
    job.save(update_fields=["sheet", "header_row", "headers", "row_count", "mapping", "options", "state"])
    return job


def set_mapping(
    job: ImportJob, *, actor, mapping: dict[str, str], options: Options, background: bool | None = None
) -> ImportJob:
    """Confirm the column mapping and the defaults, remember them for files with the same
    headers, and check the rows (in the background for a big file)."""
    _require(actor)
    _refuse_busy(job)
    if job.state == ImportJob.State.COMMITTED:
        raise services.ServiceError(_("This import has been committed; upload the file again to import it anew."))
    mapping = {str(index): name for index, name in mapping.items() if name in columns.FIELDS}
    if "title" not in mapping.values() or "partner" not in mapping.values():
        raise services.ServiceError(_("Map at least the title and the partner columns."))
    job.mapping = mapping
    job.options = options.to_json()
    job.save(update_fields=["mapping", "options"])
    ImportMapping.objects.update_or_create(
        header_key=columns.header_key(job.headers),
        defaults={
            "headers": job.headers,
            "mapping": mapping,
            "options": {"lead_opd_id": options.lead_opd_id, "urusan_id": options.urusan_id},
            "updated_by": actor,
        },
    )
    ImportPartner.objects.filter(job=job).delete()
    return request_work(job, ImportJob.Work.PREVIEW, background=background)


def _refuse_busy(job: ImportJob) -> None:
    job.refresh_from_db(fields=["state", "work"])
    if job.is_busy or job.work:
        raise services.ServiceError(_("The import is being processed; wait until it is done."))


# --- partner decisions -------------------------------------------------------------------------


@dataclass
class PartnerChoice:
    """The user's answer for one partner name: a registered partner, a new one of a kind, or
    nothing yet; and the kind of cooperation its rows are."""

    name_id: int
    partner_id: int | None = None
    create: bool = False
    partner_kind: str = ""
    agreement_kind: str = ""


def decide_partners(job: ImportJob, *, actor, choices: list[PartnerChoice]) -> ImportJob:
    """Record how partner names are resolved, then check the rows again."""
    _require(actor)
    _refuse_busy(job)
    names = {name.pk: name for name in job.partner_names.all()}
    for choice in choices:
        name = names.get(choice.name_id)
        if name is None:
            continue
        if choice.create:
            if name.refusal:
                raise services.ServiceError(name.refusal)
            name.decision, name.partner_id = ImportPartner.Decision.CREATE, None
            name.partner_kind = name.partner_kind if name.region_code else (choice.partner_kind or name.partner_kind)
        elif choice.partner_id:
            name.decision, name.partner_id = ImportPartner.Decision.MATCH, choice.partner_id
        else:
            name.decision, name.partner_id = ImportPartner.Decision.UNDECIDED, None
        name.agreement_kind = choice.agreement_kind or name.agreement_kind
        name.decided_by_user = True
        name.save(update_fields=["decision", "partner", "partner_kind", "agreement_kind", "decided_by_user"])
    return request_work(job, ImportJob.Work.PREVIEW)


# --- preview and commit ---------------------------------------------------------------------------


def request_commit(job: ImportJob, *, actor, background: bool | None = None) -> ImportJob:
    _require(actor)
    _refuse_busy(job)
    if job.state != ImportJob.State.PREVIEWED:
        raise services.ServiceError(_("Check the rows before committing the import."))
    job.committed_by = actor
    job.save(update_fields=["committed_by"])
    return request_work(job, ImportJob.Work.COMMIT, background=background)


def request_work(job: ImportJob, work: str, *, background: bool | None = None) -> ImportJob:
    """Do the work now for a small file; hand a big one to Celery after the commit (the command
    line always works in the foreground)."""
    state = ImportJob.State.PREVIEWING if work == ImportJob.Work.PREVIEW else ImportJob.State.COMMITTING
    if background is None:
        background = job.row_count > settings.IMPORT_BACKGROUND_ROWS
    if not background:
        job.state, job.progress, job.error = state, 0, ""
        job.save(update_fields=["state", "progress", "error"])
        _do(job, work)
        job.refresh_from_db()
        return job
    from registry.tasks import run_import_job

    job.state, job.work, job.progress, job.error = state, work, 0, ""
    job.queued_at, job.lease_expires_at, job.claimed_by = timezone.now(), None, ""
    job.save(update_fields=["state", "work", "progress", "error", "queued_at", "lease_expires_at", "claimed_by"])
    jobs.publish_on_commit(run_import_job, job.pk)
    return job


def _do(job: ImportJob, work: str) -> None:
    """Preview or commit; a file that cannot be read fails the job with the reason, and so
    does any other error (raised again for the caller, the task or the view, to report)."""
    try:
        if work == ImportJob.Work.PREVIEW:
            run_preview(job)
        else:
            run_commit(job)
    except ImportFileError as error:
        _fail(job, str(error.message))
    except DatabaseError:
        raise
    except Exception as error:
        _fail(job, _("The import failed unexpectedly: %(error)s") % {"error": str(error)[:500]})
        raise


def _fail(job: ImportJob, message: str) -> None:
    job.state, job.work, job.error, job.lease_expires_at = ImportJob.State.FAILED, "", message, None
    job.save(update_fields=["state", "work", "error", "lease_expires_at"])


def run_import_job(job_id: int, *, claim: str = "") -> None:
    """The Celery task's work: claim the job (queued, or its lease expired, or claimed before by
    this very task), then preview or commit it. Idempotent: a commit run twice writes once."""
    now = timezone.now()
    claimable = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    if claim:
        claimable |= Q(claimed_by=claim)
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .exclude(work="")
        .filter(claimable)
        .update(lease_expires_at=now + jobs.lease(), claimed_by=claim, attempts=F("attempts") + 1)
    )
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    try:
        _do(job, job.work)
    except DatabaseError:
        _release(job)
        raise
    except Exception:
        logger.exception("Import %s failed", job_id)
        raise


def _release(job: ImportJob) -> None:
    try:
        ImportJob.objects.filter(pk=job.pk).update(lease_expires_at=None, queued_at=timezone.now())
    except DatabaseError:
        logger.warning("Import %s could not be given back; its lease will expire.", job.pk)


# Jobs older than this are not swept any more.
IMPORT_JOBS_KEPT_ALIVE = dt.timedelta(days=2)


def sweep_import_jobs(now=None) -> int:
    """Publish again every import whose work is still queued well after it was handed over, or
    whose worker died (lease expired). Returns how many were published."""
    from registry.tasks import run_import_job

    now = now or timezone.now()
    waiting = ImportJob.objects.exclude(work="").filter(created_at__gte=now - IMPORT_JOBS_KEPT_ALIVE)
    stale = Q(lease_expires_at__isnull=True, queued_at__lt=now - jobs.republish_after()) | Q(lease_expires_at__lt=now)
    published = 0
    for job_id in list(waiting.filter(stale).order_by("queued_at").values_list("pk", flat=True)[:100]):
        taken = (
            ImportJob.objects.filter(pk=job_id)
            .exclude(work="")
            .filter(stale)
            .update(lease_expires_at=None, queued_at=now, claimed_by="")
        )
        if taken:
            published += jobs.publish(run_import_job, job_id)
    return published


def _content(job: ImportJob) -> bytes:
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
    except OSError:
        raise ImportFileError(_("The uploaded file is no longer stored; upload it again.")) from None
    if hashlib.sha256(content).hexdigest() != job.sha256:
        raise ImportFileError(_("The stored file has changed since it was uploaded; upload it again."))
    return content


def _progress(job: ImportJob, value: int) -> None:
    value = max(0, min(99, value))
    if value > job.progress:
        job.progress = value
        ImportJob.objects.filter(pk=job.pk).update(progress=value)


class _Run:
    """One analysis of a job's file: its table, the analyser and the partner decisions."""

    def __init__(self, job: ImportJob):
        content = _content(job)
        table = read_table(content, job.file_format, sheet=job.sheet)
        header = columns.find_header(table.rows)
        if header is None:
            raise ImportFileError(_("No header row was found."))
        _start, data_start, labels = header
        self.analyser = Analyser(labels, job.mapping, Options.from_json(job.options), formulas=table.formulas)
        self.rows = list(self.analyser.data_rows(table.rows, data_start))
        self.decisions = self.analyser.partner_names(self.rows)
        self._apply_user_decisions(job)

    def _apply_user_decisions(self, job: ImportJob) -> None:
        for stored in job.partner_names.filter(decided_by_user=True):
            decision = self.decisions.get(stored.key)
            if decision is None:
                continue
            decision.partner_id, decision.create = None, False
            if stored.decision == ImportPartner.Decision.MATCH and stored.partner_id:
                decision.partner_id = stored.partner_id
                if stored.partner_id in self.analyser.matcher.partners:
                    decision.match.partner_kind = self.analyser.matcher.partners[stored.partner_id][1]
            elif stored.decision == ImportPartner.Decision.CREATE and not decision.match.refusal:
                decision.create = True
                decision.match.partner_kind = stored.partner_kind or decision.match.partner_kind
            decision.agreement_kind = stored.agreement_kind or decision.agreement_kind

    def analyse(self) -> list[RowResult]:
        return self.analyser.analyse(self.rows, self.decisions)


def run_preview(job: ImportJob) -> None:
    """Check every row and store its outcome; nothing is written to the registry."""
    run = _Run(job)
    _progress(job, 30)
    results = run.analyse()
    _progress(job, 70)
    with transaction.atomic():
        _store_partner_names(job, run, results)
        _store_rows(job, results)
        _count(job, results)
        job.state, job.work, job.progress, job.previewed_at = ImportJob.State.PREVIEWED, "", 100, timezone.now()
        job.lease_expires_at = None
        job.row_count = len(results)
        job.save(
            update_fields=[
                "state",
                "work",
                "progress",
                "previewed_at",
                "lease_expires_at",
                "row_count",
                "new_count",
                "update_count",
                "unchanged_count",
                "error_count",
            ]
        )


def _store_partner_names(job: ImportJob, run: "_Run", results: list[RowResult]) -> None:
    decisions = run.decisions
    used: dict[str, int] = {}
    for row in results:
        for key in row.partner_keys:
            used[key] = used.get(key, 0) + 1
    stored = {name.key: name for name in job.partner_names.all()}
    fresh = []
    for key, decision in decisions.items():
        match = decision.match
        if decision.partner_id:
            choice = ImportPartner.Decision.MATCH
        elif decision.create:
            choice = ImportPartner.Decision.CREATE
        else:
            choice = ImportPartner.Decision.UNDECIDED
        existing = stored.pop(key, None)
        row = existing or ImportPartner(job=job, key=key)
        row.name, row.candidates, row.score = match.name[:300], match.candidates, match.score
        row.decision, row.partner_id = choice, decision.partner_id
        row.partner_kind, row.region_code = match.partner_kind, match.region_code
        row.agreement_kind, row.refusal = decision.agreement_kind, str(match.refusal)[:300]
        row.row_count = used.get(partner_key_of(decision, run.analyser.matcher), 0)
        if existing is None:
            fresh.append(row)
        else:
            row.save(
                update_fields=[
                    "name",
                    "candidates",
                    "score",
                    "decision",
                    "partner",
                    "partner_kind",
                    "region_code",
                    "agreement_kind",
                    "refusal",
                    "row_count",
                ]
            )
    ImportPartner.objects.bulk_create(fresh)
    if stored:
        ImportPartner.objects.filter(pk__in=[name.pk for name in stored.values()]).delete()


def _store_rows(job: ImportJob, results: list[RowResult], *, committed: bool = False) -> None:
    ImportRow.objects.filter(job=job).delete()
    ImportRow.objects.bulk_create(
        [
            ImportRow(
                job=job,
                number=row.number,
                cells=row.cells,
                outcome=row.outcome,
                errors=row.errors + [{**warning, "warning": True} for warning in row.warnings],
                values=row.values,
                changes=row.changes,
                agreement_id=row.agreement_id,
                committed=committed and row.outcome != ERROR,
            )
            for row in results
        ],
        batch_size=2000,
    )


def _count(job: ImportJob, results: list[RowResult]) -> None:
    job.new_count = sum(1 for row in results if row.outcome == NEW)
    job.update_count = sum(1 for row in results if row.outcome == UPDATE)
    job.unchanged_count = sum(1 for row in results if row.outcome == UNCHANGED)
    job.error_count = sum(1 for row in results if row.outcome == ERROR)


def run_commit(job: ImportJob) -> None:
    """Write every valid row, in batches of IMPORT_BATCH_ROWS, one transaction each. The rows
    are analysed again first, so that a row written by an earlier (interrupted) run of this
    commit, or by another import meanwhile, is found unchanged and not written twice."""
    actor = job.committed_by or job.created_by
    run = _Run(job)
    _progress(job, 10)
    results = run.analyse()
    partners = _register_partners(run, results, actor=actor)
    if partners.created:
        ImportJob.objects.filter(pk=job.pk).update(partners_created=F("partners_created") + partners.created)
    writer = _Writer(job, actor=actor, partners=partners.by_key, matcher=run.analyser.matcher)
    todo = [row for row in results if row.outcome in (NEW, UPDATE)]
    batch = settings.IMPORT_BATCH_ROWS
    for start in range(0, len(todo), batch):
        with transaction.atomic():
            writer.write(todo[start : start + batch])
        _progress(job, 15 + 80 * (start + batch) // max(1, len(todo)))
    with transaction.atomic():
        _store_rows(job, results, committed=True)
        _count(job, results)
        job.refresh_from_db(fields=["created_count", "updated_count", "partners_created"])
        job.state, job.work, job.progress, job.committed_at = ImportJob.State.COMMITTED, "", 100, timezone.now()
        job.lease_expires_at = None
        job.save(
            update_fields=[
                "state",
                "work",
                "progress",
                "committed_at",
                "lease_expires_at",
                "new_count",
                "update_count",
                "unchanged_count",
                "error_count",
            ]
        )


@dataclass
class _Partners:
    by_key: dict[str, Partner]
    created: int


def _register_partners(run: _Run, results: list[RowResult], *, actor) -> _Partners:
    """The partners of the valid rows: registered ones read, new ones registered first."""
    wanted = {key for row in results if row.outcome in (NEW, UPDATE) for key in row.partner_keys}
    registered_ids = {}
    to_create = {}
    for decision in run.decisions.values():
        key = partner_key_of(decision, run.analyser.matcher)
        if key not in wanted:
            continue
        if decision.partner_id:
            registered_ids[key] = decision.partner_id
        elif decision.create:
            to_create[key] = _new_partner(decision.match)
    by_key = {}
    partners = Partner.objects.in_bulk(set(registered_ids.values()))
    for key, pk in registered_ids.items():
        if pk in partners:
            by_key[key] = partners[pk]
    created = 0
    if to_create:
        before = Partner.objects.count()
        with transaction.atomic():
            saved = services.register_partners(list(to_create.values()), actor=actor)
        created = Partner.objects.count() - before
        by_key.update(dict(zip(to_create, saved, strict=True)))
    return _Partners(by_key, created)


def _new_partner(match: Match) -> Partner:
    if match.region_code:
        if "." in match.region_code:
            regency = Regency.objects.get(code=match.region_code)
            return Partner(kind=PartnerKind.REGION, regency=regency, province_id=regency.province_id, name="")
        return Partner(kind=PartnerKind.REGION, province=Province.objects.get(code=match.region_code), name="")
    return Partner(kind=match.partner_kind or PartnerKind.PRIVATE_COMPANY, name=match.name[:255])


_NOTE = gettext_lazy("Imported from %(file)s, row %(row)s.")
_NOTE_UPDATED = gettext_lazy("Updated by the import of %(file)s, row %(row)s: %(fields)s.")


class _Writer:
    """Writes one batch of rows through the registry's services."""

    def __init__(self, job: ImportJob, *, actor, partners: dict[str, Partner], matcher):
        self.job = job
        self.actor = actor
        self.partners = partners
        self.opds = OPD.objects.in_bulk()
        self.urusan = Urusan.objects.in_bulk()

    def write(self, rows: list[RowResult]) -> None:
        meanwhile = self._written_meanwhile([row for row in rows if row.outcome == NEW])
        new = [row for row in rows if row.outcome == NEW and row.number not in meanwhile]
        for row in rows:
            if row.number in meanwhile:
                row.outcome, row.agreement_id = UNCHANGED, meanwhile[row.number]
        with translation.override(settings.LANGUAGE_CODE):
            items = [
                services.LegacyAgreement(
                    agreement=self._agreement(row),
                    partners=self._partners_of(row),
                    stage=row.values["stage"],
                    note=self._note(_NOTE % {"file": self.job.original_name, "row": row.number}, row),
                )
                for row in new
            ]
            created = services.import_legacy_agreements(items, actor=self.actor)
            for row, agreement in zip(new, created, strict=True):
                row.agreement_id = agreement.pk
            updated = 0
            for row in rows:
                if row.outcome == UPDATE:
                    self._update(row)
                    updated += 1
        ImportJob.objects.filter(pk=self.job.pk).update(
            created_count=F("created_count") + len(created), updated_count=F("updated_count") + updated
        )

    def _written_meanwhile(self, rows: list[RowResult]) -> dict[int, int]:
        """Rows whose agreement another import (or an interrupted run of this one) filed after
        this run's analysis: row number → that agreement. They are left as they are."""
        if not rows:
            return {}
        found = {}
        existing: dict[tuple, list[int]] = {}
        for pk, title, start in Agreement.objects.filter(title__in={row.values["title"] for row in rows}).values_list(
            "pk", "title", "start_date"
        ):
            existing.setdefault((title, start.isoformat() if start else ""), []).append(pk)
        if not existing:
            return found
        ids = [pk for pks in existing.values() for pk in pks]
        keys: dict[int, set[str]] = {}
        for agreement_id, key in AgreementPartner.objects.filter(agreement_id__in=ids).values_list(
            "agreement_id", "partner__name_key"
        ):
            keys.setdefault(agreement_id, set()).add(key)
        for row in rows:
            wanted = {self.partners[key].name_key for key in row.partner_keys if key in self.partners}
            for pk in existing.get((row.values["title"], row.values.get("start_date") or ""), []):
                if keys.get(pk, set()) & wanted:
                    found[row.number] = pk
                    break
        return found

    def _note(self, text, row: RowResult) -> str:
        if row.values.get("notes"):
            return _("%(note)s Notes in the file: %(notes)s") % {"note": text, "notes": row.values["notes"]}
        return str(text)

    def _partners_of(self, row: RowResult) -> list[Partner]:
        return [self.partners[key] for key in row.partner_keys if key in self.partners]

    def _agreement(self, row: RowResult) -> Agreement:
        values = row.values
        kind = values["kind"]
        return Agreement(
            kind=kind,
            title=values["title"],
            object=values["object"],
            scope=values.get("scope", ""),
            urusan_id=values["urusan_id"],
            lead_opd_id=values["lead_opd_id"],
            # Legacy registers rarely say; the TKKSD corrects it on the agreement's page.
            ksdd_nature=KsddNature.SUKARELA if kind == "ksdd" else "",
            ksdpk_type=KsdpkType.LAINNYA if kind == "ksdpk" else "",
            value=values.get("value"),
            start_date=_date(values.get("start_date")),
            end_date=_date(values.get("end_date")),
            duration_months=values.get("duration_months"),
            own_number=values.get("own_number", ""),
            partner_number=values.get("partner_number", ""),
            end_reason=values.get("end_reason", ""),
        )

    def _update(self, row: RowResult) -> None:
        agreement = Agreement.objects.get(pk=row.agreement_id)
        values = row.values
        changes = {}
        for name in row.changes:
            if name == "partners":
                continue
            if name == "urusan":
                changes["urusan"] = self.urusan[values["urusan_id"]]
            elif name == "lead_opd":
                changes["lead_opd"] = self.opds[values["lead_opd_id"]]
            elif name in ("start_date", "end_date"):
                changes[name] = _date(values.get(name))
            else:
                changes[name] = values.get(name)
        partners = self._partners_of(row) if "partners" in row.changes else list(agreement.partners.all())
        services.update_agreement(
            agreement,
            actor=self.actor,
            changes=changes,
            partners=partners,
            other_opds=list(agreement.other_opds.all()),
        )
        labels = ", ".join(str(columns.FIELDS.get(_FIELD_SOURCE.get(name, name), name)) for name in row.changes)
        services.add_timeline_note(
            agreement,
            actor=self.actor,
            note=self._note(_NOTE_UPDATED % {"file": self.job.original_name, "row": row.number, "fields": labels}, row),
        )


_FIELD_SOURCE = {"duration_months": "duration", "partners": "partner"}


def _date(text):
    return dt.date.fromisoformat(text) if text else None
