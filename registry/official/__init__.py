"""Operations on official documents: draft, preview, issue, render, void, correct, verify.

A draft stores what its author wrote (`draft_data`, the fields of a registry.official.documents
dataclass without letterhead, number or QR code). Issuing fills those in, freezes every
printed value into `snapshot`, takes the next number of the series, and queues the one
rendering whose bytes are stored with their SHA-256. From then on every download serves the
stored file: a later change to the Pemda profile or to a template never alters it.

This package is the one home of official documents, whichever part of the app drafts them
(planning's Berita Acara and SK, the registry's letters, monitoring's report): `documents` (the
printable dataclasses), `pdf` (the PDF/A-3b engine and the letterhead), `legal` (Mengingat from
the catalogue), `signed` (the signed original, wet or electronic) and `esign` (the signing backends).
Their models are registry.models.official, numbering and legal; numbers in use are registry.numbers.
"""

import datetime as dt
import hashlib
import logging
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency, jobs
from kerjasama.concurrency import Edition
from kerjasama.media_storage import STORAGE_ERRORS

from .. import numbers
from ..errors import AlreadyDone, ServiceError
from ..models import (
    DEFAULT_OFFICE,
    IN_FORCE,
    Counter,
    Delegation,
    DocumentKind,
    DprdApproval,
    NumberSeries,
    Office,
    OfficialDocument,
    PemdaProfile,
    RenderJob,
    TkksdMember,
)
from ..roles import Role, has_role
from ..signals import DRAFT_READY, document_issued, document_voided, handoff
from . import documents as docs
from . import legal
from .pdf import pemda_letterhead, render_pdf

logger = logging.getLogger(__name__)

# A lampiran longer than this is rendered by a Celery task, with progress, not in the request.
LARGE_DOCUMENT_ROWS = 40
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand


# --- who may do what ------------------------------------------------------------------------------


def documents_visible_to(user):
    """TKKSD, Pimpinan and Admin read every document; the DPRD reads issued decrees (public acts,
    e.g. the annual programme) and the request letters addressed to it; nobody else reads any."""
    documents = OfficialDocument.objects.select_related("series")
    if has_role(user, Role.TKKSD, Role.PIMPINAN, Role.ADMIN):
        return documents
    if has_role(user, Role.DPRD):
        addressed = DprdApproval.objects.filter(request_letter__isnull=False).values("request_letter")
        return documents.filter(Q(kind=DocumentKind.KEPUTUSAN) | Q(pk__in=addressed)).exclude(
            status=OfficialDocument.Status.DRAFT
        )
    return documents.none()


def get_document_for(user, pk) -> OfficialDocument:
    """One official document in the user's scope (404 for missing and not yours alike), with
    what its page prints."""
    return get_object_or_404(
        documents_visible_to(user).select_related("issued_by", "replaces", "issued_on_delegation"), pk=pk
    )


def can_draft(user) -> bool:
    """The TKKSD (and Admin) write drafts, corrections and the TKKSD's membership."""
    return has_role(user, Role.TKKSD, Role.ADMIN)


def can_edit(user, document: OfficialDocument) -> bool:
    return document.is_draft and can_draft(user)


def can_correct(user, document: OfficialDocument) -> bool:
    return not document.is_draft and can_draft(user)


def holds_office(user, office: str) -> bool:
    """The Bupati's side is Pimpinan; the Ketua TKKSD is the account linked to the TKKSD's active
    chair (registry.TkksdMember, set by Admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if office == Office.BUPATI:
        return has_role(user, Role.PIMPINAN)
    if office == Office.KETUA_TKKSD:
        return TkksdMember.objects.filter(team_role=TkksdMember.TeamRole.KETUA, is_active=True, user=user).exists()
    return False


def delegation_for(user, office: str, kind: str, day: dt.date | None = None):
    """The recorded delegation by which `user` may act for `office` on documents of `kind` on
    `day` (today by default), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    day = day or timezone.localdate()
    candidates = Delegation.objects.filter(
        delegate=user, office=office, valid_from__lte=day, valid_until__gte=day
    ).order_by("-valid_from", "-pk")
    return next((delegation for delegation in candidates if delegation.covers(kind, day)), None)


def may_act_for(user, office: str, kind: str) -> bool:
    """Whether `user` may issue (and void) documents of `kind` in the name of `office` today."""
    return holds_office(user, office) or delegation_for(user, office, kind) is not None


def acts_for(user, document: OfficialDocument) -> bool:
    """A document is issued and voided in the name of its signatory: by the office itself or by a
    user holding a recorded delegation from it (Tata Naskah Dinas)."""
    return may_act_for(user, document.signatory or DEFAULT_OFFICE[document.kind], document.kind)


def _delegation_used(user, document: OfficialDocument):
    """The delegation `user` acts on for `document`, or None when they hold its office."""
    office = document.signatory or DEFAULT_OFFICE[document.kind]
    return None if holds_office(user, office) else delegation_for(user, office, document.kind)


def can_issue(user, document: OfficialDocument) -> bool:
    return document.is_draft and acts_for(user, document)


def can_void(user, document: OfficialDocument) -> bool:
    return document.in_force and acts_for(user, document)


def issuers_of(document: OfficialDocument, day: dt.date | None = None) -> dict:
    """Who may issue the document: the office, its holders' accounts and the delegates today."""
    office = document.signatory or DEFAULT_OFFICE[document.kind]
    day = day or timezone.localdate()
    if office == Office.KETUA_TKKSD:
        holders = [
            m.user
            for m in TkksdMember.objects.filter(
                team_role=TkksdMember.TeamRole.KETUA, is_active=True, user__isnull=False
            ).select_related("user")
        ]
    else:
        holders = []
    delegations = [
        delegation
        for delegation in Delegation.objects.filter(office=office, valid_from__lte=day, valid_until__gte=day)
        .select_related("delegate")
        .order_by("delegate__first_name", "pk")
        if delegation.covers(document.kind, day)
    ]
    return {"office": Office(office).label, "holders": holders, "delegations": delegations}


# --- delegations ------------------------------------------------------------------------------------------


def can_manage_delegations(user) -> bool:
    return has_role(user, Role.ADMIN)


@transaction.atomic
def record_delegation(delegation: Delegation, *, actor) -> Delegation:
    """Record a delegation (an unsaved instance with its fields set). Admin only."""
    if not can_manage_delegations(actor):
        raise PermissionDenied
    unknown = set(delegation.document_kinds) - set(DocumentKind.values)
    if not delegation.document_kinds or unknown:
        raise ServiceError(_("Choose the kinds of document the delegation covers."))
    if delegation.valid_until < delegation.valid_from:
        raise ServiceError(_("A delegation cannot end before it begins."))
    if holds_office(delegation.delegate, delegation.office):
        raise ServiceError(_("This account already holds the office; it needs no delegation."))
    delegation.recorded_by = actor
    delegation._history_user = actor
    delegation.save()
    return delegation


@transaction.atomic
def end_delegation(delegation: Delegation, *, actor, ended_on: dt.date | None = None) -> Delegation:
    """End a delegation before its term (its letter was revoked). Admin only."""
    if not can_manage_delegations(actor):
        raise PermissionDenied
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    ended_on = ended_on or timezone.localdate()
    if locked.ended_on is not None:
        raise AlreadyDone(_("This delegation has already ended."))
    locked.ended_on = max(ended_on, locked.valid_from)
    locked._history_user = actor
    locked.save(update_fields=["ended_on"])
    return locked


# --- codec: draft_data <-> registry.official.documents dataclasses ---------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _table(data: dict) -> docs.Table:
    return docs.Table(columns=data["columns"], rows=data["rows"], title=data.get("title", ""))


def _signature(data: dict) -> docs.Signature:
    return docs.Signature(**data)


def build(kind: str, data: dict, *, letterhead, number=None, date=None, verification=None) -> docs.Document:
    """The printable dataclass of a document from its draft data and what issuing adds."""
    if kind == DocumentKind.KEPUTUSAN:
        lampiran = data.get("lampiran")
        return docs.Keputusan(
            letterhead=letterhead,
            title=data["title"],
            menimbang=data.get("menimbang", []),
            mengingat=data.get("mengingat", []),
            diktum=data["diktum"],
            number=number,
            date=date or _date(data.get("date")),
            place=data.get("place", ""),
            signer_title=data.get("signer_title", ""),
            signer_name=data.get("signer_name", ""),
            tembusan=data.get("tembusan", []),
            lampiran=docs.DecreeAttachment(
                table=_table(lampiran["table"]),
                heading=lampiran.get("heading", ""),
                title=lampiran.get("title", ""),
                landscape=lampiran.get("landscape", False),
            )
            if lampiran
            else None,
            verification=verification,
        )
    if kind == DocumentKind.BERITA_ACARA:
        meeting = data["meeting"]
        return docs.BeritaAcara(
            letterhead=letterhead,
            subtitle=data["subtitle"],
            meeting=docs.Meeting(
                date=dt.date.fromisoformat(meeting["date"]),
                start=dt.time.fromisoformat(meeting["start"]),
                place=meeting["place"],
                chair=meeting["chair"],
                purpose=meeting["purpose"],
                attended_by=meeting.get("attended_by") or docs.Meeting.attended_by,
            ),
            agenda=data["agenda"],
            decisions=data["decisions"],
            secretary=_signature(data["secretary"]),
            chair=_signature(data["chair"]),
            number=number,
            resolution=data.get("resolution", "menyepakati"),
            follow_up=data.get("follow_up", []),
            attendees=[docs.Attendee(**person) for person in data.get("attendees", [])],
            tables=[_table(table) for table in data.get("tables", [])],
            verification=verification,
        )
    if kind == DocumentKind.SURAT:
        return docs.Surat(
            letterhead=letterhead,
            subject=data["subject"],
            recipient=data["recipient"],
            recipient_place=data["recipient_place"],
            body=data["body"],
            signature=_signature(data["signature"]),
            number=number,
            date=date or _date(data.get("date")),
            place=data.get("place", ""),
            nature=data.get("nature", "Biasa"),
            attachment=data.get("attachment", "-"),
            tembusan=data.get("tembusan", []),
            kop=data.get("kop", "pemda"),
            verification=verification,
            lampiran=_letter_attachment(data.get("lampiran")),
        )
    raise ValueError(kind)


def _letter_attachment(data: dict | None) -> docs.LetterAttachment | None:
    if not data:
        return None
    return docs.LetterAttachment(
        office=data["office"],
        title=data["title"],
        sections=[
            docs.LetterSection(section["heading"], section["paragraphs"]) for section in data.get("sections", [])
        ],
        tables=[_table(table) for table in data.get("tables", [])],
        landscape=data.get("landscape", False),
    )


def _rows_of(data: dict) -> int:
    lampiran = data.get("lampiran", {}) or {}
    count = len((lampiran.get("table") or {}).get("rows", []))
    count += sum(len(table.get("rows", [])) for table in lampiran.get("tables", []))
    return count + sum(len(t.get("rows", [])) for t in data.get("tables", []))


def lampiran_rows(document: OfficialDocument) -> int:
    """How many rows the draft's lampiran and tables hold (what a reader is asked to issue)."""
    return _rows_of(document.draft_data or {})


def is_large(document: OfficialDocument) -> bool:
    return _rows_of(document.draft_data) > LARGE_DOCUMENT_ROWS


def needs_garuda(kind: str, data: dict) -> bool:
    """The Bupati's own documents are headed by the Garuda Pancasila: a Keputusan, and a letter
    under the Bupati's heading (`kop` "head"); the Setda's and the TKKSD's carry the regency's
    lambang (Permendagri 80/2015 Lampiran, on the use of emblems)."""
    return kind == DocumentKind.KEPUTUSAN or (kind == DocumentKind.SURAT and data.get("kop") == "head")


def missing_emblem(document: OfficialDocument):
    """Why the document cannot be issued for want of the Garuda image, or None."""
    if not needs_garuda(document.kind, document.draft_data):
        return None
    profile = PemdaProfile.current()
    if profile is not None and profile.garuda_emblem:
        return None
    return _(
        "The Garuda Pancasila emblem is missing: the Admin uploads it in the Pemda profile. Until then this document "
        "cannot be issued."
    )


def _letterhead(unit: str = "Sekretariat Daerah"):
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    return pemda_letterhead(profile, unit=unit)


# --- drafts ---------------------------------------------------------------------------------------


def _new_code() -> str:
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not OfficialDocument.objects.filter(verification_code=code).exists():
            return code


def create_draft(
    *,
    actor,
    kind: str,
    series: NumberSeries,
    title: str,
    data: dict,
    paper: str = "A4",
    replaces=None,
    signatory: str | None = None,
) -> OfficialDocument:
    """A new draft. `data` holds the fields of the document kind's dataclass (see `build`);
    `signatory` is the office in whose name it will be issued (the kind's usual one by default).

    Raises ServiceError when the data cannot make a printable document.
    """
    if not has_role(actor, Role.TKKSD, Role.ADMIN, Role.PIMPINAN):
        raise PermissionDenied
    if replaces is not None and not can_correct(actor, replaces):
        raise PermissionDenied
    if series.kind != kind:
        raise ServiceError(_("This number series is not for this kind of document."))
    _check_buildable(kind, data)
    document = OfficialDocument(
        kind=kind,
        series=series,
        signatory=signatory or DEFAULT_OFFICE[kind],
        title=title[:500],
        paper=paper,
        draft_data=data,
        verification_code=_new_code(),
        replaces=replaces,
        created_by=actor,
    )
    document._history_user = actor
    document.save()
    handoff.send(sender=OfficialDocument, event=DRAFT_READY, subject=document, actor=actor)
    return document


def _check_buildable(kind: str, data: dict) -> None:
    try:
        build(kind, data, letterhead=_placeholder_letterhead())
    except (KeyError, TypeError, ValueError) as error:
        raise ServiceError(_("The document is incomplete: %(error)s") % {"error": error}) from error


def _placeholder_letterhead():
    return dict.fromkeys(docs.Letterhead.__annotations__, "") | {"decree_invocation": True}


def update_draft(
    document: OfficialDocument, *, actor, title: str, data: dict, paper: str, edition: Edition | None = None
) -> OfficialDocument:
    """Save a draft's content; an issued document never changes. A draft read before someone
    else changed it is refused with StaleEdit."""
    if not can_draft(actor):
        raise PermissionDenied
    _check_buildable(document.kind, data)
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        if not locked.is_draft:
            raise ServiceError(_("An issued document cannot be changed; make a correction instead."))
        concurrency.check_edition(locked, edition, DRAFT_EDIT_FIELDS)
        locked.title, locked.draft_data, locked.paper = title[:500], data, paper
        concurrency.save_edit(locked, DRAFT_EDIT_FIELDS, actor=actor)
    return locked


DRAFT_EDIT_FIELDS = ["title", "draft_data", "paper"]


def preview_pdf(document: OfficialDocument) -> bytes:
    """Render a draft as it stands, watermarked "DRAF", with today's letterhead; nothing is stored."""
    unit = document.draft_data.get("unit", "Sekretariat Daerah")
    printable = build(document.kind, document.draft_data, letterhead=_letterhead(unit))
    return render_pdf(printable.template_name, docs.document_context(printable), paper=document.paper, draft=True)


def verification_url(document: OfficialDocument) -> str:
    return f"{settings.SITE_URL}{reverse('verify_document', args=[document.verification_code])}"


# The QR code is printed with modules of 0.6 mm (at least 0.5 mm, and measured to decode from a
# 100 dpi rendering wherever it falls on the pixel grid) and a quiet zone of four modules (ISO/IEC
# 18004). An address too long for version 4 (2.46 cm with its quiet zone, within the page's bottom
# margin) takes the lower error correction first.
QR_MODULE_MM = 0.6
QR_QUIET_ZONE = 4
QR_PREFERRED_VERSION = 4


def _qr(url: str) -> tuple[str, float]:
    """The QR image of `url` as a data: URI, and its printed width in millimetres."""
    qr = segno.make(url, error="m", boost_error=False)
    if qr.version > QR_PREFERRED_VERSION:
        qr = segno.make(url, error="l", boost_error=False)
    modules = qr.symbol_size(border=QR_QUIET_ZONE)[0]
    return qr.svg_data_uri(scale=4, border=QR_QUIET_ZONE), round(modules * QR_MODULE_MM, 2)


# --- issuing ---------------------------------------------------------------------------------------


def _verification(code: str, url: str) -> docs.Verification:
    image, size = _qr(url)
    return docs.Verification(code=code, url=url, qr_svg_data_uri=image, qr_size_mm=size)


def issue_document(
    document: OfficialDocument, *, actor, issue_date: dt.date | None = None, number: str = ""
) -> OfficialDocument:
    """Give the draft its number, freeze its printed values and queue its one rendering.

    The number comes from the series' yearly counter inside the same transaction that marks
    the document issued, so two people issuing at once get two consecutive numbers and a
    number is never given twice. Raises PermissionDenied or ServiceError.
    """
    if not acts_for(actor, document):
        raise PermissionDenied
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().select_related("series").get(pk=document.pk)
        if not locked.is_draft:
            # A double click, or someone else was quicker: the document is there to be seen.
            raise AlreadyDone(
                _("This document has already been issued as number %(number)s.") % {"number": locked.number}
            )
        unit = locked.draft_data.get("unit", "Sekretariat Daerah")
        letterhead = _letterhead(unit)
        if needs_garuda(locked.kind, locked.draft_data) and not letterhead["emblem"]:
            raise ServiceError(missing_emblem(locked) or _("The Garuda Pancasila emblem cannot be read."))
        number, sequence = _number_for(locked, issue_date, number)
        url = verification_url(locked)
        printable = build(
            locked.kind,
            locked.draft_data,
            letterhead=letterhead,
            number=number,
            date=issue_date,
            verification=_verification(locked.verification_code, url),
        )
        locked.snapshot = {
            "template": printable.template_name,
            "paper": locked.paper,
            "context": docs.document_context(printable),
        }
        locked.status = OfficialDocument.Status.ISSUED
        locked.number, locked.year, locked.sequence = number, issue_date.year, sequence
        locked.issue_date, locked.issued_at, locked.issued_by = issue_date, timezone.now(), actor
        office = locked.signatory or DEFAULT_OFFICE[locked.kind]
        locked.issued_on_delegation = (
            None if holds_office(actor, office) else delegation_for(actor, office, locked.kind)
        )
        locked._history_user = actor
        locked.save(
            update_fields=[
                "snapshot",
                "status",
                "number",
                "year",
                "sequence",
                "issue_date",
                "issued_at",
                "issued_by",
                "issued_on_delegation",
                "updated_at",
            ]
        )
        document_issued.send(sender=OfficialDocument, document=locked, actor=actor)
        _queue_render(locked, RenderJob.Purpose.ISSUED)
    locked.refresh_from_db()
    return locked


# An allocation skips numbers already in use (an agreement's PKS numbered from the same register);
# more than this many in a row means the series' pattern collides with another register.
MAX_SKIPPED_NUMBERS = 200


def _number_for(document: OfficialDocument, issue_date: dt.date, typed: str) -> tuple[str, int | None]:
    """The document's number, registered to it (registry/numbers.py): typed from the Bagian
    Hukum's register and checked, or the series' next one that no one else uses."""
    series = document.series
    if series.mode == NumberSeries.Mode.REGISTER:
        typed = " ".join(typed.split())
        if not typed:
            raise ServiceError(
                _("This series takes its numbers from the Bagian Hukum's register: enter the number and its date.")
            )
        if not series.matches(typed, issue_date):
            raise ServiceError(
                _("Number %(number)s does not follow the series' pattern %(pattern)s for %(date)s.")
                % {"number": typed, "pattern": series.pattern, "date": date_format(issue_date)}
            )
        numbers.register(typed, issue_date.year, document=document)
        return typed, None
    for _attempt in range(MAX_SKIPPED_NUMBERS):
        sequence = Counter.allocate(series.counter_series, issue_date.year)
        number = series.format(sequence, issue_date)
        try:
            numbers.register(number, issue_date.year, document=document)
        except numbers.NumberTaken:
            logger.info("Number %s is already in use; the series skips it.", number)
            continue
        return number, sequence
    raise ServiceError(_("The series' numbers are all in use by other documents; check its pattern."))


@contextmanager
def _progress_to(job: RenderJob, rows: int):
    """Turn WeasyPrint's progress log lines ("Step 5 - Creating layout - Page 3") into a percentage."""
    expected_pages = max(3, rows // 18 + 3)
    step_share = {1: 5, 2: 10, 3: 20, 4: 30, 6: 85, 7: 95}

    class Handler(logging.Handler):
        def emit(self, record):
            message = record.getMessage()
            match = re.match(r"Step (\d)(?: - .* - Page (\d+))?", message)
            if not match:
                return
            step = int(match.group(1))
            if step == 5 and match.group(2):
                value = 30 + min(50, int(match.group(2)) * 50 // expected_pages)
            else:
                value = step_share.get(step, job.progress)
            if value > job.progress:
                job.progress = value
                RenderJob.objects.filter(pk=job.pk).update(progress=value)

    progress_logger = logging.getLogger("weasyprint.progress")
    handler = Handler()
    previous_level = progress_logger.level
    progress_logger.addHandler(handler)
    progress_logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        progress_logger.removeHandler(handler)
        progress_logger.setLevel(previous_level)


def run_render_job(job_id: int, *, claim: str = "") -> None:
    """Render one job; idempotent, so a message delivered twice renders once.

    The job is claimed with a conditional UPDATE and a lease (settings.JOB_LEASE_SECONDS): a job
    that is queued, whose lease has expired (its worker died), or that this very task claimed
    before (`claim`, the Celery task id, the same on a retry and on a re-delivery after its
    worker was lost). A document already rendered is not rendered again. A database error
    gives the job back to the queue and is raised for the task to retry; any other failure
    marks the job failed, for staff to render again.
    """
    now = timezone.now()
    claimable = Q(state=RenderJob.State.QUEUED) | Q(state=RenderJob.State.RUNNING, lease_expires_at__lt=now)
    if claim:
        claimable |= Q(state=RenderJob.State.RUNNING, claimed_by=claim)
    claimed = (
        RenderJob.objects.filter(pk=job_id)
        .filter(claimable)
        .update(
            state=RenderJob.State.RUNNING,
            progress=1,
            claimed_by=claim,
            lease_expires_at=now + jobs.lease(),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return
    job = RenderJob.objects.select_related("document").get(pk=job_id)
    document = job.document
    if job.purpose == RenderJob.Purpose.ISSUED and document.is_rendered:
        _finish(job)
        return
    try:
        with _progress_to(job, _rows_of(document.draft_data)):
            if job.purpose == RenderJob.Purpose.ISSUED:
                content = render_pdf(
                    document.snapshot["template"], document.snapshot["context"], paper=document.snapshot["paper"]
                )
            else:
                content = preview_pdf(document)
        if job.purpose == RenderJob.Purpose.ISSUED:
            # The document keeps the one stored copy; the job only records that it is done.
            _store_issued(document, content)
        else:
            job.file.save(f"{document.verification_code}.pdf", ContentFile(content), save=False)
    except DatabaseError:
        _release(job)
        raise
    except Exception as error:
        RenderJob.objects.filter(pk=job.pk).update(
            state=RenderJob.State.FAILED, error=str(error)[:2000], lease_expires_at=None
        )
        raise
    _finish(job)


def _finish(job: RenderJob) -> None:
    job.state, job.progress, job.finished_at, job.lease_expires_at = RenderJob.State.DONE, 100, timezone.now(), None
    job.save(update_fields=["file", "state", "progress", "finished_at", "lease_expires_at"])


def _release(job: RenderJob) -> None:
    """Give a job back to the queue after a database error, if the database answers; otherwise
    its lease runs out and the sweeper takes it back."""
    try:
        RenderJob.objects.filter(pk=job.pk, state=RenderJob.State.RUNNING).update(
            state=RenderJob.State.QUEUED, lease_expires_at=None, queued_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("Render job %s could not be given back; its lease will expire.", job.pk)


def _store_issued(document: OfficialDocument, content: bytes) -> None:
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        if locked.is_rendered:
            # Rendered once: the stored bytes are the document.
            return
        locked.file.save(f"{locked.verification_code}.pdf", ContentFile(content), save=False)
        locked.sha256 = hashlib.sha256(content).hexdigest()
        locked.save(update_fields=["file", "sha256", "updated_at"])


def _queue_render(document: OfficialDocument, purpose: str) -> RenderJob:
    from ..tasks import render_official_document

    job = RenderJob.objects.create(document=document, purpose=purpose)
    jobs.publish_on_commit(render_official_document, job.pk)
    return job


def request_preview(document: OfficialDocument) -> RenderJob:
    """Queue the preview of a long draft; the page polls the job's progress."""
    return _queue_render(document, RenderJob.Purpose.PREVIEW)


def sweep_render_jobs(now=None) -> int:
    """Hand to the broker again every job still queued well after its commit (its message was
    lost, or the broker was down) and take back every job whose worker died (lease expired).
    Returns how many were published."""
    from ..tasks import render_official_document

    now = now or timezone.now()
    active = RenderJob.objects.filter(created_at__gte=now - RENDER_JOBS_KEPT_ALIVE)
    stale_queued = Q(state=RenderJob.State.QUEUED, queued_at__lt=now - jobs.republish_after())
    lost = Q(state=RenderJob.State.RUNNING, lease_expires_at__lt=now)
    published = 0
    for job_id in list(active.filter(stale_queued | lost).order_by("queued_at").values_list("pk", flat=True)[:500]):
        taken = (
            RenderJob.objects.filter(pk=job_id)
            .filter(stale_queued | lost)
            .update(state=RenderJob.State.QUEUED, lease_expires_at=None, queued_at=now)
        )
        if taken:
            published += jobs.publish(render_official_document, job_id)
    return published


# Jobs older than this are not swept any more: a preview nobody waits for, or an issued
# document that failed for days, which staff render again from its page.
RENDER_JOBS_KEPT_ALIVE = dt.timedelta(days=2)


# --- the stored file of an issued document ---------------------------------------------------------


class FileState:
    """What can be said of an issued document's file."""

    PENDING = "pending"  # being rendered (queued or running within its lease)
    FAILED = "failed"  # rendering failed or its worker is gone: staff render it again
    INTACT = "intact"  # stored and its bytes match the SHA-256 recorded at rendering
    MISSING = "missing"  # recorded, but no file in the storage
    UNREADABLE = "unreadable"  # the storage refuses to read it
    ALTERED = "altered"  # its bytes no longer match the recorded SHA-256
    # The same, said of the signed original kept beside the issued file (registry/official/signed.py).
    SIGNED_MISSING = "signed_missing"
    SIGNED_UNREADABLE = "signed_unreadable"
    SIGNED_ALTERED = "signed_altered"


@dataclass(frozen=True)
class RenderStatus:
    state: str
    since: dt.datetime | None = None
    job: RenderJob | None = None
    error: str = ""

    @property
    def waiting(self) -> bool:
        return self.state in (FileState.PENDING, FileState.FAILED)


def render_status(document: OfficialDocument, now=None) -> RenderStatus:
    """Where an issued document's rendering stands, without reading its file (see `read_issued`)."""
    if document.is_rendered:
        return RenderStatus(FileState.INTACT)
    now = now or timezone.now()
    job = document.render_jobs.filter(purpose=RenderJob.Purpose.ISSUED).order_by("-created_at", "-pk").first()
    if job is None:
        return RenderStatus(FileState.FAILED, since=document.issued_at)
    alive = job.state == RenderJob.State.QUEUED or (
        job.state == RenderJob.State.RUNNING and job.lease_expires_at is not None and job.lease_expires_at >= now
    )
    if alive and job.created_at >= now - jobs.lease():
        return RenderStatus(FileState.PENDING, since=job.created_at, job=job)
    if alive:
        # Waiting longer than any rendering takes: the broker or the workers are down. The
        # sweeper keeps trying; staff may also render it again.
        return RenderStatus(FileState.FAILED, since=job.created_at, job=job)
    return RenderStatus(FileState.FAILED, since=job.created_at, job=job, error=job.error)


class DocumentFileError(ServiceError):
    """The stored file of an issued document cannot be served as the document."""

    def __init__(self, state: str, message):
        super().__init__(message)
        self.state = state


_FILE_MESSAGES = {
    FileState.MISSING: _(
        "The stored file of this document is missing. The document stays recorded; the administrator restores "
        "the file from the backup."
    ),
    FileState.UNREADABLE: _(
        "The stored file of this document cannot be read. The document stays recorded; the administrator "
        "restores the file from the backup."
    ),
    FileState.ALTERED: _(
        "The stored file of this document no longer matches the fingerprint (SHA-256) recorded when it was "
        "issued: it has been altered or damaged, and is not served. The administrator restores it from the backup."
    ),
}


def check_file(document: OfficialDocument) -> str:
    """INTACT, MISSING, UNREADABLE or ALTERED for a rendered document (reads the whole file)."""
    try:
        read_issued(document)
    except DocumentFileError as error:
        return error.state
    return FileState.INTACT


def read_issued(document: OfficialDocument) -> bytes:
    """The stored bytes of an issued document, checked against their SHA-256.

    Raises DocumentFileError (MISSING, UNREADABLE, ALTERED) rather than serving anything else.
    """
    if not document.is_rendered:
        raise DocumentFileError(FileState.PENDING, _("The PDF is still being rendered."))
    return read_stored(document.file, document.sha256)


def read_stored(stored_file, sha256: str) -> bytes:
    """The bytes of a stored file, checked against the SHA-256 recorded for it: the issued
    rendering or the signed original (registry/official/signed.py). Raises DocumentFileError (MISSING,
    UNREADABLE, ALTERED) rather than returning anything else."""
    try:
        with stored_file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        raise DocumentFileError(FileState.MISSING, _FILE_MESSAGES[FileState.MISSING]) from None
    except STORAGE_ERRORS:
        # A disk error, or object storage refusing or unreachable.
        logger.exception("Stored file %s could not be read", stored_file.name)
        raise DocumentFileError(FileState.UNREADABLE, _FILE_MESSAGES[FileState.UNREADABLE]) from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise DocumentFileError(FileState.ALTERED, _FILE_MESSAGES[FileState.ALTERED])
    return content


def issued_documents():
    """Documents that have been issued (and perhaps voided since): the ones with a file."""
    return OfficialDocument.objects.exclude(status=OfficialDocument.Status.DRAFT)


def check_signed_file(document: OfficialDocument) -> str:
    """INTACT, SIGNED_MISSING, SIGNED_UNREADABLE or SIGNED_ALTERED for the signed original."""
    from .signed import read_signed

    try:
        read_signed(document)
    except DocumentFileError as error:
        return "signed_" + error.state
    return FileState.INTACT


def damaged_documents():
    """Every issued or voided document whose file, or signed original, is missing, unreadable or
    altered, or that was never rendered long after issuing, as (document, state) pairs (reads
    every file)."""
    now = timezone.now()
    for document in issued_documents().order_by("pk").iterator(chunk_size=200):
        if document.is_rendered:
            state = check_file(document)
            if state == FileState.INTACT and document.is_signed:
                state = check_signed_file(document)
        else:
            state = render_status(document, now).state
            if state == FileState.PENDING:
                continue
        if state != FileState.INTACT:
            yield document, state


def can_rerender(user, document: OfficialDocument) -> bool:
    """TKKSD and Admin render again an issued document that has no file yet (never a rendered one:
    its bytes are the document)."""
    return has_role(user, Role.TKKSD, Role.ADMIN) and not document.is_draft and not document.is_rendered


def rerender(document: OfficialDocument, *, actor) -> RenderJob:
    """Queue the rendering of an issued document whose rendering failed or was lost.

    Refused while a rendering is still under way; raises PermissionDenied or ServiceError.
    """
    if not can_rerender(actor, document):
        if not document.is_draft and document.is_rendered:
            raise ServiceError(_("This document has already been rendered; its stored file is the document."))
        raise PermissionDenied
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        if locked.is_rendered:
            raise ServiceError(_("This document has already been rendered; its stored file is the document."))
        if render_status(locked).state == FileState.PENDING:
            raise ServiceError(_("The document is being rendered; wait for it to finish."))
        return _queue_render(locked, RenderJob.Purpose.ISSUED)


def void_document(document: OfficialDocument, *, actor, reason: str) -> OfficialDocument:
    """Void an issued document: its number stays used (the gap is recorded), it stays readable.
    What it started stops with it (`document_voided`: a DPRD request still waiting is withdrawn)."""
    if document.is_draft or not acts_for(actor, document):
        raise PermissionDenied
    if not reason.strip():
        raise ServiceError(_("Write why the document is voided."))
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == OfficialDocument.Status.VOIDED:
            raise AlreadyDone(_("This document has already been voided."))
        if locked.status not in IN_FORCE:
            raise ServiceError(_("Only an issued document can be voided."))
        locked.status = OfficialDocument.Status.VOIDED
        locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), actor, reason
        office = locked.signatory or DEFAULT_OFFICE[locked.kind]
        locked.voided_on_delegation = (
            None if holds_office(actor, office) else delegation_for(actor, office, locked.kind)
        )
        locked._history_user = actor
        locked.save(
            update_fields=["status", "voided_at", "voided_by", "void_reason", "voided_on_delegation", "updated_at"]
        )
        document_voided.send(sender=OfficialDocument, document=locked, actor=actor, reason=reason)
    return locked


def create_correction(document: OfficialDocument, *, actor) -> OfficialDocument:
    """A new draft with the same content, which replaces `document` once issued."""
    if document.is_draft:
        raise ServiceError(_("A draft is corrected by editing it."))
    return create_draft(
        actor=actor,
        kind=document.kind,
        series=document.series,
        title=document.title,
        data=document.draft_data,
        paper=document.paper,
        replaces=document,
        signatory=document.signatory,
    )


def find_by_code(code: str) -> OfficialDocument | None:
    code = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if len(code) != 8:
        return None
    return (
        OfficialDocument.objects.exclude(status=OfficialDocument.Status.DRAFT)
        .filter(verification_code=f"{code[:4]}-{code[4:]}")
        .first()
    )


def matches_issued(document: OfficialDocument, content: bytes) -> bool:
    return bool(document.sha256) and hashlib.sha256(content).hexdigest() == document.sha256


def public_facts(document: OfficialDocument) -> dict[str, Any]:
    """All the verification page may reveal: number, title, date, issuer, SHA-256, status."""
    context = document.snapshot["context"] if document.snapshot else {}
    letterhead = context.get("letterhead", {})
    signature = context.get("signature") or context.get("right_signature") or {}
    issuer = " · ".join(filter(None, [letterhead.get("government", ""), signature.get("title", "").rstrip(",")]))
    replaced_by = document.corrections.exclude(status=OfficialDocument.Status.DRAFT).first()
    rendered = document.is_rendered
    report = document.signature_report or {}
    return {
        # Until its PDF is stored, the public reads that it is being prepared, and since when.
        "rendered": rendered,
        "processing_since": None if rendered else (document.issued_at or document.updated_at),
        # A stored file that went missing or was altered: the act stands, the archive copy is restored.
        "file_damaged": rendered and check_file(document) != FileState.INTACT,
        "number": document.number,
        "title": document.title,
        "kind": document.get_kind_display(),
        "date": document.issue_date,
        "issuer": issuer,
        "sha256": document.sha256,
        "status": document.status,
        "status_label": document.get_status_display(),
        "replaced_by": replaced_by.number if replaced_by else "",
        "voided_at": document.voided_at,
        "void_reason": document.void_reason,
        # The signed original: how and when it was signed, and by whom; its own SHA-256.
        "signed": document.is_signed,
        "signature_method": document.signature_method,
        "signed_on": document.signed_on,
        "signer_name": document.signer_name,
        "signed_at": dt.datetime.fromisoformat(report["signing_time"]) if report.get("signing_time") else None,
        "signed_sha256": document.signed_sha256,
    }


# --- waiting for the signed original -------------------------------------------------------------------


def awaiting_signature(today: dt.date | None = None):
    """Issued documents still waiting for their signed original (wet-ink scan or electronic
    signature), issued on or before `today`, oldest first (registry/official/signed.py records it)."""
    today = today or timezone.localdate()
    return (
        OfficialDocument.objects.filter(status=OfficialDocument.Status.ISSUED, issue_date__lte=today)
        # Rendered: there is a PDF to sign (registry/official/signed.py awaits_signature); a rendering that
        # failed is flagged by its own check.
        .exclude(file="")
        .exclude(sha256="")
        .select_related("series", "issued_by")
        .order_by("issue_date", "issued_at", "pk")
    )


def signature_overdue(document: OfficialDocument, today: dt.date, *, calendar=None) -> bool:
    """Still unsigned `SIGNATURE_REMINDER_DAYS` working days after its issue."""
    from ..dprd import working_days_waited

    return (
        document.status == OfficialDocument.Status.ISSUED
        and working_days_waited(document.issue_date, today, calendar=calendar) >= settings.SIGNATURE_REMINDER_DAYS
    )


def overdue_signatures(today: dt.date | None = None) -> list[OfficialDocument]:
    """The documents of `awaiting_signature` that have waited too long, oldest first."""
    from ..dprd import calendar_for

    today = today or timezone.localdate()
    waiting = list(awaiting_signature(today))
    if not waiting:
        return []
    calendar = calendar_for(waiting[0].issue_date, today)
    return [document for document in waiting if signature_overdue(document, today, calendar=calendar)]


# --- the SK on the TKKSD's membership: the first real use -----------------------------------------------

TKKSD_SERIES = "keputusan-bupati"
# Printed in the decree whatever language its drafter reads the app in.
PRINTED_TEAM_ROLES = {
    TkksdMember.TeamRole.PENGARAH: "Pengarah",
    TkksdMember.TeamRole.KETUA: "Ketua",
    TkksdMember.TeamRole.WAKIL_KETUA: "Wakil Ketua",
    TkksdMember.TeamRole.SEKRETARIS: "Sekretaris",
    TkksdMember.TeamRole.ANGGOTA: "Anggota",
}


def tkksd_decree_data(members, *, year: int, regency_short: str) -> dict:
    title = f"PEMBENTUKAN TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN {regency_short.upper()} TAHUN {year}"
    rows = [
        [str(index), member.name, member.position, PRINTED_TEAM_ROLES[member.team_role]]
        for index, member in enumerate(members, start=1)
    ]
    return {
        "title": title,
        "menimbang": [
            "bahwa untuk kelancaran penyelenggaraan kerja sama daerah perlu dibentuk Tim Koordinasi Kerja Sama "
            f"Daerah Kabupaten {regency_short} yang bertugas membantu Bupati dalam menyiapkan kerja sama daerah;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Keputusan Bupati "
            f"tentang Pembentukan Tim Koordinasi Kerja Sama Daerah Kabupaten {regency_short} Tahun {year};",
        ],
        "mengingat": [
            "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah "
            "terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
            "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang;",
            "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah (Lembaran Negara Republik Indonesia "
            "Tahun 2018 Nomor 97);",
            "Peraturan Menteri Dalam Negeri Nomor 22 Tahun 2020 tentang Tata Cara Kerja Sama Daerah dengan Daerah "
            "Lain dan Kerja Sama Daerah dengan Pihak Ketiga;",
        ],
        "diktum": [
            f"Membentuk Tim Koordinasi Kerja Sama Daerah Kabupaten {regency_short} Tahun {year} dengan susunan "
            "keanggotaan sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan dari "
            "Keputusan Bupati ini.",
            "Tim Koordinasi Kerja Sama Daerah sebagaimana dimaksud dalam Diktum KESATU bertugas membantu Bupati "
            "menyiapkan, mengkaji, mengoordinasikan, memantau dan mengevaluasi kerja sama daerah, termasuk "
            "menyelenggarakan pemetaan potensi dan rapat pleno penetapan prioritas usulan kerja sama.",
            "Segala biaya yang timbul akibat ditetapkannya Keputusan Bupati ini dibebankan pada Anggaran "
            f"Pendapatan dan Belanja Daerah Kabupaten {regency_short} Tahun Anggaran {year}.",
            "Keputusan Bupati ini mulai berlaku pada tanggal ditetapkan.",
        ],
        "lampiran": {
            "heading": f"SUSUNAN KEANGGOTAAN TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN {regency_short.upper()}",
            "table": {"columns": ["No", "Nama", "Jabatan", "Kedudukan dalam Tim"], "rows": rows},
        },
    }


TKKSD_MEMBER_FIELDS = frozenset({"name", "nip", "position", "team_role", "opd", "order", "is_active", "user"})


def add_tkksd_member(member: TkksdMember, *, actor) -> TkksdMember:
    """Record a member of the TKKSD (an unsaved instance with its fields set). Only Admin links an
    account: the chair's account issues the Berita Acara."""
    if not can_draft(actor):
        raise PermissionDenied
    if member.user_id and not has_role(actor, Role.ADMIN):
        raise PermissionDenied
    if member.pk is not None:
        raise ValueError("add_tkksd_member() records new members; use update_tkksd_member() for an edit.")
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def update_tkksd_member(member: TkksdMember, *, actor, changes: dict, edition: Edition | None = None) -> TkksdMember:
    """Save an edit of a TKKSD member; refused with StaleEdit when read before a colleague's edit."""
    if not can_draft(actor):
        raise PermissionDenied
    unknown = set(changes) - TKKSD_MEMBER_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the member form: {sorted(unknown)}")
    if "user" in changes and not has_role(actor, Role.ADMIN):
        raise PermissionDenied
    return concurrency.edit(TkksdMember, member.pk, changes, edition=edition, actor=actor)


def draft_tkksd_decree(*, actor, year: int | None = None) -> OfficialDocument:
    """Draft the Keputusan Bupati forming the TKKSD from the members recorded in the app."""
    members = list(TkksdMember.objects.filter(is_active=True).order_by("order", "pk"))
    if not members:
        raise ServiceError(_("Record the TKKSD members first."))
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    year = year or timezone.localdate().year
    data = tkksd_decree_data(members, year=year, regency_short=profile.regency.short_name)
    # The catalogue's laws with their promulgation (registry/official/legal.py); the drafter edits the list.
    data["mengingat"] = legal.default_mengingat(DocumentKind.KEPUTUSAN) or data["mengingat"]
    return create_draft(
        actor=actor,
        kind=DocumentKind.KEPUTUSAN,
        series=series_for(TKKSD_SERIES),
        title=f"Pembentukan Tim Koordinasi Kerja Sama Daerah Kabupaten {profile.regency.short_name} Tahun {year}",
        data=data,
        paper="F4",
    )


DEFAULT_SERIES = {
    "keputusan-bupati": (
        "Keputusan Bupati",
        DocumentKind.KEPUTUSAN,
        "100.3.3.2/{seq:03d}/KEP/{year}",
        "100.3.3.2",
        "KEP",
    ),
    "berita-acara-tkksd": (
        "Berita Acara TKKSD",
        DocumentKind.BERITA_ACARA,
        "100.3.3/{seq:03d}/BA-KS/{year}",
        "100.3.3",
        "BA-KS",
    ),
    "surat-kerja-sama": (
        "Surat dinas Bagian Kerja Sama",
        DocumentKind.SURAT,
        "100.3.3/{seq:03d}/KS/{year}",
        "100.3.3",
        "KS",
    ),
}


def series_for(code: str) -> NumberSeries:
    """The series with this code, created with its default pattern the first time (Admin edits it)."""
    name, kind, pattern, classification, unit = DEFAULT_SERIES[code]
    series, _created = NumberSeries.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "pattern": pattern, "classification": classification, "unit": unit},
    )
    return series
