"""The DPRD approval queue: the legal deadline in working days, the queue and its overview, the
request letter, the members' review notes and the consequence of silence (docs/domain.md §3).

The DPRD answers within `DPRD_DEADLINE_WORKDAYS` (45) hari kerja of the day it receives the
request (PP 28/2018 Pasal 30(4), applied to every kind); "hari" means hari kerja (UU 23/2014
Pasal 1 angka 50). A working day is a weekday that is neither a national holiday nor a cuti
bersama, both from the `holidays` package (Indonesia, categories public and government: a new
decree on cuti bersama arrives with a package update), nor a regional day off an Admin entered
(registry.DayOff). This module is the one place that computes the deadline; the request stores
it in `DprdApproval.due_on` for the queue, the reminders and the daily silence scan.
"""

import datetime as dt
import hashlib
import logging
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kerjasama import snapshots
from kerjasama.formatting import long_date, number_in_words, rupiah_with_words, term_in_words

from . import official, services, signals, terms
from .errors import AlreadyDone
from .models import (
    Agreement,
    AgreementDocument,
    DayOff,
    DocumentKind,
    DocumentType,
    DprdApproval,
    DprdOverviewSnapshot,
    DprdReviewNote,
    Kind,
    PemdaProfile,
    Stage,
)
from .official.pdf import head_title
from .roles import READ_ALL_ROLES, Role, has_role

logger = logging.getLogger(__name__)

HOLIDAY_CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)
# An open request this close to its deadline (in working days) is flagged as due soon.
DUE_SOON_WORKDAYS = 10
REQUEST_SERIES = "surat-kerja-sama"
Decision = DprdApproval.Decision

# --- working days ---------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def national_days_off(year: int) -> dict[dt.date, str]:
    """Indonesia's national holidays and cuti bersama of `year`, with their Indonesian names."""
    calendar = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES, language="id")
    return dict(calendar)


class WorkCalendar:
    """Working days between two dates, from one query for the regional days off.

    Counting uses prefix sums, so a queue of any length costs no more queries and little time.
    A date outside the loaded span widens it (one more query for the regional days off).
    """

    def __init__(self, first: dt.date, last: dt.date):
        self._load(first, last)

    def _load(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.days_off: dict[dt.date, str] = {}
        for year in range(first.year, last.year + 1):
            self.days_off.update(national_days_off(year))
        for day_off in DayOff.objects.filter(date__range=(first, last)).only("date", "name"):
            existing = self.days_off.get(day_off.date)
            self.days_off[day_off.date] = f"{existing}; {day_off.name}" if existing else day_off.name
        self._working: list[dt.date] = []
        day = first
        while day <= last:
            if self._is_working(day):
                self._working.append(day)
            day += dt.timedelta(days=1)

    def _is_working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def _cover(self, *days: dt.date) -> None:
        first, last = min(self.first, *days), max(self.last, *days)
        if (first, last) != (self.first, self.last):
            self._load(first, last)

    def is_working_day(self, day: dt.date) -> bool:
        self._cover(day)
        return self._is_working(day)

    def day_off_name(self, day: dt.date) -> str:
        self._cover(day)
        return self.days_off.get(day, "")

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier."""
        if end < start:
            return -self.count(end, start)
        self._cover(start, end)
        return bisect_right(self._working, end) - bisect_right(self._working, start)

    def add(self, start: dt.date, workdays: int) -> dt.date:
        """The `workdays`-th working day after `start` (`start` itself for 0)."""
        if workdays < 0:
            raise ValueError("count working days forward only")
        if workdays == 0:
            return start
        # 45 working days span at most about 75 calendar days, Lebaran included; widen until covered.
        horizon = start + dt.timedelta(days=workdays * 2 + 30)
        while True:
            self._cover(start, horizon)
            index = bisect_right(self._working, start) + workdays - 1
            if index < len(self._working):
                return self._working[index]
            horizon += dt.timedelta(days=workdays * 2 + 30)


def calendar_for(first: dt.date, last: dt.date) -> WorkCalendar:
    return WorkCalendar(min(first, last), max(first, last))


def deadline_for(received_on: dt.date, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of the DPRD's legal term for a request it received on `received_on`.

    The term runs from the day after receipt: the 45th working day after `received_on` is the
    last day on which the DPRD answers in time.
    """
    workdays = settings.DPRD_DEADLINE_WORKDAYS
    calendar = calendar or calendar_for(received_on, received_on + dt.timedelta(days=workdays * 2 + 30))
    return calendar.add(received_on, workdays)


def working_days_left(due_on: dt.date, today: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days from `today` to the deadline: 0 on the last day, negative once it has passed."""
    calendar = calendar or calendar_for(today, due_on)
    return calendar.count(today, due_on)


def working_days_waited(received_on: dt.date, today: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days since the DPRD received the request."""
    calendar = calendar or calendar_for(received_on, today)
    return max(calendar.count(received_on, today), 0)


def days_off_of(year: int) -> list[tuple[dt.date, str, bool]]:
    """Every day off of a year that falls on a weekday: (date, name, regional)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    regional = set(DayOff.objects.filter(date__range=(first, last)).values_list("date", flat=True))
    calendar = WorkCalendar(first, last)
    return [(day, name, day in regional) for day, name in sorted(calendar.days_off.items()) if day.weekday() < 5]


def deadline_workdays() -> int:
    return settings.DPRD_DEADLINE_WORKDAYS


def due_soon_limit(today: dt.date, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The last deadline that counts as due soon, seen from `today`."""
    calendar = calendar or calendar_for(today, today + dt.timedelta(days=DUE_SOON_WORKDAYS * 2 + 30))
    return calendar.add(today, DUE_SOON_WORKDAYS)


# The years the calendar page shows.
CALENDAR_YEARS = (2000, 2100)


# --- who sees what -------------------------------------------------------------------------------------

QUEUE_ROLES = (*READ_ALL_ROLES, Role.DPRD)
OVERVIEW_ROLES = READ_ALL_ROLES


def requests_visible_to(user):
    """Requests a user may read: the DPRD those sent to it, TKKSD, Pimpinan and Admin all (those
    still being prepared included); nobody else any."""
    requests = DprdApproval.objects.all()
    if has_role(user, *READ_ALL_ROLES):
        return requests
    if has_role(user, Role.DPRD):
        return requests.filter(Q(received_on__isnull=False) | Q(sent_on__isnull=False))
    return requests.none()


def get_request_for(user, pk) -> DprdApproval:
    queryset = requests_visible_to(user).select_related(
        "agreement__lead_opd", "agreement__urusan", "request_letter", "decision_letter", "decided_by"
    )
    return get_object_or_404(queryset, pk=pk)


def can_decide(user, approval: DprdApproval) -> bool:
    """The DPRD records its own decision; TKKSD and Admin may file it on the DPRD's behalf."""
    return approval.is_open and has_role(user, Role.DPRD, Role.TKKSD, Role.ADMIN)


def can_write_note(user, approval: DprdApproval) -> bool:
    return approval.is_open and has_role(user, Role.DPRD)


def can_withdraw(user, approval: DprdApproval) -> bool:
    return approval.decision == Decision.PENDING and has_role(user, Role.TKKSD, Role.ADMIN)


def can_record_receipt(user, approval: DprdApproval) -> bool:
    """The TKKSD records the day the DPRD received the letter, from the DPRD's agenda."""
    return approval.awaiting_receipt and has_role(user, Role.TKKSD, Role.ADMIN)


def can_draft_letter(user, agreement: Agreement) -> bool:
    return services.can_request_dprd(user, agreement)


# --- the queue ---------------------------------------------------------------------------------------


def open_requests():
    """Requests the DPRD has received and not answered: their legal term runs."""
    return DprdApproval.objects.filter(decision=Decision.PENDING, received_on__isnull=False)


def sent_requests():
    """Requests sent to the DPRD whose receipt is not recorded yet: no term runs."""
    return DprdApproval.objects.filter(decision=Decision.PENDING, received_on__isnull=True, sent_on__isnull=False)


# The columns a queue row prints; the agreements' wide text columns stay in the database.
QUEUE_COLUMNS = (
    "request_number",
    "sent_on",
    "received_on",
    "due_on",
    "decision",
    "agreement__title",
    "agreement__register_number",
    "agreement__lead_opd__name",
    "agreement__lead_opd__abbreviation",
    "agreement__partner_names",
)


def _queue_of(user):
    """Received and sent requests still waiting for the DPRD."""
    if not has_role(user, *QUEUE_ROLES):
        return DprdApproval.objects.none()
    return DprdApproval.objects.filter(decision=Decision.PENDING).filter(
        Q(received_on__isnull=False) | Q(sent_on__isnull=False)
    )


def dprd_queue(user):
    """Open requests (every queue role reads them all), the most urgent first, with what a
    queue row prints. The note count is a per-row subquery, so that only the rows of the page
    are counted rather than the whole queue grouped."""
    notes = (
        DprdReviewNote.objects.filter(approval=OuterRef("pk"))
        .order_by()
        .values("approval")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        _queue_of(user)
        .select_related("agreement__lead_opd")
        .only(*QUEUE_COLUMNS)
        .annotate(note_count=Coalesce(Subquery(notes), 0))
        .order_by(F("due_on").asc(nulls_last=True), "received_on", "sent_on", "pk")
    )


@dataclass
class QueueRow:
    approval: DprdApproval
    days_waited: int
    calendar_days_waited: int
    # None while the DPRD's receipt is not recorded: no term runs yet.
    days_left: int | None
    partner_names: str = ""

    @property
    def agreement(self) -> Agreement:
        return self.approval.agreement

    @property
    def awaiting_receipt(self) -> bool:
        return self.days_left is None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_WORKDAYS

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def waited_label(self) -> str:
        days = self.days_waited
        return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}

    @property
    def remaining_label(self) -> str:
        if self.awaiting_receipt:
            return gettext("Sent, not yet received")
        if self.overdue:
            days = self.days_overdue
            return ngettext("Overdue by %(days)s working day", "Overdue by %(days)s working days", days) % {
                "days": days
            }
        if self.days_left == 0:
            return gettext("Last day today")
        days = self.days_left
        return ngettext("%(days)s working day left", "%(days)s working days left", days) % {"days": days}

    @property
    def badge(self) -> str:
        """The colour of the time left: red once the last day has come, amber when due soon."""
        if self.awaiting_receipt:
            return "secondary"
        if self.days_left <= 0:
            return "danger"
        return "warning" if self.due_soon else "success"


def queue_calendar(approvals, today: dt.date) -> WorkCalendar:
    """One calendar for a page of the queue: its requests' dates and the due-soon horizon."""
    dates = [today, today + dt.timedelta(days=DUE_SOON_WORKDAYS * 2 + 30)]
    for approval in approvals:
        dates.extend(day for day in (approval.sent_on, approval.received_on, approval.due_on) if day)
    return calendar_for(min(dates), max(dates))


def queue_rows(approvals, today: dt.date, *, calendar: WorkCalendar | None = None) -> list[QueueRow]:
    """Age and days left for each request, from one calendar (one query, whatever the count)."""
    approvals = list(approvals)
    if not approvals:
        return []
    calendar = calendar or queue_calendar(approvals, today)
    rows = []
    for approval in approvals:
        if approval.received_on is None:
            since = approval.sent_on or today
            rows.append(
                QueueRow(
                    approval=approval,
                    days_waited=max(calendar.count(since, today), 0),
                    calendar_days_waited=max((today - since).days, 0),
                    days_left=None,
                    partner_names=approval.agreement.partner_names,
                )
            )
            continue
        due_on = approval.due_on or calendar.add(approval.received_on, settings.DPRD_DEADLINE_WORKDAYS)
        rows.append(
            QueueRow(
                approval=approval,
                days_waited=max(calendar.count(approval.received_on, today), 0),
                calendar_days_waited=max((today - approval.received_on).days, 0),
                days_left=calendar.count(today, due_on),
                partner_names=approval.agreement.partner_names,
            )
        )
    return rows


def filter_queue(queryset, status: str, today: dt.date):
    """Only the overdue requests, or only those due soon."""
    if status == "overdue":
        return queryset.filter(due_on__lt=today)
    if status == "due_soon":
        return queryset.filter(due_on__gte=today, due_on__lte=due_soon_limit(today))
    return queryset


def queue_counts(user, today: dt.date, *, calendar: WorkCalendar | None = None) -> dict[str, int]:
    """How many requests wait for the DPRD, how many are overdue, due soon, or sent and not yet
    received (one query)."""
    soon = due_soon_limit(today, calendar=calendar)
    return _queue_of(user).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
        awaiting_receipt=Count("pk", filter=Q(received_on__isnull=True)),
    )


# Documents a DPRD request rests on (docs/domain.md §3), as the letter lists them.
ATTACHMENT_NAMES = {
    DocumentType.KB: "Kesepakatan Bersama yang telah ditandatangani",
    DocumentType.DRAF_NK_RK: "Rancangan Nota Kesepakatan dan Rencana Kerja",
    DocumentType.LOI: "Pernyataan Kehendak (Letter of Intent) yang telah ditandatangani",
    DocumentType.RENCANA_KERJA_SAMA: "Rencana Kerja Sama",
    DocumentType.DRAF_PKS: "Rancangan Perjanjian Kerja Sama",
    DocumentType.KAJIAN_TKKSD: "Kajian dan rekomendasi Tim Koordinasi Kerja Sama Daerah",
    DocumentType.STUDI_KELAYAKAN: "Studi kelayakan",
    DocumentType.ANALISIS_MANFAAT_BIAYA: "Analisis manfaat dan biaya",
}


#: The documents the request must be sent with, by kind (docs/domain.md §3): the signed KB and the
#: draft PKS, for a sinergi its draft NK and RK, for a cooperation abroad the signed letter of intent
#: (PP 28/2018 Pasal 30). The rencana kerja sama is the letter's own lampiran.
REQUIRED_ATTACHMENTS = {
    Kind.KSDD: (DocumentType.KB, DocumentType.DRAF_PKS),
    Kind.KSDPK: (DocumentType.KB, DocumentType.DRAF_PKS),
    Kind.SINERGI: (DocumentType.DRAF_NK_RK,),
    Kind.KSDPL: (DocumentType.LOI,),
    Kind.KSDLL: (DocumentType.LOI,),
}


def attachments_missing(agreement: Agreement) -> list[str]:
    """The names of the documents the law sends with the request that the agreement does not have yet."""
    present = set(agreement.documents.values_list("doc_type", flat=True))
    return [ATTACHMENT_NAMES[doc_type] for doc_type in REQUIRED_ATTACHMENTS[agreement.kind] if doc_type not in present]


def attachments_of(agreement: Agreement) -> list[AgreementDocument]:
    """The latest version of each document the request rests on, in the order the letter lists them."""
    latest: dict[str, AgreementDocument] = {}
    documents = agreement.documents.filter(doc_type__in=list(ATTACHMENT_NAMES)).order_by("doc_type", "-version")
    for document in documents:
        latest.setdefault(document.doc_type, document)
    return [latest[doc_type] for doc_type in ATTACHMENT_NAMES if doc_type in latest]


def notes_of(approval: DprdApproval):
    return approval.review_notes.select_related("author").order_by("created_at", "pk")


# --- overview for the TKKSD and the Pimpinan ----------------------------------------------------------


@dataclass
class YearRow:
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    answer_days_total: int = 0
    answered_timed: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def approved(self) -> int:
        return sum(self.counts.get(decision, 0) for decision in DprdApproval.APPROVING)

    @property
    def average_answer_days(self) -> float | None:
        return round(self.answer_days_total / self.answered_timed, 1) if self.answered_timed else None


def answer_workdays(received_on: dt.date | None, decided_on: dt.date | None) -> int | None:
    """Working days the DPRD took to answer: from the day it received the request to its decision."""
    if received_on is None or decided_on is None:
        return None
    return max(calendar_for(received_on, decided_on).count(received_on, decided_on), 0)


# The overview's figures are stored (DprdOverviewSnapshot) and read back while they hold: on the
# day they were computed, while the latest change to any request (its `updated_at`, on the index
# `dprd_changed`) and the regional days off are what they were when the figures were computed,
# and for at most OVERVIEW_MAX_AGE. Every write to a request moves its `updated_at`, so the first
# load after a write computes the figures afresh and the loads after it read one row. Figures
# computed within kerjasama.snapshots.SETTLE of the latest change are not read back (see there).
OVERVIEW_VERSION = 1
OVERVIEW_MAX_AGE = dt.timedelta(minutes=15)


def overview_basis() -> dict[str, str]:
    """What the overview's figures are computed from: the latest change to any request, the
    regional days off (a few a year, read whole) and the national calendar's release."""
    latest = DprdApproval.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]
    days_off = ",".join(day.isoformat() for day in DayOff.objects.order_by("date").values_list("date", flat=True))
    return {
        "version": str(OVERVIEW_VERSION),
        "holidays": holidays.__version__,
        "requests": latest.isoformat() if latest else "",
        "days_off": hashlib.sha256(days_off.encode()).hexdigest(),
    }


def overview(today: dt.date) -> dict:
    """How many requests wait for the DPRD and for how long, and the DPRD's answers per year
    (counts by decision and the average answer time in working days): the stored figures while
    they hold (see above), else counted afresh and stored."""
    basis = overview_basis()
    snapshot = DprdOverviewSnapshot.objects.filter(pk=1).first()
    if snapshot is not None and _overview_holds(snapshot, today, basis):
        figures = snapshot.data
    else:
        figures = refresh_overview(today, basis=basis)
    longest = figures["longest_request"]
    return {
        **figures,
        "longest_request": (
            open_requests().select_related("agreement").filter(pk=longest).first() if longest is not None else None
        ),
        "years": [YearRow(**year) for year in figures["years"]],
    }


def refresh_overview(today: dt.date, *, basis: dict[str, str] | None = None) -> dict:
    """Count the overview's figures and store them, with what they were computed from read before
    counting them: a write committed meanwhile makes the next load count them again."""
    basis = overview_basis() if basis is None else basis
    figures = overview_figures(today)
    DprdOverviewSnapshot.objects.update_or_create(
        pk=1, defaults={"day": today, "computed_at": timezone.now(), "data": figures, "basis": basis}
    )
    return figures


def _overview_holds(snapshot: DprdOverviewSnapshot, today: dt.date, basis: dict[str, str]) -> bool:
    return (
        snapshot.day == today
        and snapshot.basis == basis
        and timezone.now() - snapshot.computed_at <= OVERVIEW_MAX_AGE
        and snapshots.settled(snapshot.computed_at, [basis["requests"]])
    )


def overview_figures(today: dt.date) -> dict:
    """The overview's figures counted in the database, as stored (JSON): the waits per day of
    receipt, the answers per year and decision from the answer time stored with each."""
    # Counted per day of receipt, in the database: as many rows as days on which requests arrived,
    # however many requests wait.
    by_day = list(
        open_requests()
        .values("received_on")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("received_on")
    )
    pending = sum(day["count"] for day in by_day)
    calendar = calendar_for(min([today, *(day["received_on"] for day in by_day)]), today)
    waits = {day["received_on"]: calendar.count(day["received_on"], today) for day in by_day}
    waited = sum(waits[day["received_on"]] * day["count"] for day in by_day)
    longest_wait = max(waits.values(), default=None)
    # Of the requests that have waited longest (received on the same day, or over a weekend or a
    # holiday before it), the latest filed.
    longest = (
        open_requests()
        .filter(received_on__in=[day for day, days in waits.items() if days == longest_wait])
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        if by_day
        else None
    )
    answered = (
        DprdApproval.objects.filter(decision__in=[*DprdApproval.APPROVING, Decision.REJECTED])
        .exclude(decision_date__isnull=True)
        .annotate(year=ExtractYear("decision_date"))
        .values("year", "decision")
        .annotate(count=Count("pk"), days=Sum("answer_workdays"), timed=Count("answer_workdays"))
        .order_by()
    )
    years: dict[int, YearRow] = {}
    for group in answered:
        row = years.setdefault(group["year"], YearRow(group["year"]))
        row.counts[group["decision"]] = group["count"]
        row.answer_days_total += group["days"] or 0
        row.answered_timed += group["timed"]
    return {
        "pending": pending,
        "overdue": sum(day["overdue"] for day in by_day),
        "average_wait": round(waited / pending, 1) if pending else None,
        "longest_wait": longest_wait,
        "longest_request": longest,
        "years": [asdict(row) for row in sorted(years.values(), key=lambda row: row.year, reverse=True)],
    }


def in_preparation():
    """Requests whose letter is still a draft, for the TKKSD."""
    return (
        DprdApproval.objects.filter(decision=Decision.PENDING, received_on__isnull=True, sent_on__isnull=True)
        .select_related("agreement", "request_letter")
        .order_by("created_at")
    )


# --- the request letter --------------------------------------------------------------------------------

KIND_NAMES = {
    Kind.KSDD: "kerja sama daerah dengan daerah lain",
    Kind.KSDPK: "kerja sama daerah dengan pihak ketiga",
    Kind.KSDPL: "kerja sama daerah dengan pemerintah daerah di luar negeri",
    Kind.KSDLL: "kerja sama daerah dengan lembaga di luar negeri",
    Kind.SINERGI: "sinergi dengan Pemerintah Pusat",
}


def _reasons_text(agreement: Agreement) -> str:
    if agreement.kind in (Kind.KSDPL, Kind.KSDLL):
        return (
            "Sesuai dengan ketentuan Pasal 30 Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah, "
            "rencana kerja sama dengan pihak di luar negeri memerlukan persetujuan Dewan Perwakilan Rakyat Daerah."
        )
    reasons = []
    if agreement.burdens_community:
        reasons.append("membebani masyarakat dan Daerah")
    if agreement.not_yet_budgeted:
        reasons.append("pembiayaannya belum dianggarkan dalam Anggaran Pendapatan dan Belanja Daerah tahun berjalan")
    return (
        f"Rencana kerja sama tersebut {' serta '.join(reasons)}, sehingga sesuai dengan ketentuan Pasal 6 ayat (2) "
        "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah memerlukan persetujuan Dewan "
        "Perwakilan Rakyat Daerah."
    )


def _clause(text: str) -> str:
    """Typed text continuing a sentence after a colon: one line, no closing full stop, ellipsis or
    semicolon, and a lower-case first letter unless it begins a name or an acronym ("Pengelolaan …" ->
    "pengelolaan …")."""
    text = " ".join(text.split()).rstrip(" .;,:…")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _paragraphs(text: str) -> list[str]:
    """Typed text as the paragraphs its author separated by line breaks, each on one line."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _term_months(agreement: Agreement) -> int | None:
    return terms.term_months(
        start=agreement.start_date, end=agreement.end_date, duration_months=agreement.duration_months
    )


#: What the rencana kerja sama must state (PP 28/2018 Pasal 30(3), docs/domain.md §3), as the field
#: holding it; the subjek is the parties, the jangka waktu the term.
PLAN_FIELDS = ("background", "purpose", "objectives", "object", "scope", "funding_source")


def plan_missing(agreement: Agreement) -> list[str]:
    """The parts of the rencana kerja sama not yet written, by their labels: the request letter to the
    DPRD carries the whole plan, so it is drafted only when none is missing."""
    missing = [
        str(Agreement._meta.get_field(name).verbose_name)
        for name in PLAN_FIELDS
        if not (getattr(agreement, name) or "").strip()
    ]
    if not agreement.partners.exists():
        missing.insert(0, str(Agreement._meta.get_field("partners").verbose_name))
    if not _term_months(agreement):
        missing.append(gettext("term (start and end dates, or duration)"))
    return missing


def _funding(agreement: Agreement) -> str:
    funding = _clause(agreement.funding_source)
    if agreement.value:
        funding = " ".join(filter(None, [funding, f"dengan perkiraan nilai {rupiah_with_words(agreement.value)}"]))
    return funding


def _term(agreement: Agreement) -> str:
    months = _term_months(agreement)
    if not months:
        return ""
    text = term_in_words(months)
    if agreement.start_date and agreement.end_date:
        text += (
            f", terhitung sejak tanggal {long_date(agreement.start_date)} sampai dengan tanggal "
            f"{long_date(agreement.end_date)}"
        )
    else:
        text += " sejak Perjanjian Kerja Sama ditandatangani"
    return text


def plan_sections(agreement: Agreement, profile: PemdaProfile, partners: list[str]) -> list[tuple[str, list[str]]]:
    """The rencana kerja sama as the lampiran of the request letter prints it: the parts PP 28/2018
    Pasal 30(3) names, in its order, each a heading and its paragraphs; then, where the DPRD must
    approve because of a burden (Pasal 6(2)), the statement of that burden. `partners`: their names, in order."""
    regency = profile.regency
    parties = [
        f"Pemerintah {regency.name}, dengan {agreement.lead_opd.name} sebagai perangkat daerah pelaksana",
        *partners,
    ]
    subject = [
        f"{index}. {party}{';' if index < len(parties) else '.'}" for index, party in enumerate(parties, start=1)
    ]
    purpose = " ".join(agreement.purpose.split()).rstrip(" .")
    sections = [
        ("Subjek Kerja Sama", subject),
        ("Latar Belakang", _paragraphs(agreement.background)),
        (
            "Maksud, Tujuan dan Sasaran",
            [f"Maksud kerja sama ini adalah {_clause(purpose)}.", *_paragraphs(agreement.objectives)],
        ),
        ("Objek Kerja Sama", _paragraphs(agreement.object)),
        ("Ruang Lingkup", _paragraphs(agreement.scope)),
        ("Sumber Pembiayaan", [f"Kerja sama ini dibiayai dari {_funding(agreement)}."]),
        ("Jangka Waktu", [f"Kerja sama ini berlangsung selama {_term(agreement)}."]),
    ]
    if agreement.kind not in (Kind.KSDPL, Kind.KSDLL) and (agreement.burdens_community or agreement.not_yet_budgeted):
        burden = [_reasons_text(agreement)]
        burden += _paragraphs(agreement.burden_justification)
        sections.append(("Beban bagi Masyarakat dan Daerah", burden))
    return [(heading, paragraphs) for heading, paragraphs in sections if paragraphs]


def request_letter_data(agreement: Agreement, profile: PemdaProfile) -> dict:
    """The fields of the surat permohonan persetujuan to the Ketua DPRD (registry.official.documents.Surat):
    why the DPRD must approve the plan, its main points, the documents attached, and as the letter's
    lampiran the rencana kerja sama itself (`plan_sections`)."""
    regency = profile.regency
    head = head_title(profile)
    partner_names = list(agreement.partners.order_by("name").values_list("name", flat=True))
    partners = ", ".join(partner_names)
    attachments = [
        document for document in attachments_of(agreement) if document.doc_type != DocumentType.RENCANA_KERJA_SAMA
    ]
    title = " ".join(agreement.title.split()).rstrip(".")
    body = [
        f"Dalam rangka penyelenggaraan kerja sama daerah sebagaimana diatur dalam Peraturan Pemerintah Nomor 28 "
        f"Tahun 2018 tentang Kerja Sama Daerah, Pemerintah {regency.name} merencanakan kerja sama dengan "
        f"{partners} tentang {title}, yang merupakan {KIND_NAMES[agreement.kind]}.",
        _reasons_text(agreement),
    ]
    if agreement.burden_justification.strip():
        body.append(f"Adapun penjelasan mengenai beban tersebut: {_clause(agreement.burden_justification)}.")
    points = [
        ("objek kerja sama", _clause(agreement.object)),
        ("sumber pembiayaan", _funding(agreement)),
        ("jangka waktu", term_in_words(months) if (months := _term_months(agreement)) else ""),
    ]
    points = [(name, text) for name, text in points if text]
    body.append("Pokok-pokok rencana kerja sama dimaksud adalah sebagai berikut:")
    body += [
        f"{'abcdefgh'[index]}. {name}: {text}{';' if index < len(points) - 1 else '.'}"
        for index, (name, text) in enumerate(points)
    ]
    body.append(
        "Rencana kerja sama selengkapnya, yang memuat subjek, latar belakang, maksud, tujuan dan sasaran, objek, "
        "ruang lingkup, sumber pembiayaan, serta jangka waktu kerja sama, tercantum dalam Lampiran surat ini."
    )
    if attachments:
        body.append("Sebagai bahan pertimbangan, bersama ini kami sampaikan pula:")
        body += [
            f"{index}. {ATTACHMENT_NAMES[document.doc_type]}{';' if index < len(attachments) else '.'}"
            for index, document in enumerate(attachments, start=1)
        ]
    body += [
        f"Berkenaan dengan hal tersebut, kami mohon Dewan Perwakilan Rakyat Daerah {regency.name} berkenan "
        "memberikan persetujuan atas rencana kerja sama dimaksud.",
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan kerja samanya, kami ucapkan terima kasih.",
    ]
    tembusan = [f"Gubernur {regency.province.name};", "Menteri Dalam Negeri;"]
    if agreement.kind in (Kind.KSDPL, Kind.KSDLL):
        tembusan.append("Menteri Luar Negeri;")
    tembusan.append(f"Sekretaris Daerah {regency.name}.")
    # The lampiran of the letter (the plan) and each document sent with it.
    count = len(attachments) + 1
    return {
        "subject": "Permohonan Persetujuan Rencana Kerja Sama Daerah",
        "recipient": f"Ketua Dewan Perwakilan Rakyat Daerah {regency.name}",
        "recipient_place": profile.capital,
        "body": body,
        "signature": {"title": f"{head},", "name": profile.head_name},
        "nature": "Penting",
        "attachment": f"{count} ({number_in_words(count)}) berkas",
        "tembusan": tembusan,
        "kop": "head",
        "lampiran": {
            "office": head,
            "title": [
                "RENCANA KERJA SAMA",
                "ANTARA",
                f"PEMERINTAH {regency.name.upper()}",
                "DAN",
                *[name.upper() for name in partner_names],
                "TENTANG",
                title.upper(),
            ],
            "sections": [
                {"heading": heading, "paragraphs": paragraphs}
                for heading, paragraphs in plan_sections(agreement, profile, partner_names)
            ],
        },
    }


def letter_missing(agreement: Agreement) -> list[str]:
    """What keeps the request letter from being drafted, one sentence each: parts of the rencana
    kerja sama not yet written, documents the request is sent with not yet uploaded."""
    reasons = []
    if plan := plan_missing(agreement):
        reasons.append(
            gettext("Complete the cooperation plan, which the letter carries as its lampiran: %(missing)s.")
            % {"missing": ", ".join(plan)}
        )
    if documents := attachments_missing(agreement):
        reasons.append(
            gettext("Upload what the request is sent with: %(missing)s.") % {"missing": "; ".join(documents)}
        )
    return reasons


def draft_request_letter(agreement: Agreement, *, actor) -> DprdApproval:
    """Draft the request letter to the Ketua DPRD and open the request, in preparation until the
    letter is issued (registry.official.issue_document). The legal clock starts only when the
    TKKSD records the day the DPRD received it (`record_receipt`).

    Raises PermissionDenied or services.ServiceError (no Pemda profile, not at the DPRD stage,
    a request already open).
    """
    if not services.can_request_dprd(actor, agreement):
        if not has_role(actor, Role.TKKSD, Role.ADMIN):
            raise PermissionDenied
        raise services.ServiceError(_("A DPRD approval can only be requested at the DPRD approval stage."))
    profile = PemdaProfile.current()
    if profile is None:
        raise services.ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    if missing := letter_missing(agreement):
        raise services.ServiceError(" ".join(missing))
    with transaction.atomic():
        letter = official.create_draft(
            actor=actor,
            kind=DocumentKind.SURAT,
            series=official.series_for(REQUEST_SERIES),
            title=f"Permohonan persetujuan DPRD: {agreement.title}",
            data=request_letter_data(agreement, profile),
        )
        return services.open_dprd_request(agreement, actor=actor, request_letter=letter)


def on_document_issued(sender, document, actor, **kwargs) -> None:
    """Receiver of registry.signals.document_issued: an issued request letter is sent to the DPRD
    on its date of issue. The DPRD's term does not run yet: it runs from the day the DPRD receives
    the letter (PP 28/2018 Pasal 30(4)), which the TKKSD records (`record_receipt`). Raising here
    rolls the issue back (official.ServiceError is shown to the person issuing)."""
    approval = (
        DprdApproval.objects.select_for_update()
        .select_related("agreement")
        .filter(request_letter=document, decision=Decision.PENDING, received_on__isnull=True, sent_on__isnull=True)
        .first()
    )
    if approval is None:
        return
    if approval.agreement.stage != Stage.PERSETUJUAN_DPRD:
        raise official.ServiceError(_("The agreement is no longer waiting for DPRD approval."))
    approval.sent_on = document.issue_date
    approval.request_number = document.number
    approval._history_user = actor
    approval.save(update_fields=["sent_on", "request_number", "updated_at"])


def record_receipt(approval: DprdApproval, *, actor, received_on: dt.date, agenda_number: str) -> DprdApproval:
    """Record the day the DPRD received the request letter, with the number of its agenda of
    incoming letters; the DPRD's term of DPRD_DEADLINE_WORKDAYS working days runs from that day.

    Raises PermissionDenied or ServiceError (not sent, already recorded, a day before it was
    sent or in the future).
    """
    if not has_role(actor, Role.TKKSD, Role.ADMIN):
        raise PermissionDenied
    agenda_number = agenda_number.strip()
    if not agenda_number:
        raise services.ServiceError(_("Enter the DPRD's agenda number of the letter."))
    with transaction.atomic():
        locked = DprdApproval.objects.select_for_update().get(pk=approval.pk)
        if locked.received_on is not None and locked.decision == Decision.PENDING:
            raise AlreadyDone(
                _("The DPRD's receipt has already been recorded: %(date)s.") % {"date": long_date(locked.received_on)}
            )
        if not locked.awaiting_receipt:
            raise services.ServiceError(_("This request has not been sent to the DPRD, or has been answered."))
        if received_on < locked.sent_on:
            raise services.ServiceError(_("The DPRD cannot have received the letter before it was sent."))
        if received_on > timezone.localdate():
            raise services.ServiceError(_("The DPRD cannot have received the request in the future."))
        locked.received_on, locked.agenda_number = received_on, agenda_number[:100]
        locked.due_on = deadline_for(received_on)
        locked._history_user = actor
        locked.save(update_fields=["received_on", "agenda_number", "due_on", "updated_at"])
    return locked


def waiting_on(document) -> DprdApproval | None:
    """The request still waiting for the DPRD's answer that `document` (its letter) carries."""
    return DprdApproval.objects.filter(request_letter=document, decision=Decision.PENDING).first()


def on_document_voided(sender, document, actor, reason, **kwargs) -> None:
    """Receiver of registry.signals.document_voided: a voided request letter no longer asks the
    DPRD anything, so a request still waiting on it is withdrawn (the TKKSD sends a new letter).
    A request the DPRD has answered keeps its answer."""
    for approval in DprdApproval.objects.select_for_update().filter(request_letter=document, decision=Decision.PENDING):
        approval.decision = Decision.WITHDRAWN
        approval.reasons = gettext("Request letter %(number)s voided: %(reason)s") % {
            "number": document.number,
            "reason": reason.strip(),
        }
        approval.decided_by = actor
        approval._history_user = actor
        approval.save(update_fields=["decision", "reasons", "decided_by", "updated_at"])


# --- notes, withdrawal, silence --------------------------------------------------------------------------


def add_review_note(approval: DprdApproval, *, actor, text: str) -> DprdReviewNote:
    """A DPRD member's note on an open request. Raises PermissionDenied or ServiceError."""
    if not has_role(actor, Role.DPRD):
        raise PermissionDenied
    if not text.strip():
        raise services.ServiceError(_("Write the note first."))
    with transaction.atomic():
        locked = DprdApproval.objects.select_for_update().get(pk=approval.pk)
        if not locked.is_open:
            raise services.ServiceError(_("The DPRD has already answered this request."))
        note = DprdReviewNote.objects.create(approval=locked, author=actor, text=text.strip())
        signals.handoff.send(sender=DprdReviewNote, event=signals.DPRD_NOTE, subject=note, actor=actor)
        return note


def withdraw_request(approval: DprdApproval, *, actor, reason: str) -> DprdApproval:
    """The Pemda withdraws a request (e.g. to send a corrected one, or when the TKKSD decides so
    after the deadline); the agreement stays at the DPRD stage. Raises PermissionDenied or ServiceError."""
    if not has_role(actor, Role.TKKSD, Role.ADMIN):
        raise PermissionDenied
    if not reason.strip():
        raise services.ServiceError(_("Write why the request is withdrawn."))
    with transaction.atomic():
        locked = DprdApproval.objects.select_for_update().get(pk=approval.pk)
        if locked.decision != Decision.PENDING:
            raise services.ServiceError(_("The DPRD has already answered this request."))
        locked.decision, locked.reasons, locked.decided_by = Decision.WITHDRAWN, reason.strip(), actor
        locked._history_user = actor
        locked.save(update_fields=["decision", "reasons", "decided_by", "updated_at"])
    return locked


def refresh_due_dates() -> int:
    """Recompute the deadline of every open request against today's holiday calendar (a new
    cuti bersama decree, a regional day off added late); returns how many changed."""
    requests = list(open_requests().only("pk", "received_on", "due_on"))
    if not requests:
        return 0
    first = min(approval.received_on for approval in requests)
    last = max(approval.received_on for approval in requests)
    calendar = calendar_for(first, last + dt.timedelta(days=settings.DPRD_DEADLINE_WORKDAYS * 2 + 30))
    changed = 0
    for approval in requests:
        due_on = deadline_for(approval.received_on, calendar=calendar)
        if due_on != approval.due_on:
            DprdApproval.objects.filter(pk=approval.pk, decision=Decision.PENDING).update(
                due_on=due_on, updated_at=timezone.now()
            )
            changed += 1
    return changed


def deem_approved(approval_id: int, today: dt.date) -> bool:
    """Silence as approval: an open request past its deadline is "dianggap disetujui" on the
    deadline day, and the agreement moves on with that date on its timeline. Idempotent."""
    with transaction.atomic():
        approval = DprdApproval.objects.select_for_update().select_related("agreement").get(pk=approval_id)
        if not approval.is_open or approval.due_on is None or approval.due_on >= today:
            return False
        approval.decision = Decision.DEEMED_APPROVED
        approval.decision_date = approval.due_on
        approval.answer_workdays = answer_workdays(approval.received_on, approval.decision_date)
        approval.save(update_fields=["decision", "decision_date", "answer_workdays", "updated_at"])
        note = gettext("Deemed approved: the DPRD did not answer within %(days)s working days, by %(date)s.") % {
            "days": settings.DPRD_DEADLINE_WORKDAYS,
            "date": long_date(approval.due_on),
        }
        services.move_after_dprd_answer(approval, actor=None, note=note, effective_date=approval.due_on)
    return True


def apply_silence(today: dt.date) -> int:
    """Where the Pemda's setting says silence means approval (DPRD_SILENCE_MEANS_APPROVAL), deem
    every request past its deadline approved. Otherwise the request stays open and shows as
    overdue: the TKKSD decides (docs/domain.md §3). Returns how many were deemed approved."""
    if not settings.DPRD_SILENCE_MEANS_APPROVAL:
        return 0
    deemed = 0
    for approval_id in open_requests().filter(due_on__lt=today).values_list("pk", flat=True):
        try:
            deemed += deem_approved(approval_id, today)
        except services.ServiceError as error:
            logger.warning("DPRD request %s not deemed approved: %s", approval_id, error)
    return deemed
