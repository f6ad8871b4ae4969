"""The dashboard's snapshots: one stored copy of the figures per scope, which the page reads.

Aggregating a hundred thousand agreements takes a fifth of a second, so the figures are stored
per scope (the whole Pemda, each OPD whose dashboard has been opened) and read back while they
still hold. They hold while the data they were computed from has not changed: before computing,
``refresh`` reads the latest change to agreements, implementation reports and DPRD requests (three
index lookups, whatever the data's size: ``changes``) and stores it as the snapshot's basis; the
page compares it with the latest change now. Every write to those tables moves its ``updated_at``,
so the first load after a write computes the figures afresh, and the loads after it read them.

A snapshot computed within kerjasama.snapshots.SETTLE of the latest change is not read back (a
transaction that began before it may still commit with an earlier time: kerjasama/snapshots.py).

A snapshot is also computed again when it is of another day (the lists count from today), of an
older layout (a deploy) or older than MONITORING_DASHBOARD_CACHE_SECONDS; beat renews the
snapshots every five minutes (monitoring.tasks.refresh_dashboards) so that a load rarely has to.
The count of reports waiting for review is always live.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from kerjasama import snapshots
from registry.models import Agreement, DprdApproval

from . import selectors
from .models import DashboardSnapshot, ImplementationReport

# What the figures are computed from: each table's latest change, on its `updated_at` index. Every
# scope's snapshot reads them all: an agreement moved to another OPD changes both OPDs' figures.
SOURCES = {"agreements": Agreement, "reports": ImplementationReport, "dprd": DprdApproval}


def changes() -> dict[str, str]:
    """The latest change to each table the figures are computed from."""
    marks = {}
    for name, model in SOURCES.items():
        latest = model.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]
        marks[name] = latest.isoformat() if latest else ""
    return marks


def dashboard_for(scope_key: str, today: date) -> selectors.Dashboard:
    scope = selectors.scope_of_key(scope_key)
    max_age = settings.MONITORING_DASHBOARD_CACHE_SECONDS
    if max_age <= 0:
        return selectors.dashboard(scope, today)
    snapshot = DashboardSnapshot.objects.filter(scope=scope_key).first()
    basis = changes()
    if (
        snapshot is not None
        and snapshot.day == today
        and snapshot.computed_at >= timezone.now() - timedelta(seconds=max_age)
        and snapshot.data.get("version") == selectors.Dashboard.DATA_VERSION
        and snapshot.basis == basis
        and snapshots.settled(snapshot.computed_at, snapshot.basis.values())
    ):
        board = selectors.Dashboard.from_data(snapshot.data, computed_at=snapshot.computed_at)
        board.review_count = selectors.review_count(scope)
        return board
    # Freshly computed figures carry the live review count already.
    return refresh(scope_key, today, basis=basis)


def refresh(scope_key: str, today: date, *, basis: dict[str, str] | None = None) -> selectors.Dashboard:
    """Compute one scope's figures and store them as its snapshot, with the latest changes read
    before computing them: a write committed meanwhile makes the next load compute them again."""
    basis = changes() if basis is None else basis
    board = selectors.dashboard(selectors.scope_of_key(scope_key), today)
    DashboardSnapshot.objects.update_or_create(
        scope=scope_key,
        defaults={"day": today, "computed_at": board.computed_at, "data": board.to_data(), "basis": basis},
    )
    return board


def refresh_all(today: date) -> list[str]:
    """Refresh the whole Pemda's snapshot and every OPD's that has one; returns the scopes."""
    scopes = sorted({"all", *DashboardSnapshot.objects.values_list("scope", flat=True)})
    for scope_key in scopes:
        refresh(scope_key, today)
    return scopes
