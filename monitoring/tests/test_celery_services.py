"""End to end through a real Celery worker on Redis and the real PostgreSQL (CI)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from kerjasama.celery import app
from monitoring import services
from monitoring.models import Notification


def wait_until_sent(notification: Notification, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.email_state == Notification.EmailState.SENT:
            return
        time.sleep(0.1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_notification_email_is_delivered_by_a_real_worker_on_redis(tkksd, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must provide CELERY_BROKER_URL"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert app.conf.task_always_eager is False
    # The worker runs in a thread of this process, so it sends into this mail.outbox.
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        notification = services.notify(tkksd, title="Lewat Redis", body="Dikirim oleh worker Celery.")
        wait_until_sent(notification)
    assert notification.email_state == Notification.EmailState.SENT
    assert [message.subject for message in mail.outbox] == ["[Kerja Sama] Lewat Redis"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_reminder_goes_from_the_beat_schedule_through_redis_to_an_email(tkksd, ppksd, opd, settings):
    from datetime import timedelta

    from celery.beat import ScheduleEntry, Scheduler
    from django.utils import timezone

    from monitoring.models import Reminder
    from monitoring.tests.helpers import running

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must provide CELERY_BROKER_URL"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    agreement = running(tkksd, opd=opd, title="Lewat Beat", end=timezone.localdate() + timedelta(days=30))
    entry = ScheduleEntry(name="daily-reminder-scan", app=app, **app.conf.beat_schedule["daily-reminder-scan"])
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        # What beat does when the entry falls due: send the task by name through the broker.
        Scheduler(app, lazy=True).apply_async(entry, producer=None, advance=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sent = Notification.objects.filter(email_state=Notification.EmailState.SENT).count()
            if sent == 2:
                break
            time.sleep(0.2)
    assert Reminder.objects.filter(subject_id=agreement.pk, threshold=30).count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([tkksd.email, ppksd.email])
    assert all("Lewat Beat" in message.subject for message in mail.outbox)
