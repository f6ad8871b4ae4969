"""The work queue ("Perlu tindakan Anda"): each entry appears when its condition starts and goes
when the action is done, scoped like the page it links to, counted in one query."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kerjasama import workqueue
from monitoring import services as monitoring_services
from monitoring.models import ReportStatus
from monitoring.tests.helpers import add_report, running
from planning import services as planning_services
from planning.models import Decision
from planning.tests.factories import hold_plenary, open_cycle, schedule, submitted_proposal, the_team
from registry import dprd as desk
from registry import lifecycle, official
from registry import services as registry_services
from registry.models import Agreement, DocumentKind, DocumentType, DprdApproval, Stage
from registry.official import signed
from registry.roles import Role
from registry.tests.factories import PemdaProfileFactory, make_agreement, pdf_bytes, upload
from registry.tests.official_data import keputusan_data

pytestmark = pytest.mark.django_db


def kinds(user, today=None) -> dict[str, int]:
    return {group.kind: group.count for group in workqueue.queue_for(user, today, rows=False).groups}


def rows(user, kind, today=None) -> list[workqueue.Row]:
    """The queue's rows of `kind`, after checking that they print from the columns their source
    reads (`.only`): a row reaching for another column would read it anew, a query per row."""
    source = next(source for source in workqueue.sources_for(user, today) if source.kind == kind)
    if source.summary is None:
        items = list(source.queryset[: workqueue.ROWS_PER_KIND])
        with CaptureQueriesContext(connection) as queries:
            built = source.rows(items) if source.rows else [source.row(item) for item in items]
        # The DPRD's rows share one calendar of working days, read once.
        assert len(queries.captured_queries) == (1 if source.rows and items else 0), queries.captured_queries
        assert all(row.label and row.url for row in built)
    return [row for row in workqueue.queue_for(user, today).rows if row.kind == kind]


# --- TKKSD ---------------------------------------------------------------------------------------------


def test_a_submitted_proposal_waits_for_the_tkksd_until_it_is_on_the_agenda(tkksd, ppksd, opd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    assert kinds(tkksd)["proposals_to_schedule"] == 1
    # Without a scheduled plenary the row leads to the proposal; with one, to the plenary's agenda.
    assert rows(tkksd, "proposals_to_schedule")[0].url == proposal.get_absolute_url()
    plenary = schedule(tkksd, cycle, timezone.localdate() + timedelta(days=3))
    assert rows(tkksd, "proposals_to_schedule")[0].url == plenary.get_absolute_url()
    planning_services.add_to_agenda(plenary, actor=tkksd, proposals=[proposal])
    assert "proposals_to_schedule" not in kinds(tkksd)
    # The PPKSD, the DPRD and the Pimpinan are not asked to schedule anything.
    for user in (ppksd,):
        assert "proposals_to_schedule" not in kinds(user)


def test_a_plenary_past_its_date_waits_until_it_is_closed(tkksd, ppksd, opd):
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle, timezone.localdate() + timedelta(days=2))
    assert "plenaries_to_close" not in kinds(tkksd)
    later = timezone.localdate() + timedelta(days=3)
    assert kinds(tkksd, later)["plenaries_to_close"] == 1
    assert rows(tkksd, "plenaries_to_close", later)[0].url == plenary.get_absolute_url()
    with time_machine.travel(later):
        hold_plenary(tkksd, plenary, [(proposal, Decision.DEFERRED, None, "Menunggu kajian")])
        planning_services.close_plenary(plenary, actor=tkksd)
        assert "plenaries_to_close" not in kinds(tkksd, later)


def test_a_filed_report_waits_for_review_and_goes_when_reviewed(tkksd, ppksd, opd, other_ppksd):
    agreement = running(tkksd, opd=opd)
    report = add_report(agreement, date(2026, 1, 1), ppksd, status=ReportStatus.SUBMITTED)
    assert kinds(tkksd)["reports_to_review"] == 1
    assert rows(tkksd, "reports_to_review")[0].url == report.get_absolute_url()
    monitoring_services.review_report(report, actor=tkksd, decision="return", note="Lengkapi bukti")
    assert "reports_to_review" not in kinds(tkksd)
    # Returned: now the OPD's PPKSD revise it, and no other OPD's.
    assert kinds(ppksd)["reports_returned"] == 1
    assert rows(ppksd, "reports_returned")[0].url == reverse("monitoring:report_edit", args=[report.pk])
    assert "reports_returned" not in kinds(other_ppksd)


def test_a_dprd_request_past_its_deadline_waits_for_the_tkksd(tkksd, dprd, opd):
    from registry.tests.test_dprd import open_request, waiting_agreement

    agreement = waiting_agreement(tkksd, opd)
    approval = open_request(agreement, tkksd, timezone.localdate() - timedelta(days=120))
    assert kinds(tkksd)["dprd_silent"] == 1
    assert rows(tkksd, "dprd_silent")[0].url == approval.get_absolute_url()
    # The DPRD sees it among its requests to decide, with the deadline passed.
    row = rows(dprd, "dprd_requests")[0]
    assert row.is_overdue and row.url == approval.get_absolute_url()
    assert "past the deadline" in row.detail or "melewati" in row.detail
    registry_services.record_dprd_decision(approval, actor=dprd, decision=DprdApproval.Decision.APPROVED)
    assert "dprd_silent" not in kinds(tkksd)
    assert "dprd_requests" not in kinds(dprd)
    # The decision waits for the TKKSD's next step until the agreement moves again.
    assert kinds(tkksd)["dprd_answered"] == 1
    assert rows(tkksd, "dprd_answered")[0].url == agreement.get_absolute_url()
    agreement.refresh_from_db()
    lifecycle.advance(agreement, Stage.DIBATALKAN, actor=tkksd, note="Batal")
    assert "dprd_answered" not in kinds(tkksd)


def test_agreements_stuck_in_a_stage_or_with_new_documents(tkksd, opd, settings):
    settings.STAGE_STALE_DAYS = 30
    agreement = make_agreement(tkksd, opd=opd)
    assert "stale" not in kinds(tkksd)
    Agreement.objects.filter(pk=agreement.pk).update(stage_changed_at=timezone.now() - timedelta(days=31))
    assert kinds(tkksd)["stale"] == 1
    stuck = rows(tkksd, "stale")[0]
    assert stuck.url == agreement.get_absolute_url() and agreement.register_number in stuck.label
    upload(agreement, tkksd, DocumentType.KAK)
    assert kinds(tkksd)["ready_to_move"] == 1
    assert rows(tkksd, "ready_to_move")[0].url == agreement.get_absolute_url()
    agreement.refresh_from_db()
    lifecycle.advance(agreement, Stage.DIBATALKAN, actor=tkksd, note="Tidak dilanjutkan")
    assert "stale" not in kinds(tkksd) and "ready_to_move" not in kinds(tkksd)


def test_opds_short_of_liaison_officers_are_one_row_with_a_count(tkksd, pimpinan, admin_user, opd, other_opd):
    for user in (tkksd, pimpinan, admin_user):
        found = rows(user, "opds_short")
        assert len(found) == 1 and found[0].label.startswith("2 ")
    assert kinds(tkksd)["opds_short"] == 2


# --- Pimpinan, DPRD, PPKSD, Admin -------------------------------------------------------------------------


def test_in_december_the_admin_is_told_of_series_that_cannot_number_the_coming_year(admin_user, tkksd):
    from registry.models import NumberSeries

    good = official.series_for("keputusan-bupati")
    yearless = official.series_for("surat-kerja-sama")
    yearless.pattern = "100.3.3/{seq:03d}/KS"
    yearless.save(update_fields=["pattern"])
    assert "series_for_next_year" not in kinds(admin_user, date(2026, 11, 30))
    found = rows(admin_user, "series_for_next_year", date(2026, 12, 1))
    assert [row.detail for row in found] == ["100.3.3/{seq:03d}/KS"]
    assert "2027" in found[0].label and str(yearless.pk) in found[0].url
    assert good.pattern not in [row.detail for row in found]
    # Nobody else is asked; with the year in the pattern the row goes.
    assert "series_for_next_year" not in kinds(tkksd, date(2026, 12, 1))
    NumberSeries.objects.filter(pk=yearless.pk).update(pattern="100.3.3/{seq:03d}/KS/{year}")
    assert "series_for_next_year" not in kinds(admin_user, date(2026, 12, 1))


def test_the_pimpinan_sees_each_draft_to_issue_with_what_it_decides(
    tkksd, pimpinan, dprd, ppksd, opd, django_capture_on_commit_callbacks
):
    PemdaProfileFactory()
    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Rencana Program Kerja Sama Daerah Tahun 2027",
        data=keputusan_data(),
    )
    row = rows(pimpinan, "drafts_to_issue")[0]
    assert row.url == draft.get_absolute_url()
    assert "Rencana Program" in row.label and "lampiran" in row.detail
    # Nobody else is asked to issue it.
    for user in (tkksd, dprd, ppksd):
        assert "drafts_to_issue" not in kinds(user)
    with django_capture_on_commit_callbacks(execute=True):
        official.issue_document(draft, actor=pimpinan)
    assert "drafts_to_issue" not in kinds(pimpinan)
    # Issued, it waits for the signed original: the Pimpinan's next action, until it is recorded.
    draft.refresh_from_db()
    row = rows(pimpinan, "awaiting_signature")[0]
    assert row.url == draft.get_absolute_url() and draft.number in row.detail
    for user in (dprd, ppksd):
        assert "awaiting_signature" not in kinds(user)
    signed.record_wet_signature(
        draft, actor=pimpinan, content=pdf_bytes("Ditandatangani"), signed_on=draft.issue_date, signer_name="Bupati"
    )
    assert "awaiting_signature" not in kinds(pimpinan)


def test_a_dprd_request_letter_draft_says_which_agreement_it_concerns(tkksd, pimpinan, opd):
    from registry.tests.test_dprd import waiting_agreement

    PemdaProfileFactory()
    agreement = waiting_agreement(tkksd, opd)
    approval = desk.draft_request_letter(agreement, actor=tkksd)
    row = rows(pimpinan, "drafts_to_issue")[0]
    assert row.url == approval.request_letter.get_absolute_url()
    assert agreement.register_number in row.detail


def test_a_ppksd_sees_only_their_own_opds_work(tkksd, ppksd, other_ppksd, opd, other_opd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    planning_services.return_proposal(proposal, actor=tkksd, note="Perbaiki objek")
    assert kinds(ppksd)["proposals_returned"] == 1
    assert rows(ppksd, "proposals_returned")[0].url == reverse("planning:proposal_edit", args=[proposal.pk])
    assert "proposals_returned" not in kinds(other_ppksd)
    own = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    make_agreement(tkksd, opd=other_opd, stage=Stage.PENYUSUNAN_PKS, title="Milik OPD lain")
    assert [row.url for row in rows(ppksd, "opd_stages")] == [own.get_absolute_url()]
    # Reports owed: the month just ended, for the OPD's running agreements.
    today = timezone.localdate()
    mine = running(tkksd, opd=opd, start=today - timedelta(days=400), end=today + timedelta(days=900))
    running(tkksd, opd=other_opd, start=today - timedelta(days=400), end=today + timedelta(days=900), title="Lain")
    owed = rows(ppksd, "reports_owed")
    assert [row.url.split("?")[0] for row in owed] == [reverse("monitoring:report_create", args=[mine.pk])]
    assert kinds(ppksd)["opd_evaluations"] >= 1
    own_forms = {
        reverse("monitoring:opd_evaluation_create", args=[a.pk]) for a in Agreement.objects.filter(lead_opd=opd)
    }
    answering = rows(ppksd, "opd_evaluations")
    assert answering and all(row.url.split("?")[0] in own_forms for row in answering)
    assert "reports_owed" not in kinds(tkksd)


def test_an_empty_queue_says_so_in_one_line(client, make_user, opd):
    user = make_user(Role.PPKSD, username="ppksd.sepi", opd=opd)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="work-queue-empty"' in page
    assert "Tidak ada yang menunggu tindakan Anda" in page
    assert 'data-testid="nav-work-queue"' not in page


def test_counts_are_capped_and_shown_as_100_plus(tkksd, opd, settings):
    settings.STAGE_STALE_DAYS = 1
    for n in range(workqueue.CAP + 3):
        make_agreement(tkksd, opd=opd, title=f"Kerja sama {n}")
    Agreement.objects.update(stage_changed_at=timezone.now() - timedelta(days=5))
    queue = workqueue.queue_for(tkksd)
    group = next(group for group in queue.groups if group.kind == "stale")
    assert group.count == workqueue.CAP + 1 and group.shown == "100+"
    assert queue.total_shown == "100+"
    assert len([row for row in queue.rows if row.kind == "stale"]) == workqueue.ROWS_PER_KIND


# --- pages: every role's home, the navigation, the query count ---------------------------------------


@pytest.mark.parametrize("name", ["tkksd", "pimpinan", "dprd", "ppksd", "admin"])
def test_every_home_page_starts_with_the_queue(client, users, name):
    client.force_login(users[name])
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Perlu tindakan Anda" in page
    assert page.index('data-testid="work-queue"') < page.index("Notifikasi terbaru")


def test_the_navigation_counts_the_queue_on_every_page_after_the_page_loads(client, tkksd, ppksd, opd):
    cycle = open_cycle(tkksd)
    submitted_proposal(ppksd, cycle)
    client.force_login(tkksd)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("registry:agreement_list")).content.decode()
    # The page does not count the queue: its navigation asks for the count once it has loaded.
    assert not any(workqueue.MARKER in query["sql"] for query in queries.captured_queries)
    assert 'data-testid="nav-work-queue"' not in page
    assert f'data-hx-get="{reverse("work_queue_nav")}"' in page
    entry = client.get(reverse("work_queue_nav"))
    assert entry.status_code == 200
    assert "no-store" in entry["Cache-Control"]
    total = workqueue.queue_for(tkksd, rows=False).total_shown
    assert re.search(rf'data-testid="nav-work-queue">\s*Tugas\s*<span[^>]*>{total}</span>', entry.content.decode())
    # The home page counts its queue anyway: its navigation prints the count at once.
    home = client.get(reverse("home"))
    assert home.context["work_queue"].total >= 1
    assert 'data-testid="nav-work-queue"' in home.content.decode()
    assert 'data-hx-get="' + reverse("work_queue_nav") not in home.content.decode()


def test_the_navigation_entry_is_empty_for_an_empty_queue_and_for_a_visitor(client, make_user, opd):
    assert client.get(reverse("work_queue_nav")).status_code == 204
    quiet = make_user(Role.PPKSD, username="ppksd.sepi", opd=opd)
    client.force_login(quiet)
    entry = client.get(reverse("work_queue_nav"))
    assert entry.status_code == 204
    assert entry.content == b""
    # Nothing to do but a notification unread: only its count, out of band.
    monitoring_services.notify(quiet, title="Pemberitahuan", email=False)
    entry = client.get(reverse("work_queue_nav"))
    assert entry.status_code == 200
    assert 'data-testid="nav-work-queue"' not in entry.content.decode()
    assert re.search(r'<span id="nav-unread"[^>]* data-hx-swap-oob="true">1</span>', entry.content.decode())
    assert client.post(reverse("work_queue_nav")).status_code == 405


def test_anonymous_visitors_have_no_queue(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302


def home_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    counting = [q for q in queries.captured_queries if workqueue.MARKER in q["sql"]]
    assert len(counting) == 1, "the whole queue is counted in one query"
    return len(queries.captured_queries), len(response.context["work_queue"].rows)


def fill_tkksd_queue(tkksd, ppksd, opd, n: int, cycle):
    for i in range(n):
        submitted_proposal(ppksd, cycle, title=f"Usulan {cycle.year} {i}")
        agreement = running(tkksd, opd=opd, title=f"Berjalan {i}")
        add_report(agreement, date(2026, 1, 1), ppksd, status=ReportStatus.SUBMITTED)
        make_agreement(tkksd, opd=opd, title=f"Disiapkan {i}")
    Agreement.objects.filter(stage=Stage.PERSIAPAN).update(stage_changed_at=timezone.now() - timedelta(days=400))


# The home page's queries, pinned with a full queue: session, user, roles, the Pemda, the
# notifications, the unread count, the one counting query, then one per kind that has entries
# (the DPRD's adds its calendar of working days), plus each role's own cards (the Admin's counts).
HOME_QUERIES = {"tkksd": 12, "pimpinan": 10, "ppksd": 14, "dprd": 9, "admin": 10}


@pytest.mark.parametrize("name", sorted(HOME_QUERIES))
def test_the_home_page_query_count_does_not_grow_with_the_queue(client, users, opd, make_user, name):
    tkksd, ppksd = users["tkksd"], users["ppksd"]
    PemdaProfileFactory()
    cycle = open_cycle(tkksd)
    user = users[name]
    client.force_login(user)

    def fill(n):
        fill_tkksd_queue(tkksd, ppksd, opd, n, cycle)
        for i in range(n):
            official.create_draft(
                actor=tkksd,
                kind=DocumentKind.KEPUTUSAN,
                series=official.series_for("keputusan-bupati"),
                title=f"Keputusan {i}",
                data=keputusan_data(),
            )
            proposal = submitted_proposal(ppksd, cycle, title=f"Dikembalikan {i}")
            planning_services.return_proposal(proposal, actor=tkksd, note="Perbaiki")
            make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS, title=f"PKS {i}")
            waiting = waiting_agreement(tkksd, opd, title=f"Menunggu DPRD {i}", attachments=False)
            open_request(waiting, tkksd, timezone.localdate() - timedelta(days=100 + i))

    from registry.tests.test_dprd import open_request, waiting_agreement

    fill(1)
    client.get(reverse("home"))  # warm the caches a first page load fills
    small, small_rows = home_queries(client)
    fill(8)
    large, large_rows = home_queries(client)
    if name != "admin":
        assert large_rows > small_rows
    assert large == small
    assert large == HOME_QUERIES[name]


def test_the_demo_gives_every_role_a_realistic_queue(client):
    from django.core.management import call_command

    from registry.models import User

    call_command("seed_demo", verbosity=0)
    tkksd = User.objects.get(username="tkksd")
    assert kinds(tkksd).get("stale", 0) >= 1
    stale = Agreement.objects.filter(stage_changed_at__lt=timezone.now() - timedelta(days=60))
    assert all(a.transitions.order_by("-at").first().at == a.stage_changed_at for a in stale)
    for username in ("tkksd", "bupati", "dprd", "ppksd.dishub", "admin"):
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert not response.context["work_queue"].is_empty, username


def test_a_draft_proposal_waits_for_its_opd_until_submitted(tkksd, ppksd, other_ppksd, opd):
    from planning.tests.factories import draft_proposal, map_potential

    cycle = open_cycle(tkksd)
    proposal = draft_proposal(ppksd, map_potential(ppksd, cycle))
    row = rows(ppksd, "proposals_to_submit")[0]
    assert row.url == proposal.get_absolute_url() and row.due == cycle.submission_deadline
    assert "proposals_to_submit" not in kinds(other_ppksd) and "proposals_to_submit" not in kinds(tkksd)
    planning_services.submit_proposal(proposal, actor=ppksd)
    assert "proposals_to_submit" not in kinds(ppksd)


def test_a_prioritised_proposal_asks_the_tkksd_for_the_programme_decree(tkksd, ppksd, opd):
    from planning import programme

    PemdaProfileFactory()
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle, timezone.localdate())
    hold_plenary(tkksd, plenary, [(proposal, Decision.PRIORITISED, 1, "")])
    assert "programme_to_draft" not in kinds(tkksd)
    planning_services.close_plenary(plenary, actor=tkksd)
    assert rows(tkksd, "programme_to_draft")[0].url == cycle.get_absolute_url() + "#programme"
    programme.draft_programme(cycle, actor=tkksd)
    assert "programme_to_draft" not in kinds(tkksd)


def test_an_issued_request_letter_asks_the_tkksd_to_record_its_receipt(tkksd, pimpinan, dprd, opd):
    from registry.tests.test_dprd import waiting_agreement

    PemdaProfileFactory()
    approval = desk.draft_request_letter(waiting_agreement(tkksd, opd), actor=tkksd)
    assert "dprd_receipts" not in kinds(tkksd)
    official.issue_document(approval.request_letter, actor=pimpinan)
    assert rows(tkksd, "dprd_receipts")[0].url == approval.get_absolute_url()
    # Not received yet: the DPRD has nothing to decide.
    assert "dprd_requests" not in kinds(dprd)
    approval.refresh_from_db()
    desk.record_receipt(approval, actor=tkksd, received_on=timezone.localdate(), agenda_number="172/DPRD")
    assert "dprd_receipts" not in kinds(tkksd)
    assert kinds(dprd)["dprd_requests"] == 1


def test_the_indexed_preparing_stages_are_the_lifecycles():
    from registry.models.agreements import PREPARING_STAGES

    expected = set(Stage.values) - lifecycle.ACTIVE_STAGES - lifecycle.CLOSED_STAGES
    assert set(PREPARING_STAGES) == expected == set(workqueue.PREPARING_STAGES)


def test_the_opds_reports_and_evaluations_owed_are_counted_in_their_index_order(ppksd, tkksd, opd):
    """Counted newest first, as the OPD's running agreements lie in their index, and stopped at the
    cap; the other kinds are counted in no order. The counts are the same either way."""
    today = timezone.localdate()
    for n in range(3):
        running(
            tkksd, opd=opd, title=f"Berjalan {n}", start=today - timedelta(days=400), end=today + timedelta(days=900)
        )
    sources = workqueue.sources_for(ppksd, today)
    assert {source.kind for source in sources if source.count_in_order} == {"reports_owed", "opd_evaluations"}
    with CaptureQueriesContext(connection) as queries:
        found = workqueue.counts(sources)
    (sql,) = [query["sql"] for query in queries.captured_queries]
    parts = sql.split(" AS c")[:-1]
    ordered = {source.kind for source, part in zip(sources, parts, strict=True) if "ORDER BY" in part}
    assert ordered == {"reports_owed", "opd_evaluations"}
    assert found == {source.kind: min(source.queryset.count(), workqueue.CAP + 1) for source in sources}
    assert found["reports_owed"] == 3
