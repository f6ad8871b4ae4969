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
from django.db.models import DateField, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency, jobs
from kerjasama.concurrency import Edition
from registry import lifecycle
from registry.errors import ServiceError
from registry.models import Agreement
from registry.roles import Role, has_role, is_ppksd_of

from . import periods
from .models import (
    ImplementationReport,
    Notification,
    NotificationPreference,
    ReportAttachment,
    ReportEvent,
    ReportStatus,
)

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=5)
EMAIL_MAX_ATTEMPTS = 5


def email_state_for(recipient, *, email: bool = True) -> str:
    """What becomes of a new notification's e-mail: sent at once, kept for the daily digest, or
    none (no address, a deactivated account, or the user's preference)."""
    if not (email and recipient.email and recipient.is_active):
        return Notification.EmailState.NONE
    try:
        choice = recipient.notification_preference.email
    except NotificationPreference.DoesNotExist:
        choice = NotificationPreference.Email.IMMEDIATE
    return {
        NotificationPreference.Email.DIGEST: Notification.EmailState.DIGEST,
        NotificationPreference.Email.OFF: Notification.EmailState.NONE,
    }.get(choice, Notification.EmailState.PENDING)


def notify(
    recipient, *, title: str, body: str = "", url: str = "", email: bool = True, event_key: str = ""
) -> Notification | None:
    """Record an in-app notification for `recipient` and, if they have an address, queue its e-mail
    (at once or for the daily digest, as they chose).

    The notification row is written in the caller's transaction and is the outbox of its e-mail:
    the task is published only once that transaction commits (a rolled back action mails nobody),
    and a lost message is published again by the sweeper (kerjasama/jobs.py). With `event_key`,
    a recipient already told of that event is not told again (None is returned).
    """
    from .tasks import send_notification_email

    state = email_state_for(recipient, email=email)
    fields = {"title": title[:255], "body": body, "url": url, "email_state": state}
    if event_key:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(recipient=recipient, event_key=event_key[:120], **fields)
        except IntegrityError:
            return None
    else:
        notification = Notification.objects.create(recipient=recipient, **fields)
    if state == Notification.EmailState.PENDING:
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
    # In the application's language, whichever language the request that sent it eagerly used.
    with translation.override(settings.LANGUAGE_CODE):
        body = _email_text(notification)
    try:
        EmailMessage(
            subject=f"[Kerja Sama] {notification.title}",
            body=body,
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


# --- the daily digest -------------------------------------------------------------------------------


def send_digests(now=None) -> int:
    """E-mail each user who chose the daily digest one message listing every notification kept for
    it; returns how many e-mails were sent.

    Whatever waits is included, however old, so a day the scheduler was down is caught up by the
    next run. The items are claimed (DIGEST → SENDING) before the message is sent, so a second
    run at the same time finds nothing: an item is never in two digests. A failed send gives the
    items back for the next run.
    """
    now = now or timezone.now()
    sent = 0
    recipients = (
        Notification.objects.filter(email_state=Notification.EmailState.DIGEST)
        .values_list("recipient", flat=True)
        .distinct()
        .order_by()
    )
    for recipient_id in list(recipients):
        sent += _send_digest(recipient_id, now)
    return sent


def _send_digest(recipient_id: int, now) -> int:
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=recipient_id, email_state=Notification.EmailState.DIGEST)
            .order_by("created_at", "pk")
        )
        if not items:
            return 0
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            email_state=Notification.EmailState.SENDING, email_claimed_at=now
        )
    user = get_user_model().objects.get(pk=recipient_id)
    ids = [item.pk for item in items]
    if not (user.is_active and user.email):
        Notification.objects.filter(pk__in=ids).update(email_state=Notification.EmailState.NONE)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        for item in items:
            stamp = formats.date_format(timezone.localtime(item.created_at), "j F Y H.i")
            lines.append(f"- {item.title} ({stamp})" + (f"\n  {link_to(item.url)}" if item.url else ""))
        subject = _("[Kerja Sama] %(count)s notifications of the day") % {"count": len(items)}
        body = "\n\n".join(
            [
                salutation(user),
                str(_("These notifications arrived since your last digest:")),
                "\n".join(lines),
                _email_footer(),
            ]
        )
    try:
        EmailMessage(subject=str(subject), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()
    except Exception:
        Notification.objects.filter(pk__in=ids).update(
            email_state=Notification.EmailState.DIGEST, email_claimed_at=None
        )
        raise
    Notification.objects.filter(pk__in=ids).update(
        email_state=Notification.EmailState.SENT, email_sent_at=timezone.now(), email_attempts=1
    )
    return 1


def preference_of(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def set_email_preference(user, choice: str) -> NotificationPreference:
    if choice not in NotificationPreference.Email.values:
        raise ServiceError(_("Choose how you want to receive e-mail."))
    preference, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"email": choice})
    return preference


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def salutation(user) -> str:
    """ "Yth. Budi Santoso," — the opening of every e-mail, in the recipient's name."""
    return str(_("Dear %(name)s,") % {"name": user.get_full_name() or user.username})


def link_to(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _email_text(notification: Notification) -> str:
    parts = [salutation(notification.recipient), notification.title]
    if notification.body:
        parts.append(notification.body)
    if notification.url:
        parts.append(str(_("Open: %(url)s") % {"url": link_to(notification.url)}))
    parts.append(_email_footer())
    return "\n\n".join(parts)


def _email_footer() -> str:
    return str(
        _("This message was sent by the Kerja Sama application. Choose how you receive e-mail under %(url)s")
        % {"url": link_to(reverse("monitoring:notification_settings"))}
    )


def notify_users(recipients, *, title: str, body: str = "", url: str = "", event_key: str = "") -> list[Notification]:
    """`notify` each distinct user once."""
    seen, notifications = set(), []
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            notification = notify(user, title=title, body=body, url=url, event_key=event_key)
            if notification is not None:
                notifications.append(notification)
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
    handoffs().report_filed(report, actor)
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
    handoffs().report_filed(locked, actor)
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
    if accepted:
        refresh_last_report(Agreement.objects.filter(pk=locked.agreement_id))
    handoffs().report_reviewed(locked, actor, accepted=accepted, note=note.strip())
    return locked


def refresh_last_report(agreements=None) -> int:
    """Keep `Agreement.last_report_period`, the month of the latest accepted implementation report, for
    these agreements (a queryset, or all): after a report is accepted, and after reports are created in
    bulk. Returns how many agreements were updated."""
    latest = (
        ImplementationReport.objects.filter(agreement=OuterRef("pk"), status=ReportStatus.ACCEPTED)
        .order_by("-period")
        .values("period")[:1]
    )
    queryset = Agreement.objects.all() if agreements is None else agreements
    return queryset.update(last_report_period=Subquery(latest, output_field=DateField()))


def handoffs():
    """monitoring.handoffs, which itself sends through this module."""
    from . import handoffs

    return handoffs
