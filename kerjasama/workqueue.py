"""What waits for each person ("Perlu tindakan Anda"): one selector per role, read by the home
page, the navigation's count and the tests.

Nothing here is stored: every entry is computed from the records' state (a submitted proposal
not on an agenda, a report waiting for review...), so the queue cannot drift from the records,
and an entry disappears as soon as the action is done. Every entry is scoped by the same rules as
the page it links to: a PPKSD sees only their own OPD's records, the DPRD only DPRD requests.

Cost: the counts of the whole queue are one query (`counts`), whatever its length: each kind is
counted up to CAP + 1 rows and shown as "100+" beyond. The home page then reads at most
ROWS_PER_KIND rows of each kind that has any, one query per kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from monitoring import opd_evaluations, periods
from monitoring import selectors as monitoring_selectors
from monitoring.models import ImplementationReport, ReportStatus
from planning.models import AgendaItem, Cycle, Plenary, Proposal, ProposalStatus
from registry import dprd as desk
from registry import lifecycle, official
from registry.models import (
    OPD,
    Agreement,
    AgreementDocument,
    DprdApproval,
    NumberSeries,
    OfficialDocument,
    Stage,
    Transition,
)
from registry.models import agreements as agreement_models
from registry.models.official import Office
from registry.pagination import counts_of
from registry.roles import Role, has_role
from registry.selectors import with_ppksd_counts

# Counted up to this many per kind; more reads "100+".
CAP = 100
# Rows of each kind read for the home page (the count says how many there are in all), and the
# most urgent of them that it shows.
ROWS_PER_KIND = 5
ROWS_SHOWN = 15
# Marks the one counting query, for query-count tests and for whoever reads a slow-query log.
MARKER = "/* workqueue counts */"

# The stages before signing, where an agreement is prepared and moves on by someone's action.
_CLOSED_OR_ACTIVE = lifecycle.CLOSED_STAGES | lifecycle.ACTIVE_STAGES
# The same list the model's partial index names (registry.models.agreements.PREPARING_STAGES).
PREPARING_STAGES = list(agreement_models.PREPARING_STAGES)
# Stages an OPD's PPKSD may move on themselves (the lifecycle tables' movers).
OPD_STAGES = sorted(
    {step.stage for table in lifecycle.TABLES.values() for step in table if Role.PPKSD in step.movers}
    - _CLOSED_OR_ACTIVE
)
ANSWERED = [*DprdApproval.APPROVING, DprdApproval.Decision.REJECTED]
# The columns a row prints of the agreement it names (_agreement_label and its address), and of an
# agreement reached through a request or a report: only these are read (the counts read none), so
# the rows' queries neither carry nor decode the agreements' wide text.
AGREEMENT_LABEL = ("pk", "register_number", "title")
RELATED_AGREEMENT_LABEL = ("agreement", "agreement__register_number", "agreement__title")


@dataclass
class Row:
    """One thing to do: what, on which record, where it is done, since when, by when."""

    kind: str
    label: str
    url: str
    since: dt.datetime | dt.date | None = None
    due: dt.date | None = None
    detail: str = ""
    # Set when the queue is read (queue_for): days waited, and whether the deadline has passed.
    age: int | None = None
    is_overdue: bool = False

    @property
    def since_date(self) -> dt.date | None:
        if isinstance(self.since, dt.datetime):
            return timezone.localdate(self.since)
        return self.since

    def age_days(self, today: dt.date) -> int | None:
        return (today - self.since_date).days if self.since_date else None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class Source:
    """One kind of entry: its records, most urgent first, and how each reads as a row. `summary`
    kinds (the OPDs short of PPKSD) show as one row with their count."""

    kind: str
    title: str
    queryset: object
    row: Callable[[object], Row]
    summary: Callable[[int], Row] | None = None
    # Builds the rows of several records at once, where they share a lookup (the DPRD's calendar).
    rows: Callable[[list], list[Row]] | None = None
    # Counted in the queryset's own order (registry.pagination.counts_of), where an index gives it.
    count_in_order: bool = False


@dataclass
class Group:
    kind: str
    title: str
    count: int

    @property
    def shown(self) -> str:
        return f"{CAP}+" if self.count > CAP else str(self.count)


@dataclass
class Queue:
    groups: list[Group]
    rows: list[Row] = field(default_factory=list)
    today: dt.date | None = None

    @property
    def total(self) -> int:
        return sum(min(group.count, CAP + 1) for group in self.groups)

    @property
    def total_shown(self) -> str:
        total = self.total
        return f"{CAP}+" if total > CAP else str(total)

    @property
    def is_empty(self) -> bool:
        return not self.total


# --- the sources, one selector per role -------------------------------------------------------------


def _agreement_label(agreement) -> str:
    return f"{agreement.register_number} · {agreement.title}"


def tkksd_sources(user, today: dt.date) -> list[Source]:
    """The TKKSD: proposals to put on an agenda, plenaries to close, reports to review, DPRD
    answers and silences to act on, agreements ready to move or stuck in their stage."""
    scheduled = Plenary.objects.filter(cycle=OuterRef("cycle"), status=Plenary.Status.SCHEDULED).order_by("date")
    on_agenda = AgendaItem.objects.filter(proposal=OuterRef("pk"), is_open=True)
    proposals = (
        Proposal.objects.filter(status=ProposalStatus.SUBMITTED)
        .exclude(Exists(on_agenda))
        .annotate(plenary_id=Subquery(scheduled.values("pk")[:1]), deadline=F("cycle__submission_deadline"))
        .select_related("opd")
        .only("pk", "title", "submitted_at", "opd", "opd__name", "opd__abbreviation")
        .order_by("submitted_at", "pk")
    )
    plenaries = (
        Plenary.objects.filter(status=Plenary.Status.SCHEDULED, date__lt=today)
        .only("pk", "date")
        .order_by("date", "pk")
    )
    prioritised = Proposal.objects.filter(cycle=OuterRef("pk"), status=ProposalStatus.PRIORITISED)
    programmes = (
        Cycle.objects.filter(status=Cycle.Status.OPEN, decree__isnull=True)
        .filter(Exists(prioritised))
        .only("pk", "year", "plenary_date")
        .order_by("year", "pk")
    )
    reports = (
        ImplementationReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("agreement")
        .only("pk", "period", "submitted_at", *RELATED_AGREEMENT_LABEL)
        .order_by("submitted_at", "pk")
    )
    answered = (
        DprdApproval.objects.filter(decision__in=ANSWERED)
        .filter(
            Exists(
                Transition.objects.filter(
                    agreement=OuterRef("agreement"),
                    from_stage=Stage.PERSETUJUAN_DPRD,
                    at=OuterRef("agreement__stage_changed_at"),
                )
            )
        )
        .exclude(agreement__stage__in=lifecycle.CLOSED_STAGES)
        .select_related("agreement")
        .only("pk", "decision", *RELATED_AGREEMENT_LABEL, "agreement__stage_changed_at")
        .order_by("agreement__stage_changed_at", "pk")
    )
    unreceived = (
        DprdApproval.objects.filter(
            decision=DprdApproval.Decision.PENDING, sent_on__isnull=False, received_on__isnull=True
        )
        .select_related("agreement")
        .only("pk", "sent_on", *RELATED_AGREEMENT_LABEL)
        .order_by("sent_on", "pk")
    )
    silent = (
        DprdApproval.objects.filter(decision=DprdApproval.Decision.PENDING, due_on__lt=today)
        .select_related("agreement")
        .only("pk", "received_on", "due_on", *RELATED_AGREEMENT_LABEL)
        .order_by("due_on", "pk")
    )
    news = AgreementDocument.objects.filter(agreement=OuterRef("pk"), uploaded_at__gt=OuterRef("stage_changed_at"))
    ready = (
        Agreement.objects.filter(stage__in=PREPARING_STAGES)
        .exclude(stage=Stage.PERSETUJUAN_DPRD)
        .filter(Exists(news))
        .only(*AGREEMENT_LABEL, "stage_changed_at")
        .order_by("stage_changed_at", "pk")
    )
    stale_before = timezone.now() - dt.timedelta(days=settings.STAGE_STALE_DAYS)
    stale = (
        Agreement.objects.filter(stage__in=PREPARING_STAGES, stage_changed_at__lt=stale_before)
        .only(*AGREEMENT_LABEL, "stage", "stage_changed_at")
        .order_by("stage_changed_at", "pk")
    )
    return [
        Source(
            "proposals_to_schedule",
            _("Submitted proposals not yet on a plenary agenda"),
            proposals,
            lambda p: Row(
                "proposals_to_schedule",
                str(format_lazy(_("Put on the plenary agenda: {title} ({opd})"), title=p.title, opd=p.opd)),
                reverse("planning:plenary_detail", args=[p.plenary_id]) if p.plenary_id else p.get_absolute_url(),
                since=p.submitted_at,
            ),
        ),
        Source(
            "plenaries_to_close",
            _("Plenaries held and not yet closed"),
            plenaries,
            lambda p: Row(
                "plenaries_to_close",
                str(format_lazy(_("Record the decisions and close the plenary of {date}"), date=p.date)),
                p.get_absolute_url(),
                since=p.date,
                due=p.date,
            ),
        ),
        Source(
            "programme_to_draft",
            _("Programmes to draft for the Bupati's decree"),
            programmes,
            lambda c: Row(
                "programme_to_draft",
                str(
                    format_lazy(
                        _("Draft the SK Bupati on the {year} programme from the prioritised proposals"), year=c.year
                    )
                ),
                c.get_absolute_url() + "#programme",
                since=c.plenary_date,
            ),
        ),
        _reports_source(reports),
        Source(
            "dprd_answered",
            _("DPRD decisions to follow up"),
            answered,
            lambda a: Row(
                "dprd_answered",
                str(
                    format_lazy(
                        _("DPRD: {decision}. Take the next step: {agreement}"),
                        decision=a.get_decision_display(),
                        agreement=_agreement_label(a.agreement),
                    )
                ),
                a.agreement.get_absolute_url(),
                since=a.agreement.stage_changed_at,
            ),
        ),
        Source(
            "dprd_receipts",
            _("DPRD requests sent whose receipt is not recorded"),
            unreceived,
            lambda a: Row(
                "dprd_receipts",
                str(
                    format_lazy(
                        _("Record the day the DPRD received the request: {agreement}"),
                        agreement=_agreement_label(a.agreement),
                    )
                ),
                a.get_absolute_url(),
                since=a.sent_on,
            ),
        ),
        Source(
            "dprd_silent",
            _("DPRD requests past their deadline"),
            silent,
            lambda a: Row(
                "dprd_silent",
                str(
                    format_lazy(
                        _("No DPRD answer by the deadline; decide how to proceed: {agreement}"),
                        agreement=_agreement_label(a.agreement),
                    )
                ),
                a.get_absolute_url(),
                since=a.received_on,
                due=a.due_on,
            ),
        ),
        Source(
            "ready_to_move",
            _("Agreements with new documents since their last move"),
            ready,
            lambda a: Row(
                "ready_to_move",
                str(format_lazy(_("Check whether it can move on: {agreement}"), agreement=_agreement_label(a))),
                a.get_absolute_url(),
                since=a.stage_changed_at,
            ),
        ),
        Source(
            "stale",
            format_lazy(_("Agreements in one stage for more than {days} days"), days=settings.STAGE_STALE_DAYS),
            stale,
            lambda a: Row(
                "stale",
                str(
                    format_lazy(
                        _("Stuck at “{stage}”: {agreement}"),
                        stage=a.get_stage_display(),
                        agreement=_agreement_label(a),
                    )
                ),
                a.get_absolute_url(),
                since=a.stage_changed_at,
            ),
        ),
        _opds_short_source(),
    ]


def _reports_source(reports) -> Source:
    return Source(
        "reports_to_review",
        _("Reports waiting for review"),
        reports,
        lambda r: Row(
            "reports_to_review",
            str(
                format_lazy(
                    _("Review the report for {month}: {agreement}"),
                    month=formats.date_format(r.period, "F Y"),
                    agreement=_agreement_label(r.agreement),
                )
            ),
            r.get_absolute_url(),
            since=r.submitted_at,
        ),
    )


def _opds_short_source() -> Source:
    short = with_ppksd_counts(OPD.objects.filter(is_active=True)).filter(ppksd_count__lt=settings.MIN_PPKSD_PER_OPD)

    def summary(count: int) -> Row:
        shown = f"{CAP}+" if count > CAP else str(count)
        label = ngettext(
            "%(count)s OPD has fewer liaison officers (PPKSD) than required",
            "%(count)s OPDs have fewer liaison officers (PPKSD) than required",
            count,
        ) % {"count": shown}
        return Row("opds_short", label, reverse("registry:opd_list"))

    return Source(
        "opds_short", _("OPDs short of liaison officers"), short.order_by("name"), lambda o: None, summary=summary
    )


def _document_concerns(queryset):
    """Annotate drafts with what they decide on: a cycle's programme, an agreement's DPRD request,
    a plenary's minutes."""
    return queryset.annotate(
        cycle_id=Subquery(Cycle.objects.filter(decree=OuterRef("pk")).values("pk")[:1]),
        cycle_year=Subquery(Cycle.objects.filter(decree=OuterRef("pk")).values("year")[:1]),
        # The proposals the programme decree includes (planning.programme.draft_programme).
        proposal_count=Subquery(
            Proposal.objects.filter(decree=OuterRef("pk")).values("decree").annotate(n=Count("pk")).values("n")[:1]
        ),
        agreement_id=Subquery(DprdApproval.objects.filter(request_letter=OuterRef("pk")).values("agreement")[:1]),
        agreement_number=Subquery(
            DprdApproval.objects.filter(request_letter=OuterRef("pk")).values("agreement__register_number")[:1]
        ),
        plenary_id=Subquery(Plenary.objects.filter(minutes=OuterRef("pk")).values("pk")[:1]),
    )


def draft_summary(document) -> str:
    """What a draft decides, in one line: its lampiran and the records it concerns."""
    parts = []
    rows = official.lampiran_rows(document)
    if rows:
        parts.append(ngettext("%(n)s lampiran row", "%(n)s lampiran rows", rows) % {"n": rows})
    if getattr(document, "cycle_id", None):
        parts.append(
            ngettext(
                "programme of the %(year)s mapping cycle, %(n)s proposal",
                "programme of the %(year)s mapping cycle, %(n)s proposals",
                document.proposal_count or 0,
            )
            % {"year": document.cycle_year, "n": document.proposal_count or 0}
        )
    if getattr(document, "agreement_id", None):
        parts.append(str(format_lazy(_("DPRD approval request for {number}"), number=document.agreement_number)))
    if getattr(document, "plenary_id", None):
        parts.append(str(_("minutes of the TKKSD plenary")))
    return " · ".join(parts)


def pimpinan_sources(user, today: dt.date) -> list[Source]:
    """Pimpinan: the drafts waiting to be issued in their name, with what each decides, and what
    they issued that still waits for its signed original (registry/official/signed.py)."""
    offices = [Office.BUPATI]
    if official.holds_office(user, Office.KETUA_TKKSD):
        offices.append(Office.KETUA_TKKSD)
    drafts = _document_concerns(
        OfficialDocument.objects.filter(status=OfficialDocument.Status.DRAFT, signatory__in=offices).order_by(
            "created_at", "pk"
        )
    )
    return [
        Source(
            "drafts_to_issue",
            _("Drafts waiting to be issued"),
            drafts,
            lambda d: Row(
                "drafts_to_issue",
                str(format_lazy(_("Issue: {title}"), title=d.title)),
                d.get_absolute_url(),
                since=d.created_at,
                detail=draft_summary(d),
            ),
        ),
        Source(
            "awaiting_signature",
            _("Issued documents waiting for their signed original"),
            official.awaiting_signature(today).filter(signatory__in=offices),
            lambda d: Row(
                "awaiting_signature",
                str(format_lazy(_("Sign, or record the signed paper: {title}"), title=d.title)),
                d.get_absolute_url(),
                since=d.issue_date,
                detail=d.number,
            ),
        ),
        _opds_short_source(),
    ]


def dprd_sources(user, today: dt.date) -> list[Source]:
    """The DPRD: requests received and not yet decided, the nearest deadline first."""
    requests = (
        DprdApproval.objects.filter(decision=DprdApproval.Decision.PENDING, received_on__isnull=False)
        .select_related("agreement")
        .only("pk", "sent_on", "received_on", "due_on", *RELATED_AGREEMENT_LABEL)
        .order_by("due_on", "pk")
    )

    def row(approval, calendar=None) -> Row:
        detail = ""
        if approval.due_on is not None:
            left = desk.working_days_left(approval.due_on, today, calendar=calendar)
            if left >= 0:
                detail = ngettext("%(days)s working day left", "%(days)s working days left", left) % {"days": left}
            else:
                detail = ngettext(
                    "%(days)s working day past the deadline", "%(days)s working days past the deadline", -left
                ) % {"days": -left}
        return Row(
            "dprd_requests",
            str(format_lazy(_("Decide on the request: {agreement}"), agreement=_agreement_label(approval.agreement))),
            approval.get_absolute_url(),
            since=approval.received_on,
            due=approval.due_on,
            detail=detail,
        )

    def rows(approvals) -> list[Row]:
        # One calendar of working days for every row (registry/dprd.py).
        calendar = desk.queue_calendar(approvals, today)
        return [row(approval, calendar) for approval in approvals]

    return [Source("dprd_requests", _("Requests for DPRD approval to decide"), requests, row, rows=rows)]


def ppksd_sources(user, today: dt.date) -> list[Source]:
    """A PPKSD, for their own OPD only: returned proposals, reports owed or returned, stages where
    the OPD acts, evaluations to answer."""
    opd_id = user.opd_id
    if not opd_id:
        return []
    proposals = (
        Proposal.objects.filter(opd_id=opd_id, status=ProposalStatus.RETURNED)
        .only("pk", "title", "updated_at")
        .order_by("updated_at", "pk")
    )
    drafts = (
        Proposal.objects.filter(opd_id=opd_id, status=ProposalStatus.DRAFT, cycle__status=Cycle.Status.OPEN)
        .select_related("cycle")
        .only("pk", "title", "created_at", "cycle", "cycle__submission_deadline")
        .order_by("cycle__submission_deadline", "pk")
    )
    returned = (
        ImplementationReport.objects.filter(agreement__lead_opd_id=opd_id, status=ReportStatus.RETURNED)
        .select_related("agreement")
        .only("pk", "reviewed_at", *RELATED_AGREEMENT_LABEL)
        .order_by("period", "pk")
    )
    own = Agreement.objects.filter(lead_opd_id=opd_id)
    period = periods.current_period(today)
    # In the order of the OPD's index (agreement_lead_opd): the first few are found without
    # reading every agreement the OPD leads; all owe the same month by the same day.
    owing = monitoring_selectors.owing_report(own, period).only(*AGREEMENT_LABEL).order_by("-updated_at", "-pk")
    due = periods.due_date(period)
    acting = (
        own.filter(stage__in=OPD_STAGES)
        .only(*AGREEMENT_LABEL, "stage", "stage_changed_at")
        .order_by("stage_changed_at", "pk")
    )
    year, part = opd_evaluations.last_ended_part(today)
    evaluations = (
        opd_evaluations.agreements_owing(year, part, own).only(*AGREEMENT_LABEL).order_by("-updated_at", "-pk")
    )
    part_due = opd_evaluations.part_due(year, part)
    return [
        Source(
            "proposals_to_submit",
            _("Draft proposals to submit"),
            drafts,
            lambda p: Row(
                "proposals_to_submit",
                str(format_lazy(_("Check and submit to the TKKSD: {title}"), title=p.title)),
                p.get_absolute_url(),
                since=p.created_at,
                due=p.cycle.submission_deadline,
            ),
        ),
        Source(
            "proposals_returned",
            _("Proposals returned for revision"),
            proposals,
            lambda p: Row(
                "proposals_returned",
                str(format_lazy(_("Revise and submit again: {title}"), title=p.title)),
                reverse("planning:proposal_edit", args=[p.pk]),
                since=p.updated_at,
            ),
        ),
        Source(
            "reports_returned",
            _("Reports returned for revision"),
            returned,
            lambda r: Row(
                "reports_returned",
                str(format_lazy(_("Revise the report: {agreement}"), agreement=_agreement_label(r.agreement))),
                reverse("monitoring:report_edit", args=[r.pk]),
                since=r.reviewed_at,
            ),
        ),
        Source(
            "reports_owed",
            _("Monthly reports to file"),
            owing,
            lambda a: Row(
                "reports_owed",
                str(format_lazy(_("File the monthly report: {agreement}"), agreement=_agreement_label(a))),
                reverse("monitoring:report_create", args=[a.pk]) + f"?periode={period:%Y-%m}",
                since=periods.month_end(period),
                due=due,
            ),
            # The OPD's running agreements newest first (agreement_opd_running), up to the cap.
            count_in_order=True,
        ),
        Source(
            "opd_stages",
            _("Agreements at a stage where the OPD acts"),
            acting,
            lambda a: Row(
                "opd_stages",
                str(
                    format_lazy(
                        _("Prepare “{stage}”: {agreement}"), stage=a.get_stage_display(), agreement=_agreement_label(a)
                    )
                ),
                a.get_absolute_url(),
                since=a.stage_changed_at,
            ),
        ),
        Source(
            "opd_evaluations",
            _("Evaluations to answer"),
            evaluations,
            lambda a: Row(
                "opd_evaluations",
                str(
                    format_lazy(
                        _("Answer the evaluation of {part}: {agreement}"),
                        part=opd_evaluations.part_label(year, part),
                        agreement=_agreement_label(a),
                    )
                ),
                reverse("monitoring:opd_evaluation_create", args=[a.pk]) + f"?tahun={year}&bagian={part}",
                due=part_due,
            ),
            count_in_order=True,
        ),
    ]


def admin_sources(user, today: dt.date) -> list[Source]:
    """Admin: OPDs short of liaison officers; from December, the numbering series that cannot
    number the coming year (no {year} in the pattern: its numbers would repeat this year's)."""
    # Outside December the condition matches nothing, in SQL (the counts run as one query, which
    # an empty queryset would not join).
    series = (
        NumberSeries.objects.exclude(pattern__contains="{year}").filter(pk__isnull=today.month != 12).order_by("name")
    )
    next_year = today.year + 1
    return [
        _opds_short_source(),
        Source(
            "series_for_next_year",
            format_lazy(_("Numbering series to set up for {year}"), year=next_year),
            series,
            lambda item: Row(
                "series_for_next_year",
                str(
                    format_lazy(
                        _("“{name}” has no year in its number pattern: its {year} numbers would repeat this year's"),
                        name=item.name,
                        year=next_year,
                    )
                ),
                reverse("admin:registry_numberseries_change", args=[item.pk]),
                due=dt.date(today.year, 12, 31),
                detail=item.pattern,
            ),
        ),
    ]


SELECTORS = {
    Role.TKKSD: tkksd_sources,
    Role.PIMPINAN: pimpinan_sources,
    Role.DPRD: dprd_sources,
    Role.PPKSD: ppksd_sources,
    Role.ADMIN: admin_sources,
}


def sources_for(user, today: dt.date | None = None) -> list[Source]:
    """Every kind of entry waiting for `user`, over all their roles, each kind once."""
    today = today or timezone.localdate()
    sources: dict[str, Source] = {}
    for role, selector in SELECTORS.items():
        if has_role(user, role):
            for source in selector(user, today):
                sources.setdefault(source.kind, source)
    return list(sources.values())


# --- counting and reading -------------------------------------------------------------------------------


def counts(sources: list[Source]) -> dict[str, int]:
    """How many entries of each kind, each up to CAP + 1, in one query."""
    return counts_of(
        {source.kind: source.queryset for source in sources},
        cap=CAP,
        marker=MARKER,
        in_order={source.kind for source in sources if source.count_in_order},
    )


def _urgency(today: dt.date):
    def key(row: Row):
        due = row.due or dt.date.max
        since = row.since_date or today
        return (not row.overdue(today), due, since)

    return key


def queue_for(user, today: dt.date | None = None, *, rows: bool = True) -> Queue:
    """The user's queue: each kind's count and, with `rows`, its most urgent entries."""
    today = today or timezone.localdate()
    sources = sources_for(user, today)
    found = counts(sources)
    queue = Queue(groups=[Group(s.kind, str(s.title), found[s.kind]) for s in sources if found[s.kind]], today=today)
    if rows:
        for source in sources:
            count = found[source.kind]
            if not count:
                continue
            if source.summary is not None:
                queue.rows.append(source.summary(count))
            else:
                items = list(source.queryset[:ROWS_PER_KIND])
                queue.rows.extend(source.rows(items) if source.rows else [source.row(item) for item in items])
        queue.rows.sort(key=_urgency(today))
        del queue.rows[ROWS_SHOWN:]
        for row in queue.rows:
            row.age, row.is_overdue = row.age_days(today), row.overdue(today)
    return queue


def total_for(user) -> str:
    """The navigation's count: "" for an empty queue, "100+" beyond the cap."""
    queue = queue_for(user, rows=False)
    return "" if queue.is_empty else queue.total_shown
