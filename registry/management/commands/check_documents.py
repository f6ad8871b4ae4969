from django.core.management.base import BaseCommand, CommandError

from registry import official


class Command(BaseCommand):
    help = (
        "List every issued document whose stored file is missing, unreadable or altered (its bytes no "
        "longer match the recorded SHA-256), or that was never rendered. Exits with status 1 when any is found."
    )

    def handle(self, *args, **options):
        damaged = list(official.damaged_documents())
        checked = official.issued_documents().count()
        for document, state in damaged:
            self.stdout.write(
                f"{state:<10} {document.number or '-':<30} {document.verification_code}  {document.file.name or '-'}  "
                f"{document.title}"
            )
        if damaged:
            raise CommandError(f"{len(damaged)} of {checked} issued documents need attention.")
        if options["verbosity"]:
            self.stdout.write(f"{checked} issued documents checked: every file is present and intact.")
