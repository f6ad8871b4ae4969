"""Read queries of the monitoring app, scoped by the user who asks.

Who reads what: TKKSD, Pimpinan and Admin read every agreement's monitoring; a PPKSD the
agreements their OPD leads; the DPRD the agreements it has been asked to approve. One
object is fetched through a `get_*_for(user, pk)` helper that answers 404 both for "missing"
and "not yours".
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import dprd, lifecycle, terms
from registry.models import (
    OPD,
    Agreement,
    DprdApproval,
    Kind,
    Relation,
    Stage,
)
from registry.roles import READ_ALL_ROLES, Role, has_role
from registry.selectors import agreements_visible_to

from . import periods
from .models import (
    FILED_STATUSES,
    Evaluation,
    ImplementationReport,
    Notification,
    ReportAttachment,
    ReportStatus,
)

ACTIVE_STAGES = sorted(lifecycle.ACTIVE_STAGES)

# --- notifications -----------------------------------------------------------------------------------


def notifications_for(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- scope -------------------------------------------------------------------------------------------


def reads_all(user) -> bool:
    return has_role(user, *READ_ALL_ROLES)


def agreements_monitored_by(user):
    """The agreements whose reports and evaluations a user may read: the registry's scope
    (a PPKSD reads what their OPD leads or takes part in, the DPRD what it was asked to approve)."""
    return agreements_visible_to(user)


def dashboard_scope_key(user) -> str | None:
    """Whose agreements a dashboard counts: "all" for TKKSD, Pimpinan and Admin, "opd-<pk>" (the
    OPD's own) for a PPKSD, None for anyone else (the dashboard is not theirs)."""
    if reads_all(user):
        return "all"
    if has_role(user, Role.PPKSD) and user.opd_id:
        return f"opd-{user.opd_id}"
    return None


def scope_of_key(key: str):
    """The agreements of a dashboard scope key (see dashboard_scope_key)."""
    if key == "all":
        return Agreement.objects.all()
    if key.startswith("opd-") and key[4:].isdigit():
        return Agreement.objects.filter(lead_opd_id=int(key[4:]))
    raise ValueError(key)


def dashboard_scope(user):
    """The agreements a dashboard counts for this user, or None (see dashboard_scope_key)."""
    key = dashboard_scope_key(user)
    return None if key is None else scope_of_key(key)


def get_monitored_agreement_for(user, pk) -> Agreement:
    return get_object_or_404(agreements_monitored_by(user).select_related("lead_opd"), pk=pk)


# --- reports -----------------------------------------------------------------------------------------


def reports_visible_to(user):
    reports = ImplementationReport.objects.select_related("agreement", "agreement__lead_opd", "submitted_by")
    if reads_all(user):
        return reports
    return reports.filter(agreement__in=agreements_monitored_by(user))


# The columns a row of the report list prints; the report's long texts stay in the database.
REPORT_LIST_COLUMNS = (
    "period",
    "progress",
    "status",
    "submitted_at",
    "agreement__title",
    "agreement__lead_opd__name",
    "submitted_by__username",
    "submitted_by__first_name",
    "submitted_by__last_name",
)


def report_list(user):
    """The report list's queryset, newest month first (the report_recent index)."""
    return reports_visible_to(user).only(*REPORT_LIST_COLUMNS).order_by("-period", "-submitted_at", "-id")


def get_report_for(user, pk) -> ImplementationReport:
    return get_object_or_404(reports_visible_to(user).select_related("reviewed_by"), pk=pk)


def get_attachment_for(user, pk) -> ReportAttachment:
    attachments = ReportAttachment.objects.select_related("report")
    if not reads_all(user):
        attachments = attachments.filter(report__agreement__in=agreements_monitored_by(user))
    return get_object_or_404(attachments, pk=pk)


def reports_of(agreement: Agreement) -> dict[date, ImplementationReport]:
    return {report.period: report for report in agreement.implementation_reports.all()}


@dataclass(frozen=True)
class PeriodState:
    period: date
    due_date: date
    report: ImplementationReport | None
    overdue: bool

    @property
    def state(self) -> str:
        if self.report is not None:
            return self.report.status
        return "overdue" if self.overdue else "owed"


def period_states(agreement: Agreement, today: date) -> list[PeriodState]:
    """Every period the agreement has had to report on, newest first, with its report if any.

    A period with no report, or with a report returned for revision, is overdue after its
    due day (docs/domain.md §7).
    """
    reports = reports_of(agreement)
    states = []
    for period in periods.owed_periods(agreement.start_date, agreement.end_date, today):
        report = reports.get(period)
        filed = report is not None and report.is_filed
        overdue = not filed and periods.is_overdue(period, today)
        states.append(PeriodState(period, periods.due_date(period), report, overdue))
    # Reports on periods outside the term (a term changed later) are listed too.
    listed = {state.period for state in states}
    for period, report in sorted(reports.items(), reverse=True):
        if period not in listed:
            states.append(PeriodState(period, periods.due_date(period), report, False))
    return sorted(states, key=lambda state: state.period, reverse=True)


def owes_reports(agreement: Agreement) -> bool:
    """Agreements in implementation report monthly (every stage of a signed, running agreement)."""
    return agreement.stage in lifecycle.ACTIVE_STAGES


def running_during(period: date) -> Q:
    """Signed, running agreements whose term covers some day of `period`."""
    return Q(stage__in=ACTIVE_STAGES, start_date__lte=periods.month_end(period)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period)
    )


def filed_report_for(period: date) -> Exists:
    return Exists(
        ImplementationReport.objects.filter(agreement=OuterRef("pk"), period=period, status__in=FILED_STATUSES)
    )


def owing_report(queryset, period: date):
    """Agreements of `queryset` that owe the report on `period` and have not filed it."""
    return queryset.filter(running_during(period)).exclude(filed_report_for(period))


def review_queue(user):
    """Reports waiting for the TKKSD's review, oldest period first."""
    return reports_visible_to(user).filter(status=ReportStatus.SUBMITTED).order_by("period", "submitted_at")


# --- dormant agreements ------------------------------------------------------------------------------------


def kb_pending_stages() -> list[str]:
    """Stages after the Kesepakatan Bersama is signed and before the PKS is: KSDD and KSDPK."""
    stages = lifecycle.stages_of(Kind.KSDD)
    return stages[stages.index(Stage.PENANDATANGANAN_KB) + 1 : stages.index(Stage.PENANDATANGANAN_PKS) + 1]


def kb_without_pks(queryset):
    """KB-stage agreements annotated with `kb_signed` (filter on it for the warning period).

    A KB followed by a PKS in its own record moves on to implementation; one followed by
    separate PKS records (one per OPD) is left out once one of them has been signed.
    """
    signed_follow_up = Agreement.objects.filter(
        parent=OuterRef("pk"), relation=Relation.PKS_OF_KB, stage__in=[*ACTIVE_STAGES, Stage.BERAKHIR]
    )
    return (
        queryset.filter(kind__in=[Kind.KSDD, Kind.KSDPK], stage__in=kb_pending_stages())
        .exclude(relation__in=[Relation.PKS_OF_KB, Relation.ADDENDUM])
        .exclude(Exists(signed_follow_up))
        # Kept on the agreement (registry/attention.py): an indexed column, not a subquery per row.
        .annotate(kb_signed=F("kb_signed_on"))
    )


def _with_total(queryset, order, limit=10, cap: int | None = None) -> tuple[int, list]:
    """How many rows match, and the first `limit` of them: a plain COUNT (the planner takes a
    bitmap scan or a hash anti-join over the whole set) and a short ordered list. With `cap`, the
    count stops at `cap` + 1 rows, the same work at any size of the register."""
    counted = queryset.order_by() if cap is None else queryset.order_by()[: cap + 1]
    return counted.count(), list(queryset.order_by(*order)[:limit])


def _by(field: str, *, in_index_order: bool = False) -> list:
    """Oldest first, by a date that is never empty on these rows. NULLS FIRST matches no index,
    so the planner filters first and sorts the few rows left instead of walking the date index
    across the whole table looking for ten rows of one OPD. Over the whole register
    (`in_index_order`), walking the date's partial index is what finds the first rows at once."""
    return [F(field).asc() if in_index_order else F(field).asc(nulls_first=True), "pk"]


LIST_COLUMNS = ("pk", "register_number", "title", "kind", "stage", "start_date", "end_date", "lead_opd__name")


class DormantReason(models.TextChoices):
    NO_REPORT = "no_report", _("In implementation without an accepted report")
    KB_WITHOUT_PKS = "kb_without_pks", _("Kesepakatan Bersama without a PKS")
    PAST_END = "past_end", _("Past its end date but still running")
    LONG_TERM = "long_term", _("Term beyond the usual limit")


def dormant_cutoffs(today: date) -> tuple[date, date]:
    """(first month that must have an accepted report, latest KB date that is overdue for a PKS)."""
    report_cutoff = periods.add_months(periods.month_start(today), -settings.DORMANT_AFTER_MONTHS)
    kb_cutoff = periods.add_months(today, -settings.KB_TO_PKS_WARNING_MONTHS)
    return report_cutoff, kb_cutoff


def no_accepted_report_q(today: date) -> Q:
    """In implementation for the whole dormant period, with no accepted report for any month of it:
    read from the month of the latest accepted report kept on the agreement
    (monitoring.services.refresh_last_report)."""
    cutoff, _kb = dormant_cutoffs(today)
    return Q(stage__in=ACTIVE_STAGES, start_date__lt=cutoff) & (
        Q(last_report_period__isnull=True) | Q(last_report_period__lt=cutoff)
    )


def long_term_q() -> Q:
    """Not closed, with a term (its extensions counted) beyond KSD_MAX_TERM_YEARS (registry/terms.py)."""
    return Q(term_months__gt=terms.limit_months()) & ~Q(stage__in=lifecycle.CLOSED_STAGES)


def past_end_q(today: date) -> Q:
    return Q(stage__in=ACTIVE_STAGES, end_date__lt=today)


@dataclass(frozen=True)
class DormantRow:
    agreement: "Agreement | AgreementItem"
    reason: str
    since: date | None

    @property
    def reason_label(self) -> str:
        return DormantReason(self.reason).label


def dormant_with_counts(
    queryset, today: date, *, limit: int, cap: int | None = None, whole_register: bool = False
) -> dict[str, tuple[int, list[DormantRow]]]:
    """The agreements needing attention, per reason (seed 003's "dormant" agreements): how many
    (up to `cap` + 1 with a cap), and the first `limit` of them. Two queries per reason whatever
    the data: in implementation without an accepted report for DORMANT_AFTER_MONTHS, a KB with
    no PKS after KB_TO_PKS_WARNING_MONTHS, a term past its end date while still marked running,
    and a term beyond KSD_MAX_TERM_YEARS. `whole_register` says that `queryset` is every
    agreement: the rows are then read in the order of the dates' indexes.
    """
    _cutoff, kb_cutoff = dormant_cutoffs(today)
    queryset = queryset.select_related("lead_opd").only(*LIST_COLUMNS)

    def by(field):
        return _by(field, in_index_order=whole_register)

    no_report = _with_total(queryset.filter(no_accepted_report_q(today)), by("start_date"), limit, cap)
    kb = _with_total(kb_without_pks(queryset).filter(kb_signed__lte=kb_cutoff), by("kb_signed"), limit, cap)
    past_end = _with_total(queryset.filter(past_end_q(today)), by("end_date"), limit, cap)
    long_term = _with_total(queryset.filter(long_term_q()), by("start_date"), limit, cap)
    return {
        DormantReason.NO_REPORT: (
            no_report[0],
            [DormantRow(a, DormantReason.NO_REPORT, a.start_date) for a in no_report[1]],
        ),
        DormantReason.KB_WITHOUT_PKS: (
            kb[0],
            [DormantRow(a, DormantReason.KB_WITHOUT_PKS, a.kb_signed) for a in kb[1]],
        ),
        DormantReason.PAST_END: (past_end[0], [DormantRow(a, DormantReason.PAST_END, a.end_date) for a in past_end[1]]),
        DormantReason.LONG_TERM: (
            long_term[0],
            [DormantRow(a, DormantReason.LONG_TERM, a.start_date) for a in long_term[1]],
        ),
    }


def dormant(queryset, today: date, *, limit: int = 200) -> dict[str, list[DormantRow]]:
    """The first `limit` agreements needing attention, per reason."""
    return {reason: rows for reason, (_count, rows) in dormant_with_counts(queryset, today, limit=limit).items()}


# --- evaluations ----------------------------------------------------------------------------------------


# What a row of the evaluation list prints (monitoring.rows.evaluation_rows): the scores its average
# is computed from, not the SWOT and the agreement's long texts; its year names it.
EVALUATION_ROW = (
    "year",
    "agreement__title",
    "agreement__lead_opd__name",
    "effectiveness",
    "efficiency",
    "benefit",
    "compliance",
    "recommendation",
    "status",
)


def evaluation_list(user, year: int):
    """The evaluation list page: the year's evaluations the user may see, by agreement title, with
    the columns their rows print."""
    return (
        evaluations_visible_to(user)
        .filter(year=year)
        .select_related(None)
        .select_related("agreement__lead_opd")
        .only(*EVALUATION_ROW)
        .order_by("agreement__title", "pk")
    )


def evaluations_visible_to(user):
    """TKKSD, Pimpinan and Admin read every evaluation, drafts included; a PPKSD and the DPRD
    read the final evaluations of the agreements they see."""
    evaluations = Evaluation.objects.select_related("agreement", "agreement__lead_opd", "created_by")
    if reads_all(user):
        return evaluations
    return evaluations.final().filter(agreement__in=agreements_monitored_by(user))


def get_evaluation_for(user, pk) -> Evaluation:
    return get_object_or_404(evaluations_visible_to(user).select_related("finalised_by"), pk=pk)


def awaiting_evaluation(queryset, year: int):
    """Running agreements with no evaluation (draft or final) for `year`."""
    evaluated = Evaluation.objects.filter(agreement=OuterRef("pk"), year=year)
    return (
        queryset.filter(stage__in=ACTIVE_STAGES, start_date__lte=date(year, 12, 31))
        .exclude(Exists(evaluated))
        .select_related("lead_opd")
        .order_by("end_date", "pk")
    )


# --- dashboard --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementItem:
    """An agreement as the dashboard lists it: what its row prints, nothing more, so that a
    dashboard can be stored (monitoring.dashboard) and read back without touching the registry."""

    pk: int
    title: str
    register_number: str
    opd_name: str
    start_date: date | None
    end_date: date | None

    @classmethod
    def of(cls, agreement: Agreement) -> "AgreementItem":
        return cls(
            agreement.pk,
            agreement.title,
            agreement.register_number,
            agreement.lead_opd.name,
            agreement.start_date,
            agreement.end_date,
        )

    @classmethod
    def from_data(cls, data: dict) -> "AgreementItem":
        return cls(**{**data, "start_date": _date(data["start_date"]), "end_date": _date(data["end_date"])})

    def get_absolute_url(self) -> str:
        return reverse("registry:agreement_detail", args=[self.pk])


@dataclass(frozen=True)
class ApprovalItem:
    """A request waiting for the DPRD, as the dashboard lists it."""

    agreement: AgreementItem
    received_on: date
    due_on: date | None


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class Dashboard:
    total: int = 0
    # Counts per stage and per kind by their codes; by_stage and by_kind label them in the
    # language of the page.
    stage_counts: dict[str, int] = field(default_factory=dict)
    kind_counts: dict[str, int] = field(default_factory=dict)
    by_opd: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[tuple[int, int]] = field(default_factory=list)
    expiring_count: int = 0
    expiring: list[AgreementItem] = field(default_factory=list)
    overdue_period: date | None = None
    overdue_count: int = 0
    overdue: list[AgreementItem] = field(default_factory=list)
    dprd_pending_count: int = 0
    # (request, working days waited, calendar days left before the deadline) as of the day computed:
    # the DPRD's term is counted in working days, as in its queue (registry/dprd.py).
    dprd_pending: list[tuple[ApprovalItem, int, int | None]] = field(default_factory=list)
    dormant_counts: dict[str, int] = field(default_factory=dict)
    dormant: list[DormantRow] = field(default_factory=list)
    review_count: int = 0
    computed_at: datetime | None = None

    @property
    def by_stage(self) -> list[tuple[str, int]]:
        return [(str(stage.label), self.stage_counts[stage]) for stage in Stage if stage in self.stage_counts]

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        return [(str(kind.label).split(":")[0], self.kind_counts[kind]) for kind in Kind if kind in self.kind_counts]

    @property
    def dormant_summary(self) -> list[tuple[str, str, int]]:
        return [(reason.value, reason.label, self.dormant_counts.get(reason, 0)) for reason in DormantReason]

    @property
    def dormant_total(self) -> int:
        return sum(self.dormant_counts.values())

    @property
    def overdue_due(self) -> date | None:
        """The day the overdue reports were due."""
        return periods.due_date(self.overdue_period) if self.overdue_period else None

    def chart_data(self) -> dict:
        """What the charts draw, passed to the page with json_script."""
        return {
            "stage": {"labels": [label for label, _n in self.by_stage], "values": [n for _l, n in self.by_stage]},
            "kind": {"labels": [label for label, _n in self.by_kind], "values": [n for _l, n in self.by_kind]},
            "opd": {"labels": [label for label, _n in self.by_opd], "values": [n for _l, n in self.by_opd]},
            "year": {"labels": [str(year) for year, _n in self.by_year], "values": [n for _y, n in self.by_year]},
        }

    # Raised whenever to_data() changes shape: stored data of another version is not read back.
    DATA_VERSION = 1

    def to_data(self) -> dict:
        """The figures as JSON-ready data (dates become ISO strings with DjangoJSONEncoder)."""
        return {
            "version": self.DATA_VERSION,
            "total": self.total,
            "stage_counts": self.stage_counts,
            "kind_counts": self.kind_counts,
            "by_opd": self.by_opd,
            "by_year": self.by_year,
            "expiring_count": self.expiring_count,
            "expiring": [asdict(item) for item in self.expiring],
            "overdue_period": self.overdue_period,
            "overdue_count": self.overdue_count,
            "overdue": [asdict(item) for item in self.overdue],
            "dprd_pending_count": self.dprd_pending_count,
            "dprd_pending": [[asdict(approval), waited, left] for approval, waited, left in self.dprd_pending],
            "dormant_counts": self.dormant_counts,
            "dormant": [
                {"agreement": asdict(row.agreement), "reason": row.reason, "since": row.since} for row in self.dormant
            ],
        }

    @classmethod
    def from_data(cls, data: dict, *, computed_at: datetime) -> "Dashboard":
        def approval(item: dict) -> ApprovalItem:
            return ApprovalItem(
                agreement=AgreementItem.from_data(item["agreement"]),
                received_on=_date(item["received_on"]),
                due_on=_date(item["due_on"]),
            )

        return cls(
            total=data["total"],
            stage_counts=data["stage_counts"],
            kind_counts=data["kind_counts"],
            by_opd=[tuple(pair) for pair in data["by_opd"]],
            by_year=[tuple(pair) for pair in data["by_year"]],
            expiring_count=data["expiring_count"],
            expiring=[AgreementItem.from_data(item) for item in data["expiring"]],
            overdue_period=_date(data["overdue_period"]),
            overdue_count=data["overdue_count"],
            overdue=[AgreementItem.from_data(item) for item in data["overdue"]],
            dprd_pending_count=data["dprd_pending_count"],
            dprd_pending=[(approval(item), waited, left) for item, waited, left in data["dprd_pending"]],
            dormant_counts=data["dormant_counts"],
            dormant=[
                DormantRow(AgreementItem.from_data(row["agreement"]), row["reason"], _date(row["since"]))
                for row in data["dormant"]
            ],
            computed_at=computed_at,
        )


EXPIRING_MONTHS = 6
DASHBOARD_ROWS = 10
DASHBOARD_OPDS = 15


def dashboard(scope, today: date) -> Dashboard:
    """The dashboard's numbers for the agreements of `scope`, in fifteen queries whatever the data.

    One GROUP BY gives the counts by stage, kind, OPD and year; each list (expiring, overdue,
    waiting for the DPRD, each reason for attention) is a COUNT and a short ordered LIMIT, with
    every anti-join in a WHERE clause, where PostgreSQL runs it as a hash anti-join.
    """
    board = Dashboard()
    by_stage: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    by_opd: dict[int, int] = {}
    by_year: dict[int, int] = {}
    groups = (
        scope.order_by()
        .annotate(year=ExtractYear("start_date"))
        .values_list("stage", "kind", "lead_opd_id", "year")
        .annotate(n=Count("pk"))
    )
    for stage, kind, opd_id, year, count in groups:
        by_stage[stage] = by_stage.get(stage, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
        by_opd[opd_id] = by_opd.get(opd_id, 0) + count
        if year is not None:
            by_year[year] = by_year.get(year, 0) + count
    board.total = sum(by_kind.values())
    board.stage_counts = by_stage
    board.kind_counts = by_kind
    board.by_year = sorted(by_year.items())
    names = {
        pk: abbreviation or name
        for pk, abbreviation, name in OPD.objects.filter(pk__in=list(by_opd)).values_list("pk", "abbreviation", "name")
    }
    top = sorted(by_opd.items(), key=lambda item: (-item[1], names.get(item[0], "")))[:DASHBOARD_OPDS]
    board.by_opd = [(names.get(pk, "?"), count) for pk, count in top]

    listed = scope.select_related("lead_opd").only(*LIST_COLUMNS)
    horizon = periods.add_months(today, EXPIRING_MONTHS)
    board.expiring_count, expiring = _with_total(
        listed.filter(stage__in=ACTIVE_STAGES, end_date__gte=today, end_date__lte=horizon), ["end_date", "pk"]
    )
    board.expiring = [AgreementItem.of(agreement) for agreement in expiring]
    period = periods.latest_overdue_period(today)
    board.overdue_period = period
    board.overdue_count, overdue = _with_total(owing_report(listed, period), _by("start_date"))
    board.overdue = [AgreementItem.of(agreement) for agreement in overdue]
    pending = (
        DprdApproval.objects.filter(decision=DprdApproval.Decision.PENDING, received_on__isnull=False)
        .filter(agreement__in=scope)
        .select_related("agreement__lead_opd")
    )
    board.dprd_pending_count, approvals = _with_total(pending, [F("due_on").asc(nulls_last=True), "received_on", "pk"])
    # One working-day calendar (one query for the regional days off) for every row.
    calendar = dprd.calendar_for(min(a.received_on for a in approvals), today) if approvals else None
    board.dprd_pending = [
        (
            ApprovalItem(AgreementItem.of(approval.agreement), approval.received_on, approval.due_on),
            dprd.working_days_waited(approval.received_on, today, calendar=calendar),
            _days_left(approval, today),
        )
        for approval in approvals
    ]
    counts, rows = {}, []
    for reason, (count, found) in dormant_with_counts(listed, today, limit=DASHBOARD_ROWS).items():
        counts[str(reason)] = count
        rows += [DormantRow(AgreementItem.of(row.agreement), row.reason, row.since) for row in found]
    board.dormant_counts = counts
    board.dormant = rows[:DASHBOARD_ROWS]
    board.review_count = review_count(scope)
    board.computed_at = timezone.now()
    return board


def review_count(scope) -> int:
    return ImplementationReport.objects.filter(status=ReportStatus.SUBMITTED, agreement__in=scope).count()


def _days_left(approval, today: date) -> int | None:
    due = getattr(approval, "due_on", None)
    return (due - today).days if due else None


# --- the periodic report to the Gubernur and the Menteri ------------------------------------------------------


def periodic_report_agreements(start: date, end: date):
    """Every KSD the Pemda had during [start, end] (docs/domain.md §7): not rejected or withdrawn,
    started by the end of the period (or, without a start date yet, recorded by then), and not
    ended before it began; each with its final evaluations up to the period's year (newest
    first) in `final_evaluations`."""
    evaluations = Evaluation.objects.final().filter(year__lte=end.year).order_by("-year")
    return (
        Agreement.objects.filter(Q(start_date__lte=end) | Q(start_date__isnull=True, created_at__date__lte=end))
        .exclude(stage__in=[Stage.DITOLAK, Stage.DIBATALKAN])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("lead_opd", "urusan")
        .prefetch_related("partners", Prefetch("evaluations", queryset=evaluations, to_attr="final_evaluations"))
        .order_by("kind", "start_date", "pk")
    )
