from django.core.management.base import BaseCommand

from public import opendata


class Command(BaseCommand):
    help = (
        "Write the open data files (CSV and JSON) to OPEN_DATA_DIR now, so that the first download "
        "after a deployment or a restore does not wait for them."
    )

    def handle(self, *args, **options):
        for kind in opendata.FILES:
            path = opendata.publish(kind)
            self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
