import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from monitoring import reminders


class _RolledBack(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Run the daily reminder scan now: every day since the last scanned one up to today, then send. "
        "--since re-scans from a day (nothing already written is written again). "
        "--measure times one day's scan and send at the current volume and rolls everything back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="The day to scan up to (YYYY-MM-DD).")
        parser.add_argument("--since", type=date.fromisoformat, help="Scan from this day (YYYY-MM-DD).")
        parser.add_argument(
            "--measure",
            action="store_true",
            help="Time a one-day scan of today and of the next report reminder day, then roll back.",
        )

    def handle(self, *args, today=None, since=None, measure=False, **options):
        today = today or timezone.localdate()
        if since and since > today:
            raise CommandError("--since must not be after --today.")
        if measure:
            self._measure(today)
            return
        result = reminders.scan(today, since=since)
        sent = reminders.send_pending()
        self.stdout.write(self.style.SUCCESS(f"Scanned {result.start}..{result.end}: {result.found} due, {sent} sent."))

    def _measure(self, today: date) -> None:
        days = (("an ordinary day", today), ("the report reminder day", reminders.report_reminder_day(today)))
        for label, day in days:
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    result = reminders.scan(day, since=day)
                    scanned = time.perf_counter() - started
                    sent = reminders.send_pending()
                    total = time.perf_counter() - started
                    self.stdout.write(
                        f"reminder scan, {label} ({day}): {result.found} due, {sent} sent; "
                        f"scan {scanned:.2f} s, scan and send {total:.2f} s"
                    )
                    raise _RolledBack
            except _RolledBack:
                pass
