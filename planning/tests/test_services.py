"""The planning cycle end to end, and every rule of the issue refused with a clear message."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from planning import programme, selectors, services
from planning.models import Appointment, Cycle, Decision, Plenary, ProposalStatus
from planning.services import ServiceError
from registry import lifecycle, official
from registry.models import Agreement, OfficialDocument, Stage, TkksdMember
from registry.roles import Role
from registry.selectors import agreements_visible_to

from .factories import (
    draft_proposal,
    hold_plenary,
    map_potential,
    open_cycle,
    prioritise,
    schedule,
    submitted_proposal,
    the_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tkksd):
    the_team(chair=tkksd)


@pytest.fixture
def cycle(tkksd):
    return open_cycle(tkksd)


@pytest.fixture
def ppksd2(make_user, opd):
    return make_user(Role.PPKSD, username="ppksd.kedua", opd=opd)


def test_the_whole_cycle_ends_with_agreements_in_the_registry(team, tkksd, ppksd, ppksd2, pimpinan, opd, other_opd):
    # Open the cycle with its schedule.
    cycle = open_cycle(tkksd)
    assert cycle.is_open
    # The OPD appoints two PPKSD; the other OPD none: it is flagged.
    for number, officer in enumerate([ppksd, ppksd2], start=1):
        services.record_appointment(
            actor=tkksd, user=officer, letter_number=f"800/{number}/Dishub", letter_date=cycle.socialisation_date
        )
    progress = {row.opd: row for row in selectors.cycle_progress(cycle, tkksd)}
    assert (progress[opd].appointed, progress[opd].short_of_ppksd) == (2, False)
    assert progress[other_opd].short_of_ppksd
    # Potentials, then proposals grown from them, submitted.
    waste = map_potential(ppksd, cycle, title="Sampah regional")
    transport = map_potential(ppksd2, cycle, title="Angkutan perbatasan")
    first = services.submit_proposal(draft_proposal(ppksd, waste, title="Sampah Regional"), actor=ppksd)
    second = services.submit_proposal(draft_proposal(ppksd2, transport, title="Angkutan Lintas Batas"), actor=ppksd2)
    progress = {row.opd: row for row in selectors.cycle_progress(cycle, tkksd)}
    assert (progress[opd].potentials, progress[opd].submitted) == (2, 2)
    # The plenary: agenda, attendance with a guest, decisions, close.
    plenary = schedule(tkksd, cycle)
    hold_plenary(
        tkksd,
        plenary,
        [(first, Decision.PRIORITISED, 1, "Mendesak"), (second, Decision.REJECTED, None, "Belum ada di RPJMD")],
    )
    services.add_guest(plenary, actor=tkksd, name="Kepala Bagian Perekonomian", position="Setda")
    minutes = services.close_plenary(plenary, actor=tkksd)
    assert minutes.status == OfficialDocument.Status.ISSUED
    assert minutes.number.endswith(f"/BA-KS/{plenary.date.year}")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.rank, first.minutes) == (ProposalStatus.PRIORITISED, 1, minutes)
    assert (second.status, second.rank) == (ProposalStatus.REJECTED, None)
    # The SK: drafted by the TKKSD with the prioritised proposal only, issued by Pimpinan.
    decree = programme.draft_programme(cycle, actor=tkksd)
    assert decree.is_draft
    assert [row[2] for row in decree.draft_data["lampiran"]["table"]["rows"]] == [first.object]
    cycle.refresh_from_db()
    issued = programme.issue_programme(cycle, actor=pimpinan)
    assert issued.status == OfficialDocument.Status.ISSUED
    # The agreement exists in the registry at the kind's first stage, linked back.
    first.refresh_from_db()
    agreement = first.agreement
    assert first.status == ProposalStatus.ADOPTED
    assert (first.minutes, first.decree) == (minutes, issued)
    assert agreement.stage == Stage.PERSIAPAN
    assert agreement.proposal == first
    assert (agreement.title, agreement.lead_opd, agreement.kind) == (first.title, opd, first.kind)
    # The benefit the proposal promised opens the plan's objectives (tujuan dan sasaran).
    assert agreement.objectives == first.benefit and agreement.objectives
    assert list(agreement.partners.all()) == list(first.partners.all())
    note = agreement.transitions.get().note
    assert first.number in note and minutes.number in note and issued.number in note
    # Filed by the TKKSD who drafted the SK (Pimpinan files no agreements).
    assert agreement.created_by == tkksd
    assert Agreement.objects.count() == 1
    assert agreements_visible_to(ppksd).filter(pk=agreement.pk).exists()
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.CLOSED
    path = [event.to_status for event in first.events.all()]
    assert path == ["draft", "submitted", "prioritised", "adopted"]


# --- the rules of the plenary ------------------------------------------------------------------------


def test_a_proposal_is_on_one_open_plenary_agenda_at_a_time(team, tkksd, ppksd, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    morning, later = schedule(tkksd, cycle), schedule(tkksd, cycle, timezone.localdate() + timedelta(days=7))
    services.add_to_agenda(morning, actor=tkksd, proposals=[proposal])
    with pytest.raises(ServiceError, match="is already on the agenda of the open plenary of"):
        services.add_to_agenda(later, actor=tkksd, proposals=[proposal])
    with pytest.raises(ServiceError, match="on the agenda of an open plenary: decide on it there"):
        services.return_proposal(proposal, actor=tkksd, note="Lengkapi")
    # Deferred at the first meeting, it may go on the next one's agenda.
    services.record_attendance(morning, actor=tkksd, members=[])
    services.add_guest(morning, actor=tkksd, name="Tamu", position="Instansi")
    services.record_decision(morning, actor=tkksd, proposal=proposal, decision=Decision.DEFERRED, reasons="Kajian")
    services.close_plenary(morning, actor=tkksd)
    services.add_to_agenda(later, actor=tkksd, proposals=[proposal])
    assert later.agenda.filter(proposal=proposal).exists()


def test_only_submitted_or_deferred_proposals_of_the_cycle_go_on_an_agenda(team, tkksd, ppksd, cycle):
    draft = draft_proposal(ppksd, map_potential(ppksd, cycle))
    plenary = schedule(tkksd, cycle)
    with pytest.raises(ServiceError, match="only submitted or deferred proposals go on an agenda"):
        services.add_to_agenda(plenary, actor=tkksd, proposals=[draft])
    earlier = open_cycle(tkksd, timezone.localdate().year - 1)
    elsewhere = submitted_proposal(ppksd, earlier, title="Usulan tahun lalu")
    with pytest.raises(ServiceError, match="belongs to another cycle"):
        services.add_to_agenda(plenary, actor=tkksd, proposals=[elsewhere])


def test_a_decision_can_only_be_recorded_for_an_agenda_item(team, tkksd, ppksd, cycle):
    on_agenda = submitted_proposal(ppksd, cycle, title="Di agenda")
    not_on_agenda = submitted_proposal(ppksd, cycle, title="Tidak di agenda")
    plenary = schedule(tkksd, cycle)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[on_agenda])
    with pytest.raises(ServiceError, match="only be recorded for a proposal on this plenary's agenda"):
        services.record_decision(plenary, actor=tkksd, proposal=not_on_agenda, decision=Decision.PRIORITISED, rank=1)
    item = services.record_decision(plenary, actor=tkksd, proposal=on_agenda, decision=Decision.PRIORITISED, rank=1)
    assert (item.decision, item.rank) == (Decision.PRIORITISED, 1)


def test_a_decision_needs_a_unique_rank_or_its_reasons(team, tkksd, ppksd, cycle):
    first, second = submitted_proposal(ppksd, cycle, title="Satu"), submitted_proposal(ppksd, cycle, title="Dua")
    plenary = schedule(tkksd, cycle)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[first, second])
    with pytest.raises(ServiceError, match="Give the prioritised proposal its rank"):
        services.record_decision(plenary, actor=tkksd, proposal=first, decision=Decision.PRIORITISED)
    services.record_decision(plenary, actor=tkksd, proposal=first, decision=Decision.PRIORITISED, rank=1)
    with pytest.raises(ServiceError, match="Rank 1 is already given to “Satu”"):
        services.record_decision(plenary, actor=tkksd, proposal=second, decision=Decision.PRIORITISED, rank=1)
    for decision in (Decision.DEFERRED, Decision.REJECTED, Decision.RETURNED):
        with pytest.raises(ServiceError, match="Write the reasons for this decision"):
            services.record_decision(plenary, actor=tkksd, proposal=second, decision=decision, reasons=" ")
    with pytest.raises(ServiceError, match="Choose the decision"):
        services.record_decision(plenary, actor=tkksd, proposal=second, decision="maybe", reasons="x")
    # A decision may change while the meeting is open; the rank goes with "prioritised".
    item = services.record_decision(plenary, actor=tkksd, proposal=first, decision=Decision.REJECTED, reasons="Tidak")
    assert item.rank is None


def test_the_berita_acara_is_issued_only_once_every_agenda_item_has_a_decision(team, tkksd, ppksd, cycle):
    decided, open_one = (
        submitted_proposal(ppksd, cycle, title="Diputus"),
        submitted_proposal(ppksd, cycle, title="Belum"),
    )
    plenary = schedule(tkksd, cycle)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[decided, open_one])
    services.add_guest(plenary, actor=tkksd, name="Tamu", position="Instansi")
    services.record_decision(plenary, actor=tkksd, proposal=decided, decision=Decision.PRIORITISED, rank=1)
    with pytest.raises(ServiceError, match=r"once every agenda item has a decision\. Still open: “Belum”"):
        services.close_plenary(plenary, actor=tkksd)
    plenary.refresh_from_db()
    assert plenary.status == Plenary.Status.SCHEDULED
    assert not OfficialDocument.objects.exists()
    services.record_decision(plenary, actor=tkksd, proposal=open_one, decision=Decision.RETURNED, reasons="Lengkapi")
    minutes = services.close_plenary(plenary, actor=tkksd)
    open_one.refresh_from_db()
    assert (open_one.status, open_one.revision_note) == (ProposalStatus.RETURNED, "Lengkapi")
    assert not plenary.agenda.filter(is_open=True).exists()
    with pytest.raises(ServiceError, match="This plenary is closed"):
        services.record_decision(plenary, actor=tkksd, proposal=decided, decision=Decision.REJECTED, reasons="x")
    assert minutes.kind == "berita_acara"


def test_closing_needs_an_agenda_the_date_an_attendance_list_and_the_signatories(tkksd, ppksd, cycle):
    from registry.tests.factories import PemdaProfileFactory

    PemdaProfileFactory()
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    with pytest.raises(ServiceError, match="only the Ketua TKKSD"):
        services.close_plenary(plenary, actor=tkksd)
    delegate_minutes(tkksd)
    with pytest.raises(ServiceError, match="The agenda is empty"):
        services.close_plenary(plenary, actor=tkksd)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[proposal])
    services.record_decision(plenary, actor=tkksd, proposal=proposal, decision=Decision.PRIORITISED, rank=1)
    with pytest.raises(ServiceError, match="Record who attended"):
        services.close_plenary(plenary, actor=tkksd)
    services.add_guest(plenary, actor=tkksd, name="Tamu", position="Instansi")
    with pytest.raises(ServiceError, match="Record the TKKSD's chair and secretary first"):
        services.close_plenary(plenary, actor=tkksd)
    future = schedule(tkksd, cycle, timezone.localdate() + timedelta(days=1))
    with pytest.raises(ServiceError, match="can be closed from its date"):
        services.close_plenary(future, actor=tkksd)


def delegate_minutes(user):
    """A recorded delegation from the Ketua TKKSD to issue the Berita Acara."""
    from registry.models import Delegation, DocumentKind, Office

    admin = user.__class__.objects.create(username="admin.delegasi")
    Delegation.objects.create(
        delegate=user,
        office=Office.KETUA_TKKSD,
        document_kinds=[DocumentKind.BERITA_ACARA],
        valid_from=timezone.localdate() - timedelta(days=400),
        valid_until=timezone.localdate() + timedelta(days=400),
        letter_number="800/1",
        letter_date=timezone.localdate() - timedelta(days=400),
        recorded_by=admin,
    )


def test_only_the_tkksd_runs_the_plenary(team, tkksd, ppksd, pimpinan, admin_user, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    for user in (ppksd, pimpinan, admin_user):
        with pytest.raises(PermissionDenied):
            services.add_to_agenda(plenary, actor=user, proposals=[proposal])
        with pytest.raises(PermissionDenied):
            services.close_plenary(plenary, actor=user)
        with pytest.raises(PermissionDenied):
            schedule(user, cycle)


# --- the SK ------------------------------------------------------------------------------------------


def test_the_sk_only_includes_proposals_prioritised_in_an_issued_berita_acara_of_the_same_cycle(
    team, tkksd, ppksd, cycle
):
    # Last year's cycle: a proposal prioritised in its issued Berita Acara.
    earlier = open_cycle(tkksd, timezone.localdate().year - 1)
    last_year = submitted_proposal(ppksd, earlier, title="Usulan tahun lalu")
    old_plenary = schedule(tkksd, earlier)
    prioritise(tkksd, old_plenary, [last_year])
    services.close_plenary(old_plenary, actor=tkksd)
    # This year: one prioritised at a meeting still open, one rejected in an issued Berita Acara.
    pending = submitted_proposal(ppksd, cycle, title="Belum ditutup")
    rejected = submitted_proposal(ppksd, cycle, title="Ditolak")
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [pending])
    with pytest.raises(ServiceError, match="No proposal of this cycle has been prioritised in an issued Berita Acara"):
        programme.draft_programme(cycle, actor=tkksd)
    for proposal in (pending, last_year):
        with pytest.raises(ServiceError, match=f"issued Berita Acara of the same cycle; “{proposal.title}” is not"):
            programme.draft_programme(cycle, actor=tkksd, proposals=[proposal])
    other = schedule(tkksd, cycle)
    hold_plenary(tkksd, other, [(rejected, Decision.REJECTED, None, "Tidak sesuai")])
    services.close_plenary(other, actor=tkksd)
    with pytest.raises(ServiceError, match="“Ditolak” is not"):
        programme.draft_programme(cycle, actor=tkksd, proposals=[rejected])
    services.close_plenary(plenary, actor=tkksd)
    decree = programme.draft_programme(cycle, actor=tkksd)
    pending.refresh_from_db()
    assert pending.decree == decree
    assert len(decree.draft_data["lampiran"]["table"]["rows"]) == 1


def test_issuing_the_sk_is_refused_and_rolled_back_when_its_berita_acara_was_voided(
    team, tkksd, ppksd, pimpinan, cycle
):
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [proposal])
    minutes = services.close_plenary(plenary, actor=tkksd)
    decree = programme.draft_programme(cycle, actor=tkksd)
    official.void_document(minutes, actor=tkksd, reason="Salah ketik nama peserta")
    cycle.refresh_from_db()
    with pytest.raises(official.ServiceError, match="issued Berita Acara of the same cycle"):
        programme.issue_programme(cycle, actor=pimpinan)
    decree.refresh_from_db()
    cycle.refresh_from_db()
    assert decree.is_draft and cycle.is_open
    assert not Agreement.objects.exists()


def test_only_pimpinan_issues_the_sk_and_the_dprd_then_reads_it(team, tkksd, ppksd, pimpinan, dprd, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [proposal])
    minutes = services.close_plenary(plenary, actor=tkksd)
    with pytest.raises(PermissionDenied):
        programme.draft_programme(cycle, actor=pimpinan)
    programme.draft_programme(cycle, actor=tkksd)
    cycle.refresh_from_db()
    assert not official.documents_visible_to(dprd).filter(pk=cycle.decree_id).exists()
    with pytest.raises(PermissionDenied):
        programme.issue_programme(cycle, actor=tkksd)
    decree = programme.issue_programme(cycle, actor=pimpinan)
    visible = official.documents_visible_to(dprd)
    assert visible.filter(pk=decree.pk).exists()
    assert not visible.filter(pk=minutes.pk).exists()
    with pytest.raises(ServiceError, match="has already been fixed"):
        programme.draft_programme(cycle, actor=tkksd)


def test_redrafting_the_sk_replaces_the_draft_and_its_proposals(team, tkksd, ppksd, cycle):
    first, second = submitted_proposal(ppksd, cycle, title="Satu"), submitted_proposal(ppksd, cycle, title="Dua")
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [first, second])
    services.close_plenary(plenary, actor=tkksd)
    decree = programme.draft_programme(cycle, actor=tkksd)
    again = programme.draft_programme(cycle, actor=tkksd, proposals=[second])
    assert again.pk == decree.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decree, second.decree) == (None, again)
    assert len(again.draft_data["lampiran"]["table"]["rows"]) == 1


def test_a_closed_cycle_refuses_further_planning(team, tkksd, ppksd, pimpinan, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [proposal])
    services.close_plenary(plenary, actor=tkksd)
    programme.draft_programme(cycle, actor=tkksd)
    cycle.refresh_from_db()
    programme.issue_programme(cycle, actor=pimpinan)
    with pytest.raises(ServiceError, match="cycle is closed"):
        map_potential(ppksd, cycle)
    with pytest.raises(ServiceError, match="cycle is closed"):
        schedule(tkksd, cycle)


# --- proposals: scope, privacy, lock, deadline ----------------------------------------------------------


def test_ppksd_see_and_edit_only_their_own_opd(team, tkksd, ppksd, other_ppksd, cycle):
    potential = map_potential(ppksd, cycle)
    proposal = draft_proposal(ppksd, potential)
    assert list(selectors.potentials_visible_to(other_ppksd)) == []
    assert list(selectors.proposals_visible_to(other_ppksd)) == []
    assert list(selectors.proposals_visible_to(ppksd)) == [proposal]
    with pytest.raises(PermissionDenied):
        services.update_potential(potential, actor=other_ppksd, changes={"title": "Diubah"})
    with pytest.raises(PermissionDenied):
        services.update_proposal(proposal, actor=other_ppksd, changes={"title": "Diubah"})
    with pytest.raises(PermissionDenied):
        services.submit_proposal(proposal, actor=other_ppksd)
    with pytest.raises(ServiceError, match="grows from a potential of its own OPD"):
        draft_proposal(other_ppksd, potential)
    with pytest.raises(PermissionDenied):
        services.update_proposal(proposal, actor=tkksd, changes={"title": "Diubah"})


def test_drafts_are_private_to_their_opd(team, tkksd, ppksd, pimpinan, admin_user, dprd, cycle):
    proposal = draft_proposal(ppksd, map_potential(ppksd, cycle))
    for reader in (tkksd, pimpinan, admin_user, dprd):
        assert not selectors.proposals_visible_to(reader).exists()
    services.submit_proposal(proposal, actor=ppksd)
    for reader in (tkksd, pimpinan, admin_user):
        assert list(selectors.proposals_visible_to(reader)) == [proposal]
    assert not selectors.proposals_visible_to(dprd).exists()


def test_a_submitted_proposal_is_locked_unless_the_tkksd_returns_it(team, tkksd, ppksd, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    with pytest.raises(ServiceError, match="A submitted proposal is locked unless the TKKSD returns it"):
        services.update_proposal(proposal, actor=ppksd, changes={"title": "Judul baru"})
    with pytest.raises(ServiceError, match="already been submitted"):
        services.submit_proposal(proposal, actor=ppksd)
    with pytest.raises(ServiceError, match="Write what the OPD should revise"):
        services.return_proposal(proposal, actor=tkksd, note="  ")
    with pytest.raises(PermissionDenied):
        services.return_proposal(proposal, actor=ppksd, note="Sendiri")
    services.return_proposal(proposal, actor=tkksd, note="Lengkapi rujukan RPJMD")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.revision_note) == (ProposalStatus.RETURNED, "Lengkapi rujukan RPJMD")
    services.update_proposal(proposal, actor=ppksd, changes={"rpjmd_reference": "RPJMD 2025-2029 Misi 4"})
    # A revision asked for by the TKKSD may come after the deadline.
    late = cycle.submission_deadline + timedelta(days=3)
    services.submit_proposal(proposal, actor=ppksd, today=late)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert [e.to_status for e in proposal.events.all()] == ["draft", "submitted", "returned", "submitted"]


def test_a_first_submission_after_the_deadline_is_refused(team, ppksd, cycle):
    proposal = draft_proposal(ppksd, map_potential(ppksd, cycle))
    late = cycle.submission_deadline + timedelta(days=1)
    with pytest.raises(ServiceError, match=r"Submissions for \d{4} closed on"):
        services.submit_proposal(proposal, actor=ppksd, today=late)
    services.submit_proposal(proposal, actor=ppksd, today=cycle.submission_deadline)


def test_a_proposal_needs_a_registered_partner_to_be_submitted_and_its_kind_details(team, ppksd, cycle):
    potential = map_potential(ppksd, cycle)
    proposal = draft_proposal(ppksd, potential, partners=[])
    with pytest.raises(ServiceError, match="Choose at least one registered candidate partner"):
        services.submit_proposal(proposal, actor=ppksd)
    with pytest.raises(ServiceError, match="mandatory or voluntary"):
        draft_proposal(ppksd, potential, ksdd_nature="")
    with pytest.raises(ServiceError, match="KSDPK type"):
        draft_proposal(ppksd, potential, kind="ksdpk", ksdd_nature="")


def test_proposal_numbers_count_per_cycle_year(team, ppksd, cycle):
    potential = map_potential(ppksd, cycle)
    numbers = [draft_proposal(ppksd, potential, title=f"Usulan {n}").number for n in range(3)]
    year = cycle.year
    assert numbers == [f"U-{year}-001", f"U-{year}-002", f"U-{year}-003"]


# --- cycles and appointments -----------------------------------------------------------------------------


def test_a_cycle_has_its_schedule_in_order_and_one_per_year(tkksd, ppksd):
    cycle = open_cycle(tkksd)
    with pytest.raises(ServiceError, match="already exists"):
        open_cycle(tkksd, cycle.year)
    with pytest.raises(PermissionDenied):
        open_cycle(ppksd, cycle.year + 1)
    with pytest.raises(ServiceError, match="The schedule must run in order"):
        services.update_cycle(
            cycle, actor=tkksd, changes={"plenary_date": cycle.submission_deadline - timedelta(days=1)}
        )


def test_an_opd_with_fewer_than_two_appointed_ppksd_is_flagged(tkksd, ppksd, ppksd2, other_ppksd, dprd, opd):
    letter = timezone.localdate()
    first = services.record_appointment(actor=ppksd, user=ppksd, letter_number="800/1/Dishub", letter_date=letter)
    board = {row.opd: row for row in selectors.appointment_board(tkksd)}
    assert (board[opd].appointed, board[opd].short_of_ppksd) == (1, True)
    services.record_appointment(actor=tkksd, user=ppksd2, letter_number="800/2/Dishub", letter_date=letter)
    assert not {row.opd: row for row in selectors.appointment_board(tkksd)}[opd].short_of_ppksd
    # Only an active PPKSD account, once at a time, by its OPD's PPKSD or the TKKSD.
    with pytest.raises(ServiceError, match="already has a running appointment"):
        services.record_appointment(actor=tkksd, user=ppksd, letter_number="800/3/Dishub", letter_date=letter)
    with pytest.raises(ServiceError, match="Only an active PPKSD account"):
        services.record_appointment(actor=tkksd, user=dprd, letter_number="800/4", letter_date=letter)
    with pytest.raises(PermissionDenied):
        services.record_appointment(actor=ppksd, user=other_ppksd, letter_number="800/5", letter_date=letter)
    with pytest.raises(ServiceError, match="cannot end before its letter's date"):
        services.end_appointment(first, actor=tkksd, ended_on=letter - timedelta(days=1))
    services.end_appointment(first, actor=tkksd, ended_on=letter, reason="Mutasi")
    assert {row.opd: row for row in selectors.appointment_board(tkksd)}[opd].short_of_ppksd
    assert Appointment.objects.filter(user=ppksd).get().ended_on == letter
    # An account no longer PPKSD stops counting, even with its letter.
    ppksd2.groups.clear()
    assert {row: row.appointed for row in selectors.opds_with_ppksd_counts(tkksd)}[opd] == 0
    assert {row.opd: row.appointed for row in selectors.appointment_board(tkksd)}[opd] == 0


def test_a_ppksd_sees_only_their_opd_on_the_boards(tkksd, ppksd, opd, other_opd):
    cycle = open_cycle(tkksd)
    assert [row.opd for row in selectors.cycle_progress(cycle, ppksd)] == [opd]
    assert [row.opd for row in selectors.appointment_board(ppksd)] == [opd]
    assert {row.opd for row in selectors.cycle_progress(cycle, tkksd)} >= {opd, other_opd}


def test_seed_planning_fills_a_past_and_a_current_cycle_and_is_idempotent(django_capture_on_commit_callbacks):
    from planning.demo import seed_planning
    from registry import demo as registry_demo
    from registry import demo_agreements
    from registry.models import User

    registry_demo.seed_reference_demo()
    demo_agreements.seed_partners(User.objects.get(username="tkksd"))
    with django_capture_on_commit_callbacks(execute=True):
        counts = seed_planning()
    assert counts["cycles"] == 2
    year = timezone.localdate().year
    past, current = Cycle.objects.get(year=year - 1), Cycle.objects.get(year=year)
    assert past.status == Cycle.Status.CLOSED and past.decree.status == OfficialDocument.Status.ISSUED
    assert past.plenaries.get().status == Plenary.Status.CLOSED
    assert Agreement.objects.filter(proposal__cycle=past).count() == 3
    assert current.is_open
    assert current.proposals.filter(status=ProposalStatus.SUBMITTED).count() == 2
    assert current.proposals.filter(status=ProposalStatus.DRAFT).count() == 1
    upcoming = current.plenaries.get()
    assert upcoming.status == Plenary.Status.SCHEDULED and upcoming.date > timezone.localdate()
    assert upcoming.agenda.count() == 2
    assert seed_planning() == {"appointments": 0, "cycles": 0}
    assert Cycle.objects.count() == 2


def test_agreements_are_filed_by_the_last_drafter_when_pimpinan_issues(team, tkksd, make_user, ppksd, pimpinan, cycle):
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    prioritise(tkksd, plenary, [proposal])
    services.close_plenary(plenary, actor=tkksd)
    programme.draft_programme(cycle, actor=tkksd)
    tkksd.groups.clear()
    tkksd._kerjasama_roles = None
    cycle.refresh_from_db()
    with pytest.raises(official.ServiceError, match="can no longer file agreements; redraft it"):
        programme.issue_programme(cycle, actor=pimpinan)
    assert not Agreement.objects.exists()
    colleague = make_user(Role.TKKSD, username="tkksd.kedua")
    programme.draft_programme(cycle, actor=colleague)
    cycle.refresh_from_db()
    programme.issue_programme(cycle, actor=pimpinan)
    assert Agreement.objects.get().created_by == colleague


# --- voiding the programme decree undoes it, or refuses -------------------------------------------------


def issued_programme(team_tkksd, ppksd, pimpinan, cycle, titles=("Sampah Regional", "Angkutan Lintas Batas")):
    proposals = [submitted_proposal(ppksd, cycle, title=title) for title in titles]
    plenary = schedule(team_tkksd, cycle)
    prioritise(team_tkksd, plenary, proposals)
    services.close_plenary(plenary, actor=team_tkksd)
    programme.draft_programme(cycle, actor=team_tkksd)
    cycle.refresh_from_db()
    decree = programme.issue_programme(cycle, actor=pimpinan)
    for proposal in proposals:
        proposal.refresh_from_db()
    return decree, proposals


def test_voiding_a_programme_whose_agreements_have_not_moved_withdraws_them(team, tkksd, ppksd, pimpinan, cycle):
    decree, proposals = issued_programme(tkksd, ppksd, pimpinan, cycle)
    agreements = [proposal.agreement for proposal in proposals]
    official.void_document(decree, actor=pimpinan, reason="Lampiran memuat usulan yang keliru.")
    for agreement in agreements:
        agreement.refresh_from_db()
        assert agreement.stage == Stage.DIBATALKAN
        last = agreement.transitions.last()
        assert decree.number in last.note and "keliru" in last.note and last.actor == pimpinan
    for proposal in proposals:
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decree, proposal.agreement) == (ProposalStatus.PRIORITISED, None, None)
    cycle.refresh_from_db()
    assert cycle.is_open and cycle.decree is None
    # A new programme decree can be drafted and issued.
    programme.draft_programme(cycle, actor=tkksd)
    cycle.refresh_from_db()
    programme.issue_programme(cycle, actor=pimpinan)
    assert Agreement.objects.exclude(stage=Stage.DIBATALKAN).count() == 2


def test_voiding_a_programme_whose_agreement_moved_on_is_refused_with_the_list(team, tkksd, ppksd, pimpinan, cycle):
    from registry.tests.factories import upload

    decree, proposals = issued_programme(tkksd, ppksd, pimpinan, cycle)
    moved = proposals[0].agreement
    upload(moved, tkksd, "kajian_tkksd")
    lifecycle.advance(moved, Stage.PENAWARAN, actor=tkksd)
    with pytest.raises(ServiceError) as refused:
        official.void_document(decree, actor=pimpinan, reason="Salah.")
    assert moved.register_number in str(refused.value.message)
    decree.refresh_from_db()
    assert decree.status == OfficialDocument.Status.ISSUED
    assert proposals[1].agreement.stage == Stage.PERSIAPAN
    assert Agreement.objects.filter(stage=Stage.DIBATALKAN).count() == 0


# --- deferred proposals carry over -------------------------------------------------------------------------


def test_a_deferred_proposal_is_offered_on_the_next_cycles_agenda_with_its_history(
    team, tkksd, ppksd, pimpinan, django_capture_on_commit_callbacks
):
    import time_machine

    from planning.forms import AgendaForm

    year = timezone.localdate().year
    with time_machine.travel(timezone.make_aware(timezone.datetime(year - 1, 3, 2, 9)), tick=False):
        earlier = open_cycle(tkksd, year - 1)
        kept = submitted_proposal(ppksd, earlier, title="Pengelolaan Air Limbah")
        waiting = submitted_proposal(ppksd, earlier, title="Jalur Sepeda Lintas Batas")
        plenary = schedule(tkksd, earlier)
        hold_plenary(
            tkksd, plenary, [(kept, Decision.PRIORITISED, 1, ""), (waiting, Decision.DEFERRED, None, "Kajian")]
        )
    with time_machine.travel(timezone.make_aware(timezone.datetime(year - 1, 4, 2, 9)), tick=False):
        services.close_plenary(plenary, actor=tkksd)
        programme.draft_programme(earlier, actor=tkksd)
        earlier.refresh_from_db()
        programme.issue_programme(earlier, actor=pimpinan)
    earlier.refresh_from_db()
    waiting.refresh_from_db()
    assert not earlier.is_open and waiting.status == ProposalStatus.DEFERRED

    current = open_cycle(tkksd, year)
    next_plenary = schedule(tkksd, current)
    candidates = list(selectors.agenda_candidates(next_plenary))
    assert waiting in candidates and kept not in candidates
    label = AgendaForm(plenary=next_plenary).fields["proposals"].label_from_instance(waiting)
    assert str(year - 1) in label
    services.add_to_agenda(next_plenary, actor=tkksd, proposals=[waiting])
    waiting.refresh_from_db()
    assert waiting.cycle == current and waiting.status == ProposalStatus.DEFERRED
    history = list(waiting.events.order_by("at", "pk").values_list("to_status", "note"))
    assert history[-2][0] == ProposalStatus.DEFERRED and "Kajian" in history[-2][1]
    assert str(year - 1) in history[-1][1]
    services.record_decision(next_plenary, actor=tkksd, proposal=waiting, decision=Decision.PRIORITISED, rank=1)
    services.record_attendance(next_plenary, actor=tkksd, members=list(TkksdMember.objects.filter(is_active=True)))
    services.close_plenary(next_plenary, actor=tkksd)
    waiting.refresh_from_db()
    assert waiting in programme.programme_candidates(current)


# --- the RPJMD/RKPD reference or a recorded exception (PP 28/2018 Pasal 4(3)) -------------------------------


def test_a_proposal_with_neither_reference_nor_exception_cannot_be_prioritised(team, tkksd, ppksd, cycle):
    from planning.documents import plan_basis

    bare = submitted_proposal(ppksd, cycle, title="Tanpa rujukan", rpjmd_reference="")
    excepted = submitted_proposal(
        ppksd,
        cycle,
        title="Tanggap darurat banjir",
        rpjmd_reference="",
        plan_exception="darurat",
        plan_exception_basis="Keputusan Bupati tentang status tanggap darurat banjir.",
    )
    plenary = schedule(tkksd, cycle)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[bare, excepted])
    with pytest.raises(ServiceError, match="cannot be prioritised"):
        services.record_decision(plenary, actor=tkksd, proposal=bare, decision=Decision.PRIORITISED, rank=1)
    services.record_decision(plenary, actor=tkksd, proposal=excepted, decision=Decision.PRIORITISED, rank=1)
    services.record_decision(plenary, actor=tkksd, proposal=bare, decision=Decision.DEFERRED, reasons="Lengkapi.")
    excepted.refresh_from_db()
    assert plan_basis(excepted) == (
        "Di luar RPJMD/RKPD: keadaan darurat (Keputusan Bupati tentang status tanggap darurat banjir.)"
    )
    assert plan_basis(bare) != "-"


def test_an_exception_needs_its_basis_in_the_proposal_form(tkksd, ppksd, cycle):
    from planning.forms import ProposalForm
    from planning.tests.factories import draft_proposal

    proposal = draft_proposal(ppksd, map_potential(ppksd, cycle))
    form = ProposalForm(instance=proposal, user=ppksd)
    from kerjasama.tests.test_concurrency import post_data

    data = post_data(form, rpjmd_reference="", plan_exception="tugas_pembantuan", plan_exception_basis="")
    bound = ProposalForm(data, instance=proposal, user=ppksd)
    assert not bound.is_valid()
    assert "plan_exception_basis" in bound.errors
