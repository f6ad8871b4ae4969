"""The daily reminder scan: find what falls due, write one reminder row per recipient, send it once.

The scan covers a range of days, from the day after the last day it covered (stored in
ScanState) to today, so that a day the scheduler was down is caught up by the next run. Each
source answers one question with an indexed range query: "what is due between these two
dates?". A reminder for threshold t (days before the due date) falls on the days of the range
exactly when its due date lies in the range shifted by t.

Every reminder is a row, unique on (kind, threshold, subject, recipient, due date), written
before anything is sent. Sending turns unsent rows into notifications in the same transaction
that marks them sent; e-mail follows through the notification's own once-only delivery. So a
re-run, a retry or a worker killed at any point never sends the same reminder twice, and no
task is ever scheduled far ahead (conventions.md rule 14).
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kerjasama import jobs
from registry.models import Agreement, DprdApproval, User
from registry.roles import Role

from . import periods, selectors, services
from .models import Notification, Reminder, ReminderKind, ScanState

logger = logging.getLogger(__name__)

SCAN_NAME = "daily-reminders"
SEND_BATCH = 500
EMAIL_CHUNK = 100


@dataclass(frozen=True)
class Due:
    """Something due on `due_date`, about `subject`, for an audience."""

    subject_type_id: int
    subject_id: int
    due_date: date
    url: str
    facts: dict = field(hash=False, compare=False)
    # Recipients: role names, and the OPD whose PPKSD are meant (None for none).
    roles: tuple[str, ...] = ()
    ppksd_of_opd: int | None = None


class Source:
    """One kind of deadline. Subclasses give the thresholds, the query and the wording."""

    kind: str

    def thresholds(self) -> Iterable[int]:
        raise NotImplementedError

    def due_between(self, start: date, end: date, audience: "Audience") -> Iterator[Due]:
        """Everything of this kind whose due date is in [start, end] (and someone to tell)."""
        raise NotImplementedError

    def text(self, due: Due, threshold: int) -> tuple[str, str]:
        raise NotImplementedError


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _month(value: date) -> str:
    return formats.date_format(value, "F Y")


def _content_type(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _url_maker(url_name: str):
    """A fast `reverse(url_name, args=[pk])` for thousands of rows: reversed once, then filled in."""
    marker = "987654321"
    template = reverse(url_name, args=[int(marker)])
    return lambda pk: template.replace(marker, str(pk))


# --- sources ---------------------------------------------------------------------------------------------


class ExpirySource(Source):
    """Agreement expiry at 180/90/30/7/0 days (EXPIRY_WARNING_DAYS), to the OPD's PPKSD and the TKKSD."""

    kind = ReminderKind.EXPIRY

    def thresholds(self):
        return settings.EXPIRY_WARNING_DAYS

    def due_between(self, start, end, audience):
        # Served by the (end_date, stage) index: a range on end_date, running stages only.
        rows = (
            Agreement.objects.filter(stage__in=selectors.ACTIVE_STAGES, end_date__gte=start, end_date__lte=end)
            .order_by()
            .values_list("pk", "end_date", "title", "register_number", "lead_opd_id")
        )
        type_id, url = _content_type(Agreement), _url_maker("registry:agreement_detail")
        for pk, end_date, title, number, opd_id in rows.iterator(chunk_size=2000):
            yield Due(
                type_id,
                pk,
                end_date,
                url(pk),
                {"title": title, "number": number},
                roles=(Role.TKKSD,),
                ppksd_of_opd=opd_id,
            )

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date), "days": threshold}
        if threshold == 0:
            title = _("“%(title)s” ends today") % facts
        else:
            title = ngettext("“%(title)s” ends in %(days)s day", "“%(title)s” ends in %(days)s days", threshold) % facts
        body = (
            _(
                "Agreement %(number)s ends on %(date)s. Decide in time whether to extend it (an extension goes "
                "through the whole procedure again), let it end, or end it early."
            )
            % facts
        )
        return title, body


class ReportSource(Source):
    """The monthly implementation report, reminded before its due day to the OPD's PPKSD."""

    kind = ReminderKind.REPORT_DUE

    def thresholds(self):
        return settings.MONITORING_REPORT_REMINDER_DAYS

    def due_between(self, start, end, audience):
        type_id, url = _content_type(Agreement), _url_maker("monitoring:agreement_reports")
        for period in periods.periods_with_due_date_between(start, end):
            due_date, month = periods.due_date(period), _month(period)
            # Only the PPKSD are told: agreements of OPDs without one are not even read.
            rows = (
                selectors.owing_report(Agreement.objects.filter(lead_opd_id__in=list(audience.ppksd_by_opd)), period)
                .order_by()
                .values_list("pk", "title", "register_number", "lead_opd_id")
            )
            for pk, title, number, opd_id in rows.iterator(chunk_size=2000):
                yield Due(
                    type_id,
                    pk,
                    due_date,
                    url(pk),
                    {"title": title, "number": number, "month": month},
                    ppksd_of_opd=opd_id,
                )

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date)}
        title = _("Report for %(month)s due on %(date)s: %(title)s") % facts
        body = _("File the implementation report of agreement %(number)s for %(month)s by %(date)s.") % facts
        return title, body


class OverdueReportSource(ReportSource):
    """The day after a report's due day, if it is still missing."""

    kind = ReminderKind.REPORT_OVERDUE

    def thresholds(self):
        return (-1,)

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date)}
        title = _("Report for %(month)s overdue: %(title)s") % facts
        body = (
            _(
                "The implementation report of agreement %(number)s for %(month)s was due on %(date)s and has not "
                "been filed (or was returned for revision). File it now."
            )
            % facts
        )
        return title, body


class KbWithoutPksSource(Source):
    """A Kesepakatan Bersama still without a PKS KB_TO_PKS_WARNING_MONTHS after its signing."""

    kind = ReminderKind.KB_WITHOUT_PKS

    def thresholds(self):
        return (0,)

    def due_between(self, start, end, audience):
        months = settings.KB_TO_PKS_WARNING_MONTHS
        # Adding months clips to the month's end, so look a few days wider and check exactly.
        signed_from = periods.add_months(start, -months) - timedelta(days=3)
        signed_to = periods.add_months(end, -months) + timedelta(days=3)
        rows = (
            selectors.kb_without_pks(Agreement.objects.all())
            .filter(kb_signed__gte=signed_from, kb_signed__lte=signed_to)
            .order_by()
            .values_list("pk", "kb_signed", "title", "register_number", "lead_opd_id")
        )
        type_id, url = _content_type(Agreement), _url_maker("registry:agreement_detail")
        for pk, signed, title, number, opd_id in rows.iterator(chunk_size=2000):
            due_date = periods.add_months(signed, months)
            if start <= due_date <= end:
                yield Due(
                    type_id,
                    pk,
                    due_date,
                    url(pk),
                    {"title": title, "number": number, "signed": _day(signed), "months": months},
                    roles=(Role.TKKSD,),
                    ppksd_of_opd=opd_id,
                )

    def text(self, due, threshold):
        facts = due.facts
        title = _("Kesepakatan Bersama without a PKS: %(title)s") % facts
        body = (
            ngettext(
                "The Kesepakatan Bersama of agreement %(number)s was signed on %(signed)s, %(months)s month ago, "
                "and no Perjanjian Kerja Sama has followed yet.",
                "The Kesepakatan Bersama of agreement %(number)s was signed on %(signed)s, %(months)s months ago, "
                "and no Perjanjian Kerja Sama has followed yet.",
                facts["months"],
            )
            % facts
        )
        return title, body


class DprdDeadlineSource(Source):
    """The DPRD's answer deadline (DprdApproval.due_on), to the DPRD and the TKKSD."""

    kind = ReminderKind.DPRD_DEADLINE

    def thresholds(self):
        return settings.MONITORING_DPRD_REMINDER_DAYS

    def due_between(self, start, end, audience):
        # Served by the (decision, due_on) index.
        approvals = (
            DprdApproval.objects.filter(
                decision=DprdApproval.Decision.PENDING,
                received_on__isnull=False,
                due_on__gte=start,
                due_on__lte=end,
            )
            .select_related("agreement")
            .order_by()
        )
        type_id = _content_type(DprdApproval)
        for approval in approvals.iterator(chunk_size=500):
            yield Due(
                type_id,
                approval.pk,
                approval.due_on,
                _url_of(approval) or approval.agreement.get_absolute_url(),
                {
                    "title": approval.agreement.title,
                    "number": approval.request_number or "-",
                    "received": _day(approval.received_on),
                },
                roles=(Role.DPRD, Role.TKKSD),
            )

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date), "days": threshold}
        title = (
            ngettext(
                "DPRD answer due in %(days)s day: %(title)s", "DPRD answer due in %(days)s days: %(title)s", threshold
            )
            % facts
        )
        body = _("The DPRD received request %(number)s on %(received)s; its answer is due on %(date)s.") % facts
        return title, body


class DprdOverdueSource(DprdDeadlineSource):
    """The day after the DPRD's deadline, if the request is still unanswered."""

    kind = ReminderKind.DPRD_OVERDUE

    def thresholds(self):
        return (-1,)

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date)}
        title = _("DPRD deadline passed: %(title)s") % facts
        body = (
            _(
                "The DPRD's answer to request %(number)s was due on %(date)s and has not been recorded. The TKKSD "
                "decides how to proceed."
            )
            % facts
        )
        return title, body


class DprdReceiptSource(Source):
    """A request letter sent to the DPRD whose receipt is still not recorded DPRD_RECEIPT_REMINDER_WORKDAYS
    working days later, to the TKKSD: the DPRD's term runs only from the recorded day of receipt."""

    kind = ReminderKind.DPRD_RECEIPT

    def thresholds(self):
        return (0,)

    def due_between(self, start, end, audience):
        from registry import dprd

        workdays = settings.DPRD_RECEIPT_REMINDER_WORKDAYS
        # The reminder falls `workdays` working days after sending: at most a few weeks later.
        earliest = start - timedelta(days=workdays * 3 + 30)
        approvals = list(
            dprd.sent_requests().filter(sent_on__gte=earliest, sent_on__lte=end).select_related("agreement").order_by()
        )
        if not approvals:
            return
        calendar = dprd.calendar_for(earliest, end + timedelta(days=workdays * 3 + 30))
        type_id = _content_type(DprdApproval)
        for approval in approvals:
            due_date = calendar.add(approval.sent_on, workdays)
            if start <= due_date <= end:
                yield Due(
                    type_id,
                    approval.pk,
                    due_date,
                    _url_of(approval) or approval.agreement.get_absolute_url(),
                    {
                        "title": approval.agreement.title,
                        "number": approval.request_number or "-",
                        "sent": _day(approval.sent_on),
                    },
                    roles=(Role.TKKSD,),
                )

    def text(self, due, threshold):
        title = _("Record the DPRD's receipt: %(title)s") % due.facts
        body = (
            _(
                "Request letter %(number)s was sent to the DPRD on %(sent)s and its receipt is not recorded yet. The "
                "DPRD's term runs from the day it received the letter: record that day, from the DPRD's agenda."
            )
            % due.facts
        )
        return title, body


class SignatureWaitingSource(Source):
    """An issued document whose signed original (scan or electronic signature) is still not recorded
    SIGNATURE_REMINDER_DAYS working days after its issue, to the TKKSD and the Pimpinan: until then the
    registry holds an unsigned rendering, not the act (registry/official/signed.py)."""

    kind = ReminderKind.SIGNATURE_WAITING

    def thresholds(self):
        return (0,)

    def due_between(self, start, end, audience):
        from registry import dprd
        from registry.models import OfficialDocument

        workdays = settings.SIGNATURE_REMINDER_DAYS
        earliest = start - timedelta(days=workdays * 3 + 30)
        documents = list(
            OfficialDocument.objects.filter(
                status=OfficialDocument.Status.ISSUED, issue_date__gte=earliest, issue_date__lte=end
            )
            .only("pk", "number", "title", "issue_date")
            .order_by()
        )
        if not documents:
            return
        calendar = dprd.calendar_for(earliest, end + timedelta(days=workdays * 3 + 30))
        type_id = _content_type(OfficialDocument)
        url_of = _url_maker("registry:official_detail")
        for document in documents:
            due_date = calendar.add(document.issue_date, workdays)
            if start <= due_date <= end:
                yield Due(
                    type_id,
                    document.pk,
                    due_date,
                    url_of(document.pk),
                    {"title": document.title, "number": document.number, "issued": _day(document.issue_date)},
                    roles=(Role.TKKSD, Role.PIMPINAN),
                )

    def text(self, due, threshold):
        title = _("Not yet signed: %(number)s %(title)s") % due.facts
        body = (
            _(
                "Document %(number)s was issued on %(issued)s and its signed original is not recorded yet. Upload the "
                "scan of the signed paper, or have the signatory sign it electronically."
            )
            % due.facts
        )
        return title, body


class OpdEvaluationSource(Source):
    """The OPD's own evaluation of a part of the year (monitoring/opd_evaluations.py), reminded to
    the lead OPD's PPKSD before its due day, like a monthly report."""

    kind = ReminderKind.OPD_EVALUATION_DUE

    def thresholds(self):
        return settings.MONITORING_REPORT_REMINDER_DAYS

    def due_between(self, start, end, audience):
        from . import opd_evaluations

        year, part = opd_evaluations.last_ended_part(end)
        type_id, url = _content_type(Agreement), _url_maker("monitoring:agreement_opd_evaluations")
        # The due days fall a few weeks after their part ends: the parts ended in the window, and one before.
        for _step in range(3):
            due = opd_evaluations.part_due(year, part)
            if start <= due <= end:
                rows = opd_evaluations.agreements_owing(year, part).values_list("pk", "title", "lead_opd_id")
                label = opd_evaluations.part_label(year, part)
                for pk, title, opd_id in rows.order_by().iterator(chunk_size=2000):
                    yield Due(type_id, pk, due, url(pk), {"title": title, "part": label}, ppksd_of_opd=opd_id)
            year, part = opd_evaluations.previous_part(year, part)

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date), "days": threshold}
        title = _("The OPD's evaluation of %(part)s is due: %(title)s") % facts
        body = (
            _("Evaluate “%(title)s” for %(part)s by %(date)s: progress against the PKS, obstacles and follow-up.")
            % facts
        )
        return title, body


class OpdEvaluationOverdueSource(OpdEvaluationSource):
    """The day after the due day, if the OPD has still not evaluated."""

    kind = ReminderKind.OPD_EVALUATION_OVERDUE

    def thresholds(self):
        return (-1,)

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date)}
        title = _("The OPD's evaluation of %(part)s is overdue: %(title)s") % facts
        body = _("The evaluation of “%(title)s” for %(part)s was due on %(date)s.") % facts
        return title, body


class PlenarySource(Source):
    """A scheduled TKKSD plenary (planning.Plenary), to the TKKSD and the Pimpinan.

    Loaded by name, so that monitoring does not import planning; without the model there is
    nothing to remind of.
    """

    kind = ReminderKind.PLENARY

    def thresholds(self):
        return settings.MONITORING_PLENARY_REMINDER_DAYS

    def model(self):
        try:
            return apps.get_model("planning", "Plenary")
        except LookupError:
            return None

    def due_between(self, start, end, audience):
        model = self.model()
        if model is None:
            return
        for pk, day, year, place in plenaries_between(model, start, end):
            yield Due(
                _content_type(model),
                pk,
                day,
                _plenary_url(model, pk),
                {"year": year, "place": place or "-"},
                roles=(Role.TKKSD, Role.PIMPINAN),
            )

    def text(self, due, threshold):
        facts = {**due.facts, "date": _day(due.due_date), "days": threshold}
        title = (
            ngettext("TKKSD plenary in %(days)s day", "TKKSD plenary in %(days)s days", threshold) % facts
            if threshold
            else _("TKKSD plenary today") % facts
        )
        body = _("The plenary of the %(year)s mapping cycle takes place on %(date)s at %(place)s.") % facts
        return title, body


def plenaries_between(model, start: date, end: date):
    """(pk, date, cycle year, place) of the scheduled plenaries in [start, end]. Only the fields
    monitoring relies on are read (date, status, cycle.year, and the place when there is one)."""
    has_place = any(field.name == "place" for field in model._meta.get_fields())
    rows = model.objects.filter(status="scheduled", date__gte=start, date__lte=end).order_by("date", "pk")
    if has_place:
        return list(rows.values_list("pk", "date", "cycle__year", "place"))
    return [(*row, "") for row in rows.values_list("pk", "date", "cycle__year")]


def _plenary_url(model, pk) -> str:
    return _url_of(model(pk=pk))


def _url_of(obj) -> str:
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


SOURCES: tuple[Source, ...] = (
    ExpirySource(),
    ReportSource(),
    OverdueReportSource(),
    KbWithoutPksSource(),
    DprdDeadlineSource(),
    DprdOverdueSource(),
    DprdReceiptSource(),
    SignatureWaitingSource(),
    OpdEvaluationSource(),
    OpdEvaluationOverdueSource(),
    PlenarySource(),
)


# --- recipients ------------------------------------------------------------------------------------------


class Audience:
    """Active users by role and PPKSD by OPD, read once per scan (one query)."""

    def __init__(self):
        self.by_role: dict[str, list[int]] = {}
        self.ppksd_by_opd: dict[int, list[int]] = {}
        rows = User.objects.filter(is_active=True, groups__name__in=Role.values).values_list(
            "pk", "groups__name", "opd_id"
        )
        for pk, role, opd_id in rows.order_by("pk"):
            self.by_role.setdefault(role, []).append(pk)
            if role == Role.PPKSD and opd_id:
                self.ppksd_by_opd.setdefault(opd_id, []).append(pk)

    def of(self, due: Due) -> list[int]:
        recipients = list(self.ppksd_by_opd.get(due.ppksd_of_opd, ())) if due.ppksd_of_opd else []
        for role in due.roles:
            recipients.extend(self.by_role.get(role, ()))
        return list(dict.fromkeys(recipients))


# --- the scan --------------------------------------------------------------------------------------------


def reminders_between(start: date, end: date, *, sources: Iterable[Source] = SOURCES) -> list[Reminder]:
    """The reminder rows falling on the days [start, end] (unsaved; duplicates possible across runs)."""
    audience = Audience()
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for source in sources:
            for threshold in source.thresholds():
                shift = timedelta(days=threshold)
                for due in source.due_between(start + shift, end + shift, audience):
                    recipients = audience.of(due)
                    if not recipients:
                        continue
                    title, body = source.text(due, threshold)
                    rows.extend(
                        Reminder(
                            kind=source.kind,
                            threshold=threshold,
                            subject_type_id=due.subject_type_id,
                            subject_id=due.subject_id,
                            recipient_id=recipient,
                            due_date=due.due_date,
                            title=str(title)[:255],
                            body=str(body),
                            url=due.url,
                        )
                        for recipient in recipients
                    )
    return rows


def write_reminders(start: date, end: date) -> int:
    """Write the reminders of the days [start, end]; rows that exist already are left alone.

    Returns the number of rows found due (existing ones included).
    """
    rows = reminders_between(start, end)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


@dataclass(frozen=True)
class ScanResult:
    start: date | None
    end: date
    found: int
    sent: int = 0


def scan(today: date, *, since: date | None = None) -> ScanResult:
    """Cover every day from the one after the last scanned day up to `today`, once.

    The state row is locked for the whole scan, so two scans at the same time run one after
    the other and the second finds nothing left to cover. After an outage longer than
    MONITORING_SCAN_MAX_DAYS only the most recent days are caught up. `since` covers the days
    from that one instead (a manual re-scan: the rows already written are not written again).
    """
    with transaction.atomic():
        ScanState.objects.get_or_create(
            name=SCAN_NAME,
            defaults={"last_scanned_on": today - timedelta(days=1), "last_run_at": timezone.now()},
        )
        state = ScanState.objects.select_for_update().get(name=SCAN_NAME)
        if since is not None:
            start = since
        else:
            earliest = today - timedelta(days=settings.MONITORING_SCAN_MAX_DAYS - 1)
            start = max(state.last_scanned_on + timedelta(days=1), earliest)
        if start > today:
            return ScanResult(None, today, 0)
        found = write_reminders(start, today)
        state.last_scanned_on, state.last_run_at = max(today, state.last_scanned_on), timezone.now()
        state.save(update_fields=["last_scanned_on", "last_run_at"])
    logger.info("reminder scan %s..%s: %d due", start, today, found)
    return ScanResult(start, today, found)


def send_pending(*, batch: int = SEND_BATCH) -> int:
    """Turn every unsent reminder into a notification (and its e-mail); returns how many.

    Each batch is one transaction: the rows are locked (others skip them), the notifications
    created and the rows marked sent together, so a crash sends a batch completely or not at
    all. E-mails are queued after the commit, a few ids per task.
    """
    from .tasks import send_notification_emails

    sent = 0
    while True:
        with transaction.atomic():
            pending = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True)
                .select_related("recipient", "recipient__notification_preference")
                .order_by("created_at", "pk")[:batch]
            )
            if not pending:
                return sent
            notifications = [
                Notification(
                    recipient=reminder.recipient,
                    reminder=reminder,
                    title=reminder.title,
                    body=reminder.body,
                    url=reminder.url,
                    email_state=services.email_state_for(reminder.recipient),
                )
                for reminder in pending
            ]
            Notification.objects.bulk_create(notifications)
            Reminder.objects.filter(pk__in=[reminder.pk for reminder in pending]).update(sent_at=timezone.now())
            emails = [n.pk for n in notifications if n.email_state == Notification.EmailState.PENDING]
            for index in range(0, len(emails), EMAIL_CHUNK):
                jobs.publish_on_commit(send_notification_emails, emails[index : index + EMAIL_CHUNK])
        sent += len(pending)


def run_daily(today: date | None = None) -> ScanResult:
    """The beat entry's work: scan up to today, then send what is due."""
    result = scan(today or timezone.localdate())
    return ScanResult(result.start, result.end, result.found, send_pending())


def report_reminder_day(today: date) -> date:
    """The next day on which monthly report reminders go out: the busiest day of the month."""
    days = max(settings.MONITORING_REPORT_REMINDER_DAYS or [0])
    period = periods.current_period(today)
    while periods.due_date(period) - timedelta(days=days) < today:
        period = periods.add_months(period, 1)
    return periods.due_date(period) - timedelta(days=days)
