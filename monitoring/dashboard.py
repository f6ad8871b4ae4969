"""The dashboard's snapshots: one stored copy of the figures per scope, which the page reads.

Aggregating a hundred thousand agreements takes about a second; the refresh task
(monitoring.tasks.refresh_dashboards, every five minutes by beat) does it in the background for
the whole Pemda and for every OPD whose dashboard has been opened, so that opening the dashboard
reads one row. A page computes the figures itself only when its snapshot is missing, of another
day or of an older layout (a deploy), or older than MONITORING_DASHBOARD_CACHE_SECONDS (the task
is not running). The count of reports waiting for review is always live.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from . import selectors
from .models import DashboardSnapshot


def dashboard_for(scope_key: str, today: date) -> selectors.Dashboard:
    scope = selectors.scope_of_key(scope_key)
    max_age = settings.MONITORING_DASHBOARD_CACHE_SECONDS
    if max_age <= 0:
        return selectors.dashboard(scope, today)
    snapshot = DashboardSnapshot.objects.filter(scope=scope_key).first()
    if (
        snapshot is not None
        and snapshot.day == today
        and snapshot.computed_at >= timezone.now() - timedelta(seconds=max_age)
        and snapshot.data.get("version") == selectors.Dashboard.DATA_VERSION
    ):
        board = selectors.Dashboard.from_data(snapshot.data, computed_at=snapshot.computed_at)
        board.review_count = selectors.review_count(scope)
        return board
    # Freshly computed figures carry the live review count already.
    return refresh(scope_key, today)


def refresh(scope_key: str, today: date) -> selectors.Dashboard:
    """Compute one scope's figures and store them as its snapshot."""
    board = selectors.dashboard(selectors.scope_of_key(scope_key), today)
    DashboardSnapshot.objects.update_or_create(
        scope=scope_key, defaults={"day": today, "computed_at": board.computed_at, "data": board.to_data()}
    )
    return board


def refresh_all(today: date) -> list[str]:
    """Refresh the whole Pemda's snapshot and every OPD's that has one; returns the scopes."""
    scopes = sorted({"all", *DashboardSnapshot.objects.values_list("scope", flat=True)})
    for scope_key in scopes:
        refresh(scope_key, today)
    return scopes
