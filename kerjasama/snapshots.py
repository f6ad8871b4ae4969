"""Stored figures read back while the data they were counted from has not changed (the
dashboard's, monitoring/dashboard.py; the DPRD overview's, registry/dprd.py).

Each store records, before counting, the latest change to each table it counts from (its
`updated_at`, as an ISO datetime). A change committed while the figures were being counted may
carry an earlier `updated_at` than the latest one read (its transaction began first), and the
clocks of two app servers may differ a little: figures counted less than SETTLE after the latest
change are therefore not read back; the first load after SETTLE counts figures that are.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

SETTLE = timedelta(seconds=10)


def settled(computed_at: datetime, marks: Iterable[str]) -> bool:
    """Whether figures counted at `computed_at` came at least SETTLE after the latest of `marks`
    (each table's latest change as an ISO datetime, empty for a table with no rows)."""
    changes = [datetime.fromisoformat(mark) for mark in marks if mark]
    return not changes or computed_at - max(changes) >= SETTLE
