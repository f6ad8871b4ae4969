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
