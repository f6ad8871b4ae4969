"""The Celery application and the one place where the clock is written down.

Without CELERY_BROKER_URL the tasks run eagerly in the web process (settings.py), so the
app works on one laptop. In production a worker and a beat process run beside gunicorn
(docker-compose.yml).

Nothing here is ever scheduled far ahead with an ETA or countdown: Redis re-delivers an
unacknowledged message after its visibility timeout, so a far-future task would run twice.
Due work is a database row before it is a message; beat only starts the scans.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerjasama.settings")

app = Celery("kerjasama")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # The nightly backup (kerjasama/backups.py) into BACKUP_DIR, keeping the newest BACKUP_KEEP; at
    # an hour nobody works and before the registry's nightly moves.
    "nightly-backup": {
        "task": "kerjasama.tasks.nightly_backup",
        "schedule": crontab(hour=0, minute=5),
    },
    # Natural end (PP 28/2018 Pasal 9(1)a): agreements whose end date has passed move to "ended".
    "end-expired-agreements": {
        "task": "registry.tasks.end_expired_agreements",
        "schedule": crontab(hour=0, minute=30),
    },
    # DPRD approval (PP 28/2018, docs/domain.md §3): deadlines follow the holiday calendar; where
    # silence means approval, a request past its deadline is deemed approved on the deadline day.
    "apply-dprd-deadlines": {
        "task": "registry.tasks.apply_dprd_deadlines",
        "schedule": crontab(hour=0, minute=15),
    },
    # Reminders (monitoring/reminders.py): every day since the last scanned day up to today, so a
    # day the scheduler was down is caught up; after the registry's nightly moves so that ended
    # agreements and deemed approvals are not reminded of.
    "daily-reminder-scan": {
        "task": "monitoring.tasks.daily_reminder_scan",
        "schedule": crontab(hour=6, minute=0),
    },
    # The daily digest of notifications (monitoring/services.py) for the users who chose it, after
    # the morning's reminders; everything not yet e-mailed is included, so a missed day is caught up.
    "send-email-digests": {
        "task": "monitoring.tasks.send_email_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Reminders written by a scan whose worker died before sending them. Sending is once-only.
    "send-pending-reminders": {
        "task": "monitoring.tasks.send_pending_reminders",
        "schedule": crontab(minute="7,37"),
    },
    # The dashboard's figures (monitoring/dashboard.py) and the DPRD overview's (registry/dprd.py),
    # so that no page load aggregates them; well within MONITORING_DASHBOARD_CACHE_SECONDS and the
    # overview's OVERVIEW_MAX_AGE, after which a page would compute them.
    "refresh-dashboards": {
        "task": "monitoring.tasks.refresh_dashboards",
        "schedule": crontab(minute="*/5"),
    },
    # The outbox's sweepers (kerjasama/jobs.py): publish again what is still queued a minute after
    # its commit (the broker was down, a message was lost) and take back the work of a worker that
    # died (its lease expired). Every task claims its row first, so nothing runs twice.
    "sweep-render-jobs": {
        "task": "registry.tasks.sweep_render_jobs",
        "schedule": crontab(minute="*"),
    },
    "sweep-import-jobs": {
        "task": "registry.tasks.sweep_import_jobs",
        "schedule": crontab(minute="*"),
    },
    "resend-unsent-notification-emails": {
        "task": "monitoring.tasks.resend_unsent_emails",
        "schedule": crontab(minute="*"),
    },
    # Every issued document's file is still there and still matches its SHA-256; the
    # administrators are told of any that does not (monitoring/documents.py).
    "check-documents": {
        "task": "monitoring.tasks.check_documents",
        "schedule": crontab(day_of_week="sunday", hour=2, minute=0),
    },
}
