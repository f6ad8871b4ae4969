from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kerjasama import backups


class Command(BaseCommand):
    help = (
        "Write a consistent backup: the database (pg_dump, or SQLite's backup) and every media file, with a "
        "manifest of SHA-256 sums. OUTPUT ending in .tar.gz is an archive, anything else a directory; by default "
        "an archive in BACKUP_DIR. --prune then keeps only the newest BACKUP_KEEP backups there."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="directory or .tar.gz archive to write (must not exist)")
        parser.add_argument("--prune", action="store_true", help="keep only the newest BACKUP_KEEP in BACKUP_DIR")

    def handle(self, *args, **options):
        directory = Path(settings.BACKUP_DIR)
        output = Path(options["output"]) if options["output"] else directory / backups.default_name()
        try:
            written = backups.write_backup(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written: {written}")
        if options["prune"]:
            for path in backups.prune(directory, settings.BACKUP_KEEP):
                self.stdout.write(f"Deleted old backup: {path}")
