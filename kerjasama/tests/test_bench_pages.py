"""The pages `make bench` measures (bench/pages.py): each one's yardstick runs the page's own
main query, and each page's query count does not grow with the data."""

import re
import shutil
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.pages import BASELINE, PAGES, seeded_ids
from kerjasama.middleware import QueryCountMiddleware
from registry.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kerjasama.tests.bench_urls")]

# Generated agreements (with their reports, DPRD requests and notifications) seeded before the
# first count, and added before the second: four times as many. At the smaller size every kind
# of work queue entry the demo gives already has rows.
SMALL = 600
GROWTH = 1800

# Queries per request of each page, at both sizes (session and user lookups included).
EXPECTED_QUERIES = {
    "agreement list": 6,
    "agreement list, filtered": 6,
    "agreement list, search": 6,
    "agreement list, by title": 6,
    "agreement list (PPKSD)": 6,
    "agreement detail": 13,
    "partner page": 5,
    "home (TKKSD)": 13,
    "home (PPKSD)": 13,
    "home (Pimpinan)": 9,
    "home (DPRD)": 9,
    "home (Admin)": 10,
    "navigation: work queue count": 5,
    "navigation: work queue count (PPKSD)": 5,
    "notifications": 4,
    "OPD list": 4,
    "DPRD queue": 6,
    "DPRD queue (overdue)": 6,
    "DPRD overview": 8,
    "official document": 11,
    "planning: proposal list": 6,
    "planning: proposal list (PPKSD)": 6,
    "planning: proposal form": 6,
    "planning: cycle progress": 8,
    "planning: plenary": 10,
    "planning: proposal path": 7,
    "monitoring dashboard": 8,
    "monitoring dashboard (PPKSD)": 9,
    "implementation reports": 6,
    "reports waiting for review": 6,
    "implementation reports (PPKSD)": 6,
    "monitoring: report form": 5,
    "annual evaluations": 5,
    "agreements needing attention": 11,
    "public register": 6,
    "public register search": 6,
    "open data CSV": 6,
    "open data JSON": 6,
}


def _noon() -> datetime:
    return datetime.combine(timezone.localdate(), time(12, 0), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def frozen():
    # One instant for every request, so that the SQL of a page and of its yardstick (cut-off
    # dates, "now") compare equal. The demo's data is relative to today.
    with time_machine.travel(_noon(), tick=False):
        yield


def _seed(size: int) -> None:
    # A minute before the requests: the dashboard reads back figures computed after the data
    # settled (monitoring/dashboard.py), as it does in the bench, which seeds minutes before.
    with time_machine.travel(_noon() - timedelta(minutes=1), tick=False):
        call_command("seed_demo", size=size, verbosity=0)


def _queries(client, page, path) -> list[str]:
    """The SQL a request runs, from cold caches (the public pages are cached whole, the open data
    files written once) after one warm-up request (the dashboard stores its snapshot), as the
    bench's warm-up does."""
    client.force_login(User.objects.get(username=page.username))
    cache.clear()
    assert client.get(path).status_code == 200, path
    cache.clear()
    shutil.rmtree(settings.OPEN_DATA_DIR, ignore_errors=True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        # A streamed response (the open data's yardstick) reads its rows as it is sent.
        response.getvalue()
    assert response.status_code == 200, path
    return [query["sql"] for query in captured.captured_queries]


def _normalised(sql: str) -> str:
    """Whitespace collapsed, and on PostgreSQL the server-side cursor a queryset's iterator()
    opens (its name changes with every call) reduced to its SELECT."""
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ', "", sql)


def _is_request_overhead(sql: str) -> bool:
    """The session and the logged-in user, which every request reads."""
    return '"django_session"' in sql or sql.startswith('SELECT "registry_user"."id"')


def _resolved_pages():
    ids = seeded_ids()
    assert all(ids.values()), ids
    return [page.resolved(ids) for page in PAGES]


def test_every_page_has_a_yardstick_and_a_pinned_query_count():
    assert {page.name for page in PAGES} == set(EXPECTED_QUERIES)
    assert all(page.yardstick.startswith("/_bench/") for page in PAGES)
    assert len({page.name for page in PAGES}) == len(PAGES)


def test_each_yardstick_runs_the_main_query_of_its_page(client, frozen):
    _seed(SMALL)
    ids = seeded_ids()
    assert all(ids.values()), ids
    problems = []
    for page in (page.resolved(ids) for page in PAGES):
        page_sql = {_normalised(sql) for sql in _queries(client, page, page.path)}
        main = [_normalised(sql) for sql in _queries(client, page, page.yardstick) if not _is_request_overhead(sql)]
        if not main:
            problems.append(f"{page.name}: the yardstick runs no query of its own")
        missing = [sql for sql in main if sql not in page_sql]
        if missing:
            problems.append(f"{page.name}: the page does not run the yardstick's {missing[0][:300]}")
    assert not problems, "\n".join(problems)


def test_the_query_count_of_every_page_does_not_grow_with_the_data(client, frozen):
    _seed(SMALL)
    small = {page.name: len(_queries(client, page, page.path)) for page in _resolved_pages()}
    _seed(GROWTH)
    # The generated reports may have filed the month the report form opened: look again.
    large = {page.name: len(_queries(client, page, page.path)) for page in _resolved_pages()}
    assert small == large
    assert small == EXPECTED_QUERIES


def test_the_yardsticks_are_routed_only_for_the_benchmark(client, settings):
    settings.ROOT_URLCONF = "kerjasama.urls"
    with pytest.raises(NoReverseMatch):
        reverse("bench_yardstick", args=["agreement-list"])


@pytest.mark.parametrize("path", [page.yardstick for page in PAGES if "{" not in page.yardstick][:3])
def test_an_anonymous_visitor_is_sent_to_log_in_from_a_yardstick(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["admin", "tkksd", "ppksd", "dprd", "pimpinan", "outsider"])
def test_every_role_reads_its_own_scope_through_a_yardstick(client, users, username):
    client.force_login(users[username])
    assert client.get("/_bench/agreement-list/").status_code == 200
    assert client.get("/_bench/no-such-page/").status_code == 404


def test_a_yardstick_answers_404_for_a_record_outside_the_users_scope(client, users):
    client.force_login(users["ppksd"])
    assert client.get("/_bench/agreement-detail/999999/").status_code == 404


def test_the_bench_counts_the_queries_of_each_response(client, users, settings):
    settings.MIDDLEWARE = ["kerjasama.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    client.force_login(users["tkksd"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASELINE[0].path)
    assert response.status_code == 200
    assert int(response[QueryCountMiddleware.HEADER]) == len(captured.captured_queries) > 0


def test_the_bench_names_the_targets_a_page_misses():
    from bench.__main__ import Result, misses

    listing = next(page for page in PAGES if page.listing)
    admin = Result(BASELINE[1], latencies=[0.1] * 5, elapsed=1.0)
    own = Result(listing, latencies=[0.01] * 30, elapsed=1.0)
    assert misses(Result(listing, latencies=[0.01] * 30, elapsed=1.0), own, admin) == []
    slow = Result(listing, latencies=[0.2] * 5, elapsed=1.0)
    assert misses(slow, own, admin) == ["p95>50", "admin<2x", "own<0.8x"]
    # Other pages need half their yardstick's throughput.
    detail = next(page for page in PAGES if not page.listing)
    half = Result(detail, latencies=[0.01] * 15, elapsed=1.0)
    assert misses(half, Result(detail, latencies=[0.01] * 30, elapsed=1.0), admin) == []
