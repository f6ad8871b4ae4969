"""Project-wide Celery tasks: the nightly backup."""

from pathlib import Path

from celery import shared_task
from django.conf import settings

from . import backups


# A large media directory takes longer than the default limits; the backup directory's lock keeps
# a copy Redis redelivers meanwhile from running a second backup alongside (kerjasama/backups.py).
@shared_task(time_limit=4 * 60 * 60, soft_time_limit=4 * 60 * 60 - 60)
def nightly_backup() -> str:
    """Write tonight's backup into BACKUP_DIR and keep the newest BACKUP_KEEP."""
    written = backups.nightly(Path(settings.BACKUP_DIR), settings.BACKUP_KEEP)
    return str(written or "")
