from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from monitoring import demo as monitoring_demo
from planning import demo as planning_demo
from registry import demo as registry_demo
from registry import demo_agreements, demo_dprd


class Command(BaseCommand):
    help = (
        "Fill the database with demo data: the Pemda, its OPDs, one account per role. "
        "Idempotent. --size N adds N generated records for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=0, help="Number of generated records to add for benchmarks.")

    def handle(self, *args, size, **options):
        call_command("load_reference_data", verbosity=0)
        with transaction.atomic():
            counts = registry_demo.seed_reference_demo()
            agreements = demo_agreements.seed_agreements()
            planning_demo.seed_planning()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {counts['opds']} OPD, {counts['users']} users, {agreements} new demo agreements."
            )
        )
        if size:
            generated = demo_agreements.seed_volume(size)
            notifications = monitoring_demo.seed_notifications(min(size, 20_000))
            self.stdout.write(
                self.style.SUCCESS(f"Generated {generated} agreements and {notifications} notifications.")
            )
        demo_dprd.seed_dprd(size)
        monitoring = monitoring_demo.seed_monitoring(size)
        self.stdout.write(
            self.style.SUCCESS(
                f"Monitoring: {monitoring['demo']} demo records, {monitoring['reports']} reports, "
                f"{monitoring['evaluations']} evaluations."
            )
        )
        # Work queues that look like a real office's: some agreements stuck in their stage, and only
        # the recently issued documents still waiting for their signed original.
        demo_agreements.spread_stage_dates()
        registry_demo.sign_demo_originals()
        if size and connection.vendor == "postgresql":
            # What autovacuum would do after bulk inserts: fresh statistics for every table, so that
            # the planner knows the volumes (an anti-join planned for one report row is 15x slower),
            # and the visibility map that lets counts read an index alone.
            # VACUUM cannot run inside a transaction (a test's, say); ANALYZE can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
