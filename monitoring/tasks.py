"""Celery adapters: ids in, one service call, idempotent."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_kwargs={"max_retries": services.EMAIL_MAX_ATTEMPTS},
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_email(notification_id: int) -> bool:
    return services.deliver_notification_email(notification_id)


@shared_task(soft_time_limit=120, time_limit=180)
def resend_unsent_emails() -> int:
    """Beat entry: queue every notification e-mail still owed."""
    ids = services.unsent_email_ids()
    for notification_id in ids:
        send_notification_email.delay(notification_id)
    return len(ids)
