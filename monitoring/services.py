"""Notifications (record one, send its e-mail exactly once) and the monthly implementation
reports (file, revise, review). Views and tasks call these; they raise PermissionDenied or
ServiceError with a translated message."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency, jobs
from kerjasama.concurrency import Edition
from registry import lifecycle
from registry.errors import ServiceError
from registry.models import Agreement
from registry.roles import Role, has_role, is_ppksd_of

from . import periods
from .models import ImplementationReport, Notification, ReportAttachment, ReportEvent, ReportStatus

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=5)
EMAIL_MAX_ATTEMPTS = 5


def notify(recipient, *, title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    """Record an in-app notification for `recipient` and, if they have an address, queue its e-mail.

    The notification row is written in the caller's transaction and is the outbox of its e-mail:
    the task is published only once that transaction commits (a rolled back action mails nobody),
    and a lost message is published again by the sweeper (kerjasama/jobs.py).
    """
    from .tasks import send_notification_email

    wants_email = email and bool(recipient.email) and recipient.is_active
    notification = Notification.objects.create(
        recipient=recipient,
        title=title[:255],
        body=body,
        url=url,
        email_state=Notification.EmailState.PENDING if wants_email else Notification.EmailState.NONE,
    )
    if wants_email:
        jobs.publish_on_commit(send_notification_email, notification.pk)
    return notification


def deliver_notification_email(notification_id: int) -> bool:
    """Send the e-mail of one notification unless it was sent (or is being sent) already.

    At least once: the row is claimed with a conditional UPDATE before sending, so a re-delivered
    task or a concurrent worker finds nothing to do; but a worker killed after the mail server
    accepted the message and before the row says "sent" leaves the claim to expire, and the
    e-mail is sent once more. Both copies carry the notification's stable Message-ID, which mail
    clients use to fold them into one. The in-app notification itself is never duplicated.

    Returns True if this call sent it. A failed send releases the claim and re-raises, for the
    task to retry.
    """
    now = timezone.now()
    claimable = Notification.objects.filter(pk=notification_id).filter(_email_owed(now))
    claimed = claimable.update(email_state=Notification.EmailState.SENDING, email_claimed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        EmailMessage(
            subject=f"[Kerja Sama] {notification.title}",
            body=_email_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient.email],
            headers={"Message-ID": message_id(notification)},
        ).send()
    except Exception:
        attempts = notification.email_attempts + 1
        state = Notification.EmailState.FAILED if attempts >= EMAIL_MAX_ATTEMPTS else Notification.EmailState.PENDING
        Notification.objects.filter(pk=notification_id).update(
            email_state=state, email_attempts=attempts, email_claimed_at=None
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_state=Notification.EmailState.SENT,
        email_sent_at=timezone.now(),
        email_attempts=notification.email_attempts + 1,
    )
    return True


def message_id(notification: Notification) -> str:
    """The same Message-ID every time this notification is e-mailed (RFC 5322 §3.6.4)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    created = notification.created_at.strftime("%Y%m%d%H%M%S") if notification.created_at else "0"
    return f"<notification-{notification.pk}.{created}@{domain}>"


def _email_owed(now) -> Q:
    """Pending, or claimed by a worker that has not finished within the timeout."""
    return Q(email_state=Notification.EmailState.PENDING) | Q(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT
    )


def unsent_email_ids(now=None) -> list[int]:
    """Notifications whose e-mail is still owed: pending a while after their commit (the message
    was lost or never published), or claimed by a worker long gone."""
    now = now or timezone.now()
    owed = Q(email_state=Notification.EmailState.PENDING, created_at__lt=now - jobs.republish_after()) | Q(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT
    )
    return list(Notification.objects.filter(owed).order_by("created_at").values_list("pk", flat=True)[:1000])


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _email_text(notification: Notification) -> str:
    parts = [notification.body] if notification.body else []
    if notification.url:
        parts.append(f"{settings.SITE_URL}{notification.url}")
    return "\n\n".join(parts) or notification.title


def notify_users(recipients, *, title: str, body: str = "", url: str = "") -> list[Notification]:
    """`notify` each distinct user once."""
    seen, notifications = set(), []
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            notifications.append(notify(user, title=title, body=body, url=url))
    return notifications


# --- monthly implementation reports ---------------------------------------------------------------------


MAX_ATTACHMENTS = 10


@dataclass
class ReportData:
    activities: str
    progress: int
    outputs: str
    budget_realised: Decimal | None = None
    obstacles: str = ""
    follow_up: str = ""


@dataclass
class Evidence:
    """An uploaded file already checked by monitoring.validators, with the type found in it."""

    file: object
    content_type: str


def files_reports(user) -> bool:
    """PPKSD linked to an OPD file its reports."""
    return has_role(user, Role.PPKSD) and bool(user.opd_id)


def can_file_report(user, agreement: Agreement) -> bool:
    """The lead OPD's PPKSD file the reports of an agreement in implementation."""
    return is_ppksd_of(user, agreement.lead_opd_id) and agreement.stage in lifecycle.ACTIVE_STAGES


def can_revise_report(user, report: ImplementationReport) -> bool:
    return report.status != ReportStatus.ACCEPTED and can_file_report(user, report.agreement)


def can_review_reports(user) -> bool:
    return has_role(user, Role.TKKSD)


def check_period(agreement: Agreement, period: date, today: date) -> None:
    """Refuse a period the agreement does not owe: not a month start, in the future, or
    outside the agreement's term."""
    if period.day != 1:
        raise ServiceError(_("A report covers a whole month."))
    if period > periods.current_period(today):
        raise ServiceError(_("A month can be reported on once it has ended."))
    if not periods.running_in(period, agreement.start_date, agreement.end_date):
        raise ServiceError(_("The agreement did not run during that month."))


def _apply(report: ImplementationReport, data: ReportData) -> None:
    report.activities = data.activities
    report.progress = data.progress
    report.budget_realised = data.budget_realised
    report.outputs = data.outputs
    report.obstacles = data.obstacles
    report.follow_up = data.follow_up


def _store_evidence(report: ImplementationReport, evidence, actor) -> None:
    if report.attachments.count() + len(evidence) > MAX_ATTACHMENTS:
        raise ServiceError(_("A report takes at most %(count)s attachments.") % {"count": MAX_ATTACHMENTS})
    for item in evidence:
        digest = hashlib.sha256()
        for chunk in item.file.chunks():
            digest.update(chunk)
        item.file.seek(0)
        attachment = ReportAttachment(
            report=report,
            content_type=item.content_type,
            original_name=(getattr(item.file, "name", "") or "bukti")[-255:],
            size=item.file.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save("evidence", item.file, save=False)
        attachment.save()


@transaction.atomic
def file_report(
    agreement: Agreement, *, actor, period: date, data: ReportData, evidence=(), today: date | None = None
) -> ImplementationReport:
    """File the report on `period` (a month's first day) for `agreement`, waiting for review.

    Raises PermissionDenied unless the actor is a PPKSD of the lead OPD and the agreement is in
    implementation, ServiceError for a period not owed or already reported on.
    """
    if not can_file_report(actor, agreement):
        raise PermissionDenied
    check_period(agreement, period, today or timezone.localdate())
    now = timezone.now()
    report = ImplementationReport(
        agreement=agreement,
        period=period,
        status=ReportStatus.SUBMITTED,
        submitted_by=actor,
        submitted_at=now,
    )
    _apply(report, data)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ServiceError(_("A report on this month has already been filed; open it to revise it.")) from None
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, actor=actor, at=now)
    _store_evidence(report, evidence, actor)
    return report


REPORT_CONTENT_FIELDS = ["activities", "progress", "budget_realised", "outputs", "obstacles", "follow_up"]


@transaction.atomic
def revise_report(
    report: ImplementationReport, *, actor, data: ReportData, evidence=(), edition: Edition | None = None
) -> ImplementationReport:
    """Change a report not yet accepted and file it again for review. A revision read before a
    colleague revised the same report is refused with StaleEdit."""
    locked = ImplementationReport.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=report.pk)
    if not can_file_report(actor, locked.agreement):
        raise PermissionDenied
    if locked.status == ReportStatus.ACCEPTED:
        raise ServiceError(_("An accepted report can no longer be changed."))
    concurrency.check_edition(locked, edition, REPORT_CONTENT_FIELDS)
    now = timezone.now()
    _apply(locked, data)
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_by, locked.submitted_at = actor, now
    concurrency.save_edit(locked, [*REPORT_CONTENT_FIELDS, "status", "submitted_by", "submitted_at"])
    ReportEvent.objects.create(report=locked, action=ReportEvent.Action.REVISED, actor=actor, at=now)
    _store_evidence(locked, evidence, actor)
    return locked


class ReviewDecision:
    ACCEPT = "accept"
    RETURN = "return"


@transaction.atomic
def review_report(report: ImplementationReport, *, actor, decision: str, note: str = "") -> ImplementationReport:
    """The TKKSD accepts a report or returns it with notes; the OPD's filer is notified.

    Only a report waiting for review can be reviewed: a second reviewer acting at the same
    time finds it already decided.
    """
    if not can_review_reports(actor):
        raise PermissionDenied
    if decision not in (ReviewDecision.ACCEPT, ReviewDecision.RETURN):
        raise ServiceError(_("Choose whether to accept the report or return it."))
    if decision == ReviewDecision.RETURN and not note.strip():
        raise ServiceError(_("Write what the OPD must revise."))
    locked = (
        ImplementationReport.objects.select_for_update().select_related("agreement", "submitted_by").get(pk=report.pk)
    )
    if locked.status != ReportStatus.SUBMITTED:
        raise ServiceError(_("This report has already been reviewed."))
    now = timezone.now()
    accepted = decision == ReviewDecision.ACCEPT
    locked.status = ReportStatus.ACCEPTED if accepted else ReportStatus.RETURNED
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, now, note.strip()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    ReportEvent.objects.create(
        report=locked,
        action=ReportEvent.Action.ACCEPTED if accepted else ReportEvent.Action.RETURNED,
        actor=actor,
        at=now,
        note=note.strip(),
    )
    month = formats.date_format(locked.period, "F Y")
    values = {"month": month, "title": locked.agreement.title}
    if accepted:
        title = _("Report for %(month)s accepted: %(title)s") % values
    else:
        title = _("Report for %(month)s returned for revision: %(title)s") % values
    notify(locked.submitted_by, title=str(title), body=note.strip(), url=locked.get_absolute_url())
    return locked
