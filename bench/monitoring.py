"""Monitoring timings for `make bench`: the daily reminder scan at the benchmark's volume.

Each run scans one day and sends what it found inside a transaction that is then rolled
back, so every run sees the same data. The e-mails are queued after a commit that never
happens: they are the workers' job, not the scan's.
"""

import time
from datetime import date

from django.db import transaction
from django.utils import timezone

from monitoring import reminders

RUNS = 3


class _Undo(Exception):
    pass


def _scan_and_send(day: date) -> float:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            reminders.scan(day, since=day)
            reminders.send_pending()
            elapsed = time.perf_counter() - started
            raise _Undo
    except _Undo:
        pass
    return elapsed


def _timed(day: date) -> list[float]:
    _scan_and_send(day)  # warm the connection and the caches, as a running worker has them
    return [_scan_and_send(day) for _ in range(RUNS)]


def scan_ordinary_day() -> list[float]:
    """Today: expiry thresholds, KB without PKS, DPRD deadlines, plenaries."""
    return _timed(timezone.localdate())


def scan_report_reminder_day() -> list[float]:
    """The busiest day of the month: every running agreement still owing last month's report."""
    return _timed(reminders.report_reminder_day(timezone.localdate()))
