from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kerjasama import backups


class Command(BaseCommand):
    help = (
        "Restore a backup (directory or .tar.gz) into the configured database, which must be empty, and "
        "the media storage (MEDIA_ROOT or MEDIA_STORAGE_URL), which must hold no file; then read every stored "
        "file that has a SHA-256 (issued documents, uploads, evidence) and compare. Exits with status 1 when the "
        "backup is damaged or a file does not match."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup directory or archive")

    def handle(self, *args, **options):
        try:
            manifest, verification = backups.restore(Path(options["source"]))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the backup of {manifest['created_at']} ({manifest['database']['engine']}).")
        for name, count in sorted(verification.per_model.items()):
            self.stdout.write(f"  {count} {name}")
        for label, name, state in verification.damaged:
            self.stdout.write(f"{state:<10} {label}  {name}")
        if verification.damaged:
            raise CommandError(f"{len(verification.damaged)} of {verification.checked} stored files do not match.")
        self.stdout.write(f"{verification.checked} stored files checked against their SHA-256: all intact.")
