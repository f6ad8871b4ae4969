"""Notifications: record one, and send its e-mail exactly once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=10)
EMAIL_MAX_ATTEMPTS = 5


def notify(recipient, *, title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    """Record an in-app notification for `recipient` and, if they have an address, queue its e-mail.

    The e-mail task is queued only once the surrounding transaction commits, so a rolled
    back action never mails anyone.
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
        send_notification_email.delay_on_commit(notification.pk)
    return notification


def deliver_notification_email(notification_id: int) -> bool:
    """Send the e-mail of one notification unless it was sent (or is being sent) already.

    Returns True if this call sent it. The row is claimed with a conditional UPDATE before
    sending, so a re-delivered task or a concurrent worker finds nothing to do. A failed
    send releases the claim and re-raises, for the task to retry.
    """
    now = timezone.now()
    claimable = Notification.objects.filter(pk=notification_id).filter(_email_owed(now))
    claimed = claimable.update(email_state=Notification.EmailState.SENDING, email_claimed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            subject=f"[Kerja Sama] {notification.title}",
            message=_email_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
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


def _email_owed(now) -> Q:
    """Pending, or claimed by a worker that has not finished within the timeout."""
    return Q(email_state=Notification.EmailState.PENDING) | Q(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT
    )


def unsent_email_ids(now=None) -> list[int]:
    """Notifications whose e-mail is still owed: pending, or claimed by a worker long gone."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_email_owed(now)).order_by("created_at").values_list("pk", flat=True)[:1000]
    )


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
