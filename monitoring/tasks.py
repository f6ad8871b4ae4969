"""Celery adapters: ids in, one service call, idempotent."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from kerjasama import jobs
from registry import dprd

from . import dashboard, documents, reminders, services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": services.EMAIL_MAX_ATTEMPTS},
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_email(notification_id: int) -> bool:
    return services.deliver_notification_email(notification_id)


@shared_task(soft_time_limit=50, time_limit=60)
def resend_unsent_emails() -> int:
    """Beat entry (the e-mails' sweeper, kerjasama/jobs.py): publish again every notification
    e-mail still owed a while after its commit. Returns how many were published."""
    return sum(
        jobs.publish(send_notification_email, notification_id) for notification_id in services.unsent_email_ids()
    )


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": services.EMAIL_MAX_ATTEMPTS},
    soft_time_limit=120,
    time_limit=180,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send a few notifications' e-mails (the reminders of a scan); each is sent at most once.

    A failure does not stop the others; the first one is raised at the end so that the task is
    retried, and the retry finds the e-mails already sent claimed or sent.
    """
    sent, failure = 0, None
    for notification_id in notification_ids:
        try:
            sent += services.deliver_notification_email(notification_id)
        except (SMTPException, ConnectionError, TimeoutError) as error:
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


@shared_task(soft_time_limit=480, time_limit=540)
def send_email_digests() -> int:
    """Beat entry: each user who chose the daily digest gets one e-mail with what waited for it."""
    return services.send_digests()


@shared_task(soft_time_limit=240, time_limit=300)
def daily_reminder_scan() -> dict:
    """Beat entry: cover every day since the last scan up to today, then send the reminders."""
    result = reminders.run_daily()
    return {"start": str(result.start), "end": str(result.end), "found": result.found, "sent": result.sent}


@shared_task(soft_time_limit=240, time_limit=300)
def send_pending_reminders() -> int:
    """Beat entry: send reminders written but never sent (a worker that died between the two)."""
    return reminders.send_pending()


@shared_task(soft_time_limit=240, time_limit=300)
def refresh_dashboards() -> list[str]:
    """Beat entry: recompute the dashboard snapshots (the whole Pemda's and each opened OPD's) and
    the DPRD overview's ("dprd")."""
    today = timezone.localdate()
    scopes = dashboard.refresh_all(today)
    dprd.refresh_overview(today)
    return [*scopes, "dprd"]


@shared_task(soft_time_limit=480, time_limit=540)
def check_documents() -> int:
    """Beat entry: tell the administrators of every issued document whose file is missing,
    unreadable, altered or never rendered (monitoring/documents.py). Returns how many."""
    return documents.report_damaged_documents()
