from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from registry import reference_data
from registry.models import Province, Regency, Urusan


class Command(BaseCommand):
    help = "Load (or refresh) provinces, kabupaten/kota, urusan pemerintahan and role groups. Idempotent."

    def handle(self, *args, **options):
        provinces, regencies = reference_data.load_regions(Province, Regency)
        urusan = reference_data.load_urusan(Urusan)
        reference_data.ensure_role_groups(Group)
        if options["verbosity"]:
            self.stdout.write(
                f"{provinces} provinces, {regencies} regencies and cities, {urusan} urusan, "
                f"{len(reference_data.ROLE_GROUPS)} role groups."
            )
