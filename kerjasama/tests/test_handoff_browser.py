"""In Debian's Chromium: the lifecycle walked across roles, each starting from its own home page
and reaching the next action from its work queue ("Perlu tindakan Anda") in at most two clicks.

PPKSD submits → TKKSD puts it on the agenda, closes the plenary and drafts the programme → Bupati
issues the SK → TKKSD moves the agreement to the DPRD stage and drafts the request → Bupati
issues it and the TKKSD records its receipt → DPRD decides → TKKSD sees the decision.

Steps that are not handoffs (the documents of the stages before the DPRD's) are arranged through
the services. Elements are found by test id and field name.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from planning.models import Proposal, ProposalStatus
from planning.tests.factories import draft_proposal, map_potential, open_cycle, schedule, the_team
from registry import lifecycle
from registry.models import Agreement, DocumentType, DprdApproval, OfficialDocument, Stage
from registry.tests.factories import pdf_bytes, region_partner, upload


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_test_id("work-queue")).to_be_visible()


def open_from_queue(page, kind):
    """One click: the queue's row of this kind leads to the page where the action is taken."""
    page.locator(f"[data-testid=work-queue-row][data-kind={kind}] a").first.click()


def prepare_for_the_dprd(agreement, tkksd):
    """The documents of the stages before the DPRD's, and their moves, up to the signed KB; the
    rencana kerja sama written and the draft PKS the request is sent with."""
    Agreement.objects.filter(pk=agreement.pk).update(
        not_yet_budgeted=True,
        burden_justification="Memerlukan kontribusi APBD setiap tahun.",
        background="Warga kedua daerah melintasi batas setiap hari tanpa angkutan umum yang terpadu.",
        purpose="Menyediakan angkutan perkotaan lintas batas",
        objectives="Tujuan: angkutan umum yang terjangkau.\nSasaran: dua koridor beroperasi.",
        scope="Penyediaan armada, halte dan sistem tiket bersama.",
        funding_source="APBD Kabupaten Sleman",
        duration_months=60,
    )
    agreement.refresh_from_db()
    for doc_type, to_stage in (
        (DocumentType.KAJIAN_TKKSD, Stage.PENAWARAN),
        (DocumentType.SURAT_PENAWARAN, Stage.PENYUSUNAN_KB),
        (DocumentType.DRAF_KB, Stage.PENANDATANGANAN_KB),
    ):
        upload(agreement, tkksd, doc_type)
        lifecycle.advance(agreement, to_stage, actor=tkksd)
    upload(agreement, tkksd, DocumentType.KB, signed=True)
    upload(agreement, tkksd, DocumentType.DRAF_PKS)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_proposal_walks_from_the_opd_to_the_dprd_through_each_work_queue(
    page, live_server, tkksd, ppksd, pimpinan, dprd, opd, tmp_path
):
    # The TKKSD account is the Ketua TKKSD's: it closes the plenary and issues its Berita Acara.
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    region_partner("34.71")
    proposal = draft_proposal(ppksd, map_potential(ppksd, cycle), title="Angkutan Perkotaan Lintas Batas")
    plenary = schedule(tkksd, cycle, timezone.localdate())
    page.on("dialog", lambda dialog: dialog.accept())

    # PPKSD: the draft waits in the queue; one click to it, then submit.
    log_in(page, live_server, "ppksd")
    open_from_queue(page, "proposals_to_submit")
    page.get_by_test_id("submit-proposal").click()
    expect(page.get_by_test_id("submit-proposal")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED

    # TKKSD: one click to the plenary's agenda; decide and close the meeting.
    log_in(page, live_server, "tkksd")
    open_from_queue(page, "proposals_to_schedule")
    assert page.url.endswith(plenary.get_absolute_url())
    agenda_form = page.get_by_test_id("agenda-form")
    agenda_form.locator(f"input[value='{proposal.pk}']").check()
    agenda_form.locator("button[type=submit]").click()
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
    page.get_by_test_id("close-plenary").click()
    expect(page.get_by_test_id("minutes")).to_be_visible()
    # Back home: the programme decree is the next thing to do.
    page.goto(f"{live_server.url}/")
    open_from_queue(page, "programme_to_draft")
    page.get_by_test_id("programme-form").locator("button[type=submit]").click()
    cycle.refresh_from_db()
    assert cycle.decree is not None and cycle.decree.is_draft

    # Bupati: the draft waits with what it decides; one click to it, then issue.
    log_in(page, live_server, "pimpinan")
    row = page.locator("[data-testid=work-queue-row][data-kind=drafts_to_issue]").first
    expect(row).to_contain_text("1 usulan")
    open_from_queue(page, "drafts_to_issue")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.get_by_test_id("official-number")).to_be_visible()
    agreement = Proposal.objects.get(pk=proposal.pk).agreement
    assert agreement is not None

    # TKKSD: the agreement, once its KB is signed, waits to move on to the DPRD's approval.
    prepare_for_the_dprd(agreement, tkksd)
    log_in(page, live_server, "tkksd")
    open_from_queue(page, "ready_to_move")
    page.get_by_test_id("move-forward").locator("button[type=submit]").click()
    expect(page.get_by_test_id("stage")).to_have_text("Persetujuan DPRD")
    page.get_by_role("button", name="Susun surat permohonan kepada DPRD").click()
    approval = DprdApproval.objects.get(agreement=agreement)
    assert approval.request_letter.is_draft

    # Bupati: the request letter waits, saying which agreement it concerns.
    log_in(page, live_server, "pimpinan")
    row = page.locator("[data-testid=work-queue-row][data-kind=drafts_to_issue]").first
    expect(row).to_contain_text(agreement.register_number)
    open_from_queue(page, "drafts_to_issue")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.get_by_test_id("official-number")).to_be_visible()

    # TKKSD: record the day the DPRD received it.
    log_in(page, live_server, "tkksd")
    open_from_queue(page, "dprd_receipts")
    receipt = page.get_by_test_id("receipt-form")
    receipt.locator("input[name=received_on]").fill(timezone.localdate().isoformat())
    receipt.locator("input[name=agenda_number]").fill("172/DPRD/2026")
    receipt.locator("button[type=submit]").click()
    expect(page.get_by_test_id("received-on")).not_to_have_text("—")

    # DPRD: the request waits with its working days left; decide.
    log_in(page, live_server, "dprd")
    open_from_queue(page, "dprd_requests")
    letter = tmp_path / "keputusan-dprd.pdf"
    letter.write_bytes(pdf_bytes("Keputusan DPRD"))
    form = page.locator(f"form[action$='/dprd/permohonan/{approval.pk}/keputusan/']")
    form.locator("select[name=decision]").select_option("approved")
    form.locator("input[name=decision_number]").fill("172/KEP/DPRD/2026")
    form.locator("input[name=decision_date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=letter]").set_input_files(str(letter))
    form.locator("[type=submit]").click()
    expect(page.get_by_test_id("decision")).to_have_text("Disetujui")

    # TKKSD: the decision is in the queue; one click to the agreement, now past the DPRD stage.
    log_in(page, live_server, "tkksd")
    expect(page.locator("[data-testid=work-queue-row][data-kind=dprd_answered]")).to_have_count(1)
    open_from_queue(page, "dprd_answered")
    assert page.url.endswith(agreement.get_absolute_url())
    expect(page.get_by_test_id("stage")).to_have_text("Penyusunan Perjanjian Kerja Sama (PKS)")
    assert OfficialDocument.objects.filter(status=OfficialDocument.Status.ISSUED).count() == 3
