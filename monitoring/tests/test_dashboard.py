"""The dashboard's numbers against a hand-counted register, its fixed number of queries, and the
agreements needing attention."""

import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kerjasama import workqueue
from monitoring import selectors, tasks
from monitoring.models import DashboardSnapshot, ReportStatus
from registry.models import Agreement, DprdApproval, EndReason, Kind, Stage
from registry.tests.factories import make_agreement

from .helpers import add_report, running

D = date(2026, 11, 23)
JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=JAKARTA)


@pytest.fixture
def register(tkksd, ppksd, opd, other_opd, settings):
    """Seven agreements whose every number on the dashboard is counted by hand in the tests."""
    settings.REPORT_DUE_DAY = 10
    settings.DORMANT_AFTER_MONTHS = 3
    settings.KB_TO_PKS_WARNING_MONTHS = 6
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        a3 = make_agreement(tkksd, opd=opd, title="A3 KB tanpa PKS", stage=Stage.PENYUSUNAN_PKS)
    with time_machine.travel(at(D), tick=False):
        a1 = running(tkksd, opd=opd, title="A1 segera berakhir", start=date(2025, 1, 1), end=D + timedelta(days=100))
        a2 = running(tkksd, opd=opd, title="A2 tertib", kind=Kind.KSDPK, start=date(2025, 3, 1), end=date(2028, 12, 31))
        add_report(a2, date(2026, 10, 1), ppksd, status=ReportStatus.ACCEPTED, reviewer=tkksd)
        add_report(a2, date(2026, 9, 1), ppksd, status=ReportStatus.SUBMITTED)
        a4 = make_agreement(
            tkksd,
            opd=opd,
            title="A4 menunggu DPRD",
            stage=Stage.PERSETUJUAN_DPRD,
            burdens_community=True,
            burden_justification="Membebani APBD.",
        )
        DprdApproval.objects.create(agreement=a4, received_on=D - timedelta(days=20), due_on=D + timedelta(days=25))
        b1 = running(
            tkksd,
            opd=other_opd,
            title="B1 lewat masa",
            kind=Kind.SINERGI,
            stage=Stage.PELAPORAN,
            start=date(2024, 6, 1),
            end=date(2026, 11, 1),
        )
        b2 = make_agreement(
            tkksd, opd=other_opd, title="B2 berakhir", start_date=date(2020, 1, 1), end_date=date(2021, 1, 1)
        )
        Agreement.objects.filter(pk=b2.pk).update(stage=Stage.BERAKHIR, end_reason=EndReason.TERM_EXPIRED)
        b3 = make_agreement(tkksd, opd=other_opd, title="B3 luar negeri", kind=Kind.KSDPL)
    return {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "b1": b1, "b2": b2, "b3": b3}


def as_dict(pairs):
    return dict(pairs)


@pytest.mark.django_db
def test_dashboard_numbers_match_the_hand_count(register, opd, other_opd):
    board = selectors.dashboard(Agreement.objects.all(), D)
    assert board.total == 7
    assert as_dict(board.by_stage) == {
        str(Stage.PELAKSANAAN.label): 2,
        str(Stage.PENYUSUNAN_PKS.label): 1,
        str(Stage.PERSETUJUAN_DPRD.label): 1,
        str(Stage.PELAPORAN.label): 1,
        str(Stage.BERAKHIR.label): 1,
        str(Stage.PRAKARSA.label): 1,
    }
    assert sum(as_dict(board.by_kind).values()) == 7
    assert as_dict(board.by_kind)["KSDD"] == 4
    assert as_dict(board.by_opd) == {opd.abbreviation: 4, other_opd.abbreviation: 3}
    assert board.by_year == [(2020, 1), (2024, 1), (2025, 2)]
    assert board.expiring_count == 1
    assert [a.title for a in board.expiring] == ["A1 segera berakhir"]
    assert board.overdue_period == date(2026, 10, 1)
    assert board.overdue_count == 2
    assert {a.title for a in board.overdue} == {"A1 segera berakhir", "B1 lewat masa"}
    assert board.dprd_pending_count == 1
    approval, waited, left = board.dprd_pending[0]
    # Waited in working days, as the DPRD's queue counts its term: 4 November to 23 November 2026.
    assert (approval.agreement.title, waited, left) == ("A4 menunggu DPRD", 14, 25)
    assert board.overdue_due == date(2026, 11, 10)
    assert board.dormant_counts == {"no_report": 2, "kb_without_pks": 1, "past_end": 1, "long_term": 0}
    assert board.review_count == 1
    charts = board.chart_data()
    assert sum(charts["stage"]["values"]) == 7
    assert charts["year"] == {"labels": ["2020", "2024", "2025"], "values": [1, 1, 2]}


@pytest.mark.django_db
def test_ppksd_dashboard_counts_their_own_opd(client, register, ppksd):
    client.force_login(ppksd)
    with time_machine.travel(at(D), tick=False):
        response = client.get(reverse("monitoring:dashboard"))
    board = response.context["board"]
    assert board.total == 4
    assert board.overdue_count == 1
    assert board.dormant_counts == {"no_report": 1, "kb_without_pks": 1, "past_end": 0, "long_term": 0}
    assert board.dprd_pending_count == 1
    assert not response.context["can_report_upward"]


@pytest.mark.django_db
def test_dashboard_page_passes_the_chart_data_as_json(client, register, tkksd):
    client.force_login(tkksd)
    with time_machine.travel(at(D), tick=False):
        response = client.get(reverse("monitoring:dashboard"))
    html = response.content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    start = html.index('<script id="dashboard-data" type="application/json">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(payload)["opd"]["values"] == [4, 3]
    assert "chart.umd.min.js" in html
    # No inline script: the CSP would refuse it.
    assert "<script>" not in html
    # The same figure means the same thing as in the DPRD's queue; the overdue table gives the
    # day the reports were due; each chart's figures are one click away.
    assert "14 hari kerja" in html
    overdue = html.split('data-testid="overdue"', 1)[1].split("</table>", 1)[0]
    assert "Batas waktu" in overdue and "10 Nov 2026" in overdue
    assert html.count("<summary>Lihat angka</summary>") == 4


def _grow(tkksd, ppksd, opd, other_opd, n):
    for index in range(n):
        agreement = running(
            tkksd,
            opd=opd if index % 2 else other_opd,
            title=f"Tambahan {index}",
            kind=[Kind.KSDD, Kind.KSDPK, Kind.SINERGI][index % 3],
            start=date(2023 + index % 3, 1, 1),
            end=D + timedelta(days=30 * index),
        )
        add_report(agreement, date(2026, 10, 1), ppksd, status=ReportStatus.SUBMITTED)
    with time_machine.travel(at(date(2026, 1, 1)), tick=False):
        for index in range(n):
            make_agreement(tkksd, opd=opd, title=f"KB {index}", stage=Stage.PENYUSUNAN_PKS)


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_the_data(client, register, tkksd, ppksd, opd, other_opd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 0
    client.force_login(tkksd)
    with CaptureQueriesContext(connection) as small:
        selectors.dashboard(Agreement.objects.all(), D)
    with time_machine.travel(at(D), tick=False), CaptureQueriesContext(connection) as small_page:
        client.get(reverse("monitoring:dashboard"))
    _grow(tkksd, ppksd, opd, other_opd, 12)
    with CaptureQueriesContext(connection) as large:
        board = selectors.dashboard(Agreement.objects.all(), D)
    with time_machine.travel(at(D), tick=False), CaptureQueriesContext(connection) as large_page:
        client.get(reverse("monitoring:dashboard"))
    assert board.total == 7 + 24
    assert len(large) == len(small) == 18
    assert len(large_page) == len(small_page)


@pytest.mark.django_db
def test_dormant_list_gives_each_reason(client, register, tkksd):
    client.force_login(tkksd)
    with time_machine.travel(at(D), tick=False):
        response = client.get(reverse("monitoring:dormant_list"))
    groups = {reason: rows for reason, (_count, rows) in response.context["groups"].items()}
    assert sorted(row.agreement.title for row in groups["no_report"]) == ["A1 segera berakhir", "B1 lewat masa"]
    assert [row.agreement.title for row in groups["kb_without_pks"]] == ["A3 KB tanpa PKS"]
    assert groups["kb_without_pks"][0].since == date(2026, 3, 1)
    assert [row.agreement.title for row in groups["past_end"]] == ["B1 lewat masa"]
    assert [count for count, _rows in response.context["groups"].values()] == [2, 1, 1, 0]


@pytest.mark.django_db
def test_a_kb_followed_by_a_signed_pks_record_is_not_dormant(tkksd, opd, settings):
    settings.KB_TO_PKS_WARNING_MONTHS = 6
    with time_machine.travel(at(date(2026, 1, 5)), tick=False):
        kb = make_agreement(tkksd, opd=opd, title="KB induk", stage=Stage.PENYUSUNAN_PKS)
    assert [row.agreement for row in selectors.dormant(Agreement.objects.all(), D)["kb_without_pks"]] == [kb]
    pks = make_agreement(tkksd, opd=opd, title="PKS anak", stage=Stage.PELAKSANAAN, start_date=date(2026, 6, 1))
    Agreement.objects.filter(pk=pks.pk).update(parent=kb, relation="pks_of_kb")
    assert selectors.dormant(Agreement.objects.all(), D)["kb_without_pks"] == []


@pytest.mark.django_db
def test_an_accepted_report_within_the_period_keeps_an_agreement_awake(tkksd, ppksd, opd, settings):
    settings.DORMANT_AFTER_MONTHS = 3
    agreement = running(tkksd, opd=opd, start=date(2025, 1, 1))
    add_report(agreement, date(2026, 7, 1), ppksd, status=ReportStatus.ACCEPTED, reviewer=tkksd)
    assert [row.agreement for row in selectors.dormant(Agreement.objects.all(), D)["no_report"]] == [agreement]
    add_report(agreement, date(2026, 8, 1), ppksd, status=ReportStatus.SUBMITTED)
    assert len(selectors.dormant(Agreement.objects.all(), D)["no_report"]) == 1
    add_report(agreement, date(2026, 9, 1), ppksd, status=ReportStatus.ACCEPTED, reviewer=tkksd)
    assert selectors.dormant(Agreement.objects.all(), D)["no_report"] == []


@pytest.mark.django_db
def test_the_counts_follow_each_write_and_the_review_queue_is_live(client, register, tkksd, ppksd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 300
    client.force_login(tkksd)
    with time_machine.travel(at(D), tick=False):
        first = client.get(reverse("monitoring:dashboard")).context["board"]
        running(tkksd, opd=register["a1"].lead_opd, title="Baru", start=date(2026, 1, 1))
        add_report(register["a1"], date(2026, 10, 1), ppksd, status=ReportStatus.SUBMITTED)
        second = client.get(reverse("monitoring:dashboard")).context["board"]
    assert (first.total, second.total) == (7, 8)
    assert (first.review_count, second.review_count) == (1, 2)
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 0
    with time_machine.travel(at(D), tick=False):
        assert client.get(reverse("monitoring:dashboard")).context["board"].total == 8


# --- snapshots: what the page reads instead of aggregating ---------------------------------------------


def stat(response, name: str) -> str:
    """The figure a stat card prints, without its markup."""
    found = re.search(rf'data-testid="stat-{name}">(.*?)</div>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def page_board(client, day=D, **kwargs):
    with time_machine.travel(kwargs.get("moment", at(day)), tick=False):
        response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_a_dashboard_survives_its_round_trip_through_a_snapshot(register):
    board = selectors.dashboard(Agreement.objects.all(), D)
    stored = json.loads(json.dumps(board.to_data(), cls=DjangoJSONEncoder))
    loaded = selectors.Dashboard.from_data(stored, computed_at=board.computed_at)
    loaded.review_count = board.review_count
    assert loaded == board
    assert loaded.dprd_pending[0][0].agreement.get_absolute_url() == register["a4"].get_absolute_url()
    with translation.override("en"):
        assert dict(loaded.by_stage)[str(Stage.PELAKSANAAN.label)] == 2


@pytest.mark.django_db
def test_the_page_reads_the_snapshot_while_nothing_changed_and_computes_again_after_a_write(
    client, register, tkksd, ppksd, settings
):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    client.force_login(tkksd)
    first = page_board(client, moment=at(D) + timedelta(minutes=1))
    assert DashboardSnapshot.objects.get(scope="all").data["total"] == 7

    with CaptureQueriesContext(connection) as queries:
        second = page_board(client, moment=at(D) + timedelta(minutes=4))
    # Session, user, roles, the snapshot, the three latest changes, the live review count (the work
    # queue's and the unread notifications' counts load after the page).
    assert len(queries) == 8
    assert not any(
        "GROUP BY" in query["sql"] and workqueue.MARKER not in query["sql"] for query in queries.captured_queries
    )
    assert second.context["board"].computed_at == first.context["board"].computed_at
    assert stat(second, "total") == "7"

    with time_machine.travel(at(D) + timedelta(minutes=5), tick=False):
        running(tkksd, opd=register["a1"].lead_opd, title="Baru", start=date(2026, 1, 1))
        add_report(register["a1"], date(2026, 10, 1), ppksd, status=ReportStatus.SUBMITTED)
    third = page_board(client, moment=at(D) + timedelta(minutes=6))
    assert third.context["board"].total == 8
    assert stat(third, "total") == "8"
    assert stat(third, "review") == "2"
    assert first.context["board"].computed_at < third.context["board"].computed_at
    # Computed a minute after the write, the new snapshot is read back.
    fourth = page_board(client, moment=at(D) + timedelta(minutes=7))
    assert fourth.context["board"].computed_at == third.context["board"].computed_at


@pytest.mark.django_db
def test_a_snapshot_computed_right_after_a_write_is_not_trusted_until_the_write_settles(
    client, register, tkksd, settings
):
    """A write whose transaction began before the figures were computed may commit after them with
    an earlier time: figures computed within SETTLE of the latest change are computed again."""
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    client.force_login(tkksd)
    with time_machine.travel(at(D), tick=False):
        running(tkksd, opd=register["a1"].lead_opd, title="Baru", start=date(2026, 1, 1))
    first = page_board(client, moment=at(D) + timedelta(seconds=2))
    second = page_board(client, moment=at(D) + timedelta(seconds=5))
    assert first.context["board"].computed_at < second.context["board"].computed_at
    third = page_board(client, moment=at(D) + timedelta(seconds=30))
    fourth = page_board(client, moment=at(D) + timedelta(seconds=40))
    assert second.context["board"].computed_at < third.context["board"].computed_at
    assert third.context["board"].computed_at == fourth.context["board"].computed_at


@pytest.mark.django_db
def test_a_stale_or_yesterdays_snapshot_is_recomputed_by_the_page(client, register, tkksd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    client.force_login(tkksd)

    def computed_at(moment):
        return page_board(client, moment=moment).context["board"].computed_at

    evening = computed_at(at(D).replace(hour=23, minute=50))
    assert computed_at(at(D).replace(hour=23, minute=55)) == evening
    # Yesterday's figures are never shown today, even a minute after midnight.
    tomorrow = D + timedelta(days=1)
    night = computed_at(at(tomorrow).replace(hour=0, minute=1))
    assert night > evening
    assert computed_at(at(tomorrow).replace(hour=0, minute=10)) == night
    # The refresh task stopped: after MONITORING_DASHBOARD_CACHE_SECONDS the page computes them.
    assert computed_at(at(tomorrow).replace(hour=0, minute=17)) > night
    # A snapshot stored by an older release, in another layout, is not read back.
    DashboardSnapshot.objects.update(data={"version": 0, "total": "?"})
    assert page_board(client, moment=at(tomorrow).replace(hour=0, minute=18)).context["board"].total == 7


@pytest.mark.django_db
def test_each_opd_has_its_own_snapshot_refreshed_once_opened(client, register, tkksd, ppksd, opd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    client.force_login(ppksd)
    assert page_board(client).context["board"].total == 4
    client.force_login(tkksd)
    assert page_board(client).context["board"].total == 7
    assert set(DashboardSnapshot.objects.values_list("scope", flat=True)) == {"all", f"opd-{opd.pk}"}
    running(tkksd, opd=opd, title="Baru", start=date(2026, 1, 1))
    with time_machine.travel(at(D) + timedelta(minutes=5), tick=False):
        assert tasks.refresh_dashboards.delay().get() == ["all", f"opd-{opd.pk}", "dprd"]
    client.force_login(ppksd)
    board = page_board(client, moment=at(D) + timedelta(minutes=6)).context["board"]
    assert (board.total, board.by_opd) == (5, [(opd.abbreviation, 5)])


@pytest.mark.django_db
def test_the_same_snapshot_is_printed_in_each_language(client, register, tkksd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    client.force_login(tkksd)
    assert "Pelaksanaan" in page_board(client).content.decode()
    client.cookies["django_language"] = "en"
    html = page_board(client, moment=at(D) + timedelta(minutes=1)).content.decode()
    with translation.override("en"):
        assert str(Stage.PELAKSANAAN.label) in html
    assert "Agreements by stage" in html and "Kerja sama menurut tahap" not in html
