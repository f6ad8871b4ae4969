"""In Debian's Chromium: a PPKSD submits a proposal, the TKKSD decides it in a plenary and closes
the meeting with its Berita Acara.

Elements are found by test id and field name, not by label, so that the test does not depend
on which interface strings are already translated.
"""

import pytest
from playwright.sync_api import expect

from planning.models import Proposal, ProposalStatus
from registry.models import OfficialDocument
from registry.tests.factories import region_partner

from .factories import map_potential, open_cycle, schedule, the_team


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ppksd_submits_a_proposal_and_the_tkksd_decides_it_in_a_plenary(page, live_server, tkksd, ppksd):
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    potential = map_potential(ppksd, cycle, title="Angkutan perkotaan lintas batas")
    region_partner("34.71")
    plenary = schedule(tkksd, cycle)
    # Every data-confirm asks before acting: say yes.
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, "ppksd")
    page.goto(f"{live_server.url}{potential.get_absolute_url()}")
    page.get_by_test_id("propose").click()
    form = page.get_by_test_id("proposal-form")
    form.locator("#id_title").fill("Layanan Angkutan Perkotaan Lintas Batas")
    form.locator("#id_kind").select_option("ksdd")
    form.locator("#id_ksdd_nature").select_option("wajib")
    form.locator("#id_object").fill("Trayek angkutan perkotaan dari Kota Yogyakarta ke wilayah Sleman.")
    form.get_by_role("combobox", name="Calon mitra").fill("kota yogya")
    page.get_by_role("listbox", name="Calon mitra").get_by_role("option", name="Pemerintah Kota Yogyakarta").click()
    form.locator("#id_cost_estimate").fill("750000000")
    form.locator("#id_funding_source").fill("APBD Kabupaten Sleman")
    form.locator("#id_duration_months").fill("36")
    form.locator("#id_rpjmd_reference").fill("RKPD 2026, Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan")
    page.get_by_test_id("save-proposal").click()
    expect(page.get_by_test_id("proposal-title")).to_have_text("Layanan Angkutan Perkotaan Lintas Batas")
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    page.get_by_test_id("submit-proposal").click()
    expect(page.get_by_test_id("submit-proposal")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED

    log_in(page, live_server, "tkksd")
    page.goto(f"{live_server.url}{plenary.get_absolute_url()}")
    agenda_form = page.get_by_test_id("agenda-form")
    agenda_form.locator(f"input[value='{proposal.pk}']").check()
    agenda_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("agenda-item")).to_have_count(1)
    decision = page.get_by_test_id("decision-form")
    decision.locator("select[name=decision]").select_option("prioritised")
    decision.locator("input[name=rank]").fill("1")
    decision.locator("input[name=reasons]").fill("Mengurangi kemacetan di perbatasan")
    decision.locator("button[type=submit]").click()
    expect(page.get_by_test_id("item-decision")).to_contain_text("#1")
    attendance = page.get_by_test_id("attendance-form")
    for checkbox in attendance.locator("input[name=members]").all():
        checkbox.check()
    attendance.locator("button[type=submit]").click()
    expect(page.get_by_test_id("attendees").locator("li")).to_have_count(9)
    page.get_by_test_id("close-plenary").click()
    expect(page.get_by_test_id("minutes")).to_be_visible()

    proposal.refresh_from_db()
    assert (proposal.status, proposal.rank) == (ProposalStatus.PRIORITISED, 1)
    assert proposal.minutes.status == OfficialDocument.Status.ISSUED
    expect(page.get_by_test_id("minutes")).to_contain_text(proposal.minutes.number)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    expect(page.get_by_test_id("proposal-rank")).to_contain_text("1")
    expect(page.get_by_test_id("decisions")).to_contain_text(proposal.minutes.number)
