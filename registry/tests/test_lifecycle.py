"""The PP 28/2018 lifecycle: every kind walked end to end, every blocked step with its reason."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from registry import lifecycle, services
from registry.clauses import CLAUSES, MANDATORY
from registry.lifecycle import MoveKind, TransitionError
from registry.models import Agreement, DocumentType, DprdApproval, EndReason, Kind, Relation, Stage, Transition
from registry.status import Status, status_of, status_q

from .factories import make_agreement, make_partner, region_partner, upload

# What each stage needs before the agreement may leave it (the test's own reading of domain.md).
NEEDS = {
    Stage.PERSIAPAN: [DocumentType.KAJIAN_TKKSD],
    Stage.PENAWARAN: [DocumentType.SURAT_PENAWARAN],
    Stage.PENYUSUNAN_KB: [DocumentType.DRAF_KB],
    Stage.PENANDATANGANAN_KB: [DocumentType.KB],
    Stage.PENYUSUNAN_PKS: [DocumentType.DRAF_PKS],
    Stage.PENANDATANGANAN_PKS: [DocumentType.PKS],
    Stage.PENYUSUNAN_NK_RK: [DocumentType.DRAF_NK_RK],
    Stage.PENANDATANGANAN_NK_RK: [DocumentType.NK_RK],
    Stage.PENANDATANGANAN_LOI: [DocumentType.LOI],
    Stage.PENYUSUNAN_RENCANA: [DocumentType.RENCANA_KERJA_SAMA],
    Stage.PERTIMBANGAN_MENDAGRI: [DocumentType.PERTIMBANGAN_MENDAGRI],
    Stage.PERSETUJUAN_NASKAH: [DocumentType.NASKAH],
    Stage.KONFIRMASI_KEMLU: [DocumentType.KONFIRMASI_KEMLU],
}
SIGNED = {
    Stage.PENANDATANGANAN_KB: DocumentType.KB,
    Stage.PENANDATANGANAN_PKS: DocumentType.PKS,
    Stage.PENANDATANGANAN_NK_RK: DocumentType.NK_RK,
    Stage.PENANDATANGANAN_NASKAH: DocumentType.NASKAH,
}

KSDD_PATH = [
    Stage.PERSIAPAN,
    Stage.PENAWARAN,
    Stage.PENYUSUNAN_KB,
    Stage.PENANDATANGANAN_KB,
    Stage.PERSETUJUAN_DPRD,
    Stage.PENYUSUNAN_PKS,
    Stage.PENANDATANGANAN_PKS,
    Stage.PELAKSANAAN,
    Stage.PENATAUSAHAAN,
    Stage.PELAPORAN,
]
SINERGI_PATH = [
    Stage.PERSIAPAN,
    Stage.PENAWARAN,
    Stage.PENYUSUNAN_NK_RK,
    Stage.PERSETUJUAN_DPRD,
    Stage.PENANDATANGANAN_NK_RK,
    Stage.PELAKSANAAN,
    Stage.PENATAUSAHAAN,
    Stage.PELAPORAN,
]
FOREIGN_PATH = [
    Stage.PRAKARSA,
    Stage.PENJAJAKAN,
    Stage.KOORDINASI_PUSAT,
    Stage.PENANDATANGANAN_LOI,
    Stage.PENYUSUNAN_RENCANA,
    Stage.PERSETUJUAN_DPRD,
    Stage.PERTIMBANGAN_MENDAGRI,
    Stage.PERSETUJUAN_NASKAH,
    Stage.KONFIRMASI_KEMLU,
    Stage.PENANDATANGANAN_NASKAH,
    Stage.PELAKSANAAN,
    Stage.PELAPORAN,
]


def satisfy(agreement, actor):
    """File what the current stage needs, as a TKKSD officer would."""
    stage = agreement.stage
    if stage == Stage.PERSIAPAN and agreement.kind == Kind.KSDPK:
        upload(agreement, actor, DocumentType.STUDI_KELAYAKAN)
    for doc_type in NEEDS.get(stage, []):
        upload(agreement, actor, doc_type)
    if stage in SIGNED:
        upload(agreement, actor, SIGNED[stage], signed=True)
    if stage == Stage.PENYUSUNAN_PKS:
        services.set_pks_contents(
            agreement, actor=actor, clauses=[c.code for c in CLAUSES], legal_analysis="Sesuai peraturan."
        )
    if stage == Stage.PERSETUJUAN_DPRD:
        approval = services.request_dprd_approval(
            agreement, actor=actor, request_number="100.3.3/5/KS", received_on=date(2026, 9, 1)
        )
        services.record_dprd_decision(
            approval,
            actor=actor,
            decision=DprdApproval.Decision.APPROVED,
            decision_number="170/12/KEP/DPRD/2026",
            decision_date=date(2026, 10, 1),
        )
        agreement.refresh_from_db()
        return True
    return False


def walk(agreement, actor):
    """Take every forward step to the last stage; returns the stages visited."""
    visited = [agreement.stage]
    for _ in range(20):
        moved_by_decision = satisfy(agreement, actor)
        if moved_by_decision:
            visited.append(agreement.stage)
            continue
        forward = [m for m in lifecycle.allowed_moves(agreement, actor) if m.kind == MoveKind.FORWARD]
        if not forward:
            break
        assert not forward[0].is_blocked, forward[0].blocked
        lifecycle.advance(agreement, forward[0].to_stage, actor=actor, expected_stage=agreement.stage)
        visited.append(agreement.stage)
    return visited


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "burden", "expected"),
    [
        (Kind.KSDD, True, KSDD_PATH),
        (Kind.KSDD, False, [s for s in KSDD_PATH if s != Stage.PERSETUJUAN_DPRD]),
        (Kind.KSDPK, True, KSDD_PATH),
        (Kind.KSDPK, False, [s for s in KSDD_PATH if s != Stage.PERSETUJUAN_DPRD]),
        (Kind.SINERGI, True, SINERGI_PATH),
        (Kind.SINERGI, False, [s for s in SINERGI_PATH if s != Stage.PERSETUJUAN_DPRD]),
        (Kind.KSDPL, False, FOREIGN_PATH),
        (Kind.KSDLL, False, FOREIGN_PATH),
    ],
)
def test_every_kind_walks_its_stage_graph_end_to_end(tkksd, opd, kind, burden, expected):
    agreement = make_agreement(
        tkksd,
        kind=kind,
        opd=opd,
        burdens_community=burden,
        start_date=date(2026, 1, 1),
        end_date=date(2030, 12, 31),
    )
    assert walk(agreement, tkksd) == expected
    lifecycle.advance(agreement, Stage.BERAKHIR, actor=tkksd, end_reason=EndReason.OBJECTIVE_ACHIEVED)
    agreement.refresh_from_db()
    assert agreement.stage == Stage.BERAKHIR
    timeline = list(agreement.transitions.values_list("to_stage", flat=True))
    assert timeline == [*expected, Stage.BERAKHIR]
    assert all(t.actor_id == tkksd.pk for t in agreement.transitions.exclude(to_stage=Stage.PENYUSUNAN_PKS))


@pytest.mark.django_db
def test_dprd_approval_is_required_by_the_burden_and_always_for_foreign_kinds(tkksd, opd):
    plain = make_agreement(tkksd, opd=opd)
    assert not plain.dprd_required
    assert Stage.PERSETUJUAN_DPRD not in [s.stage for s in lifecycle.path_of(plain)]
    unbudgeted = make_agreement(tkksd, opd=opd, not_yet_budgeted=True)
    assert unbudgeted.dprd_required
    for kind in (Kind.KSDPL, Kind.KSDLL):
        foreign = make_agreement(tkksd, kind=kind, opd=opd)
        assert foreign.dprd_required
        assert Stage.PERSETUJUAN_DPRD in [s.stage for s in lifecycle.path_of(foreign)]


def blocked_reasons(agreement, user):
    return next(m for m in lifecycle.allowed_moves(agreement, user) if m.kind == MoveKind.FORWARD).blocked


@pytest.mark.django_db
def test_preparation_needs_the_tkksd_review_and_a_ksdpk_its_feasibility_study(tkksd, opd):
    ksdd = make_agreement(tkksd, opd=opd)
    assert blocked_reasons(ksdd, tkksd) == ("Unggah Kajian dan rekomendasi TKKSD terlebih dahulu.",)
    ksdpk = make_agreement(tkksd, kind=Kind.KSDPK, opd=opd)
    assert "Unggah Studi kelayakan terlebih dahulu." in blocked_reasons(ksdpk, tkksd)
    with pytest.raises(TransitionError) as error:
        lifecycle.advance(ksdpk, Stage.PENAWARAN, actor=tkksd)
    assert "Studi kelayakan" in str(error.value.message)


@pytest.mark.django_db
def test_signing_the_kb_needs_the_signed_scan_its_checklist_and_both_numbers(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_KB)
    assert blocked_reasons(agreement, tkksd) == (
        "Unggah Kesepakatan Bersama (KB) yang telah ditandatangani terlebih dahulu.",
    )
    upload(agreement, tkksd, DocumentType.KB)  # a draft does not count
    upload(agreement, tkksd, DocumentType.KB, signed=True, complete=False)
    assert blocked_reasons(agreement, tkksd) == (
        "Pindaian Kesepakatan Bersama (KB) yang ditandatangani belum memiliki: paraf, meterai, stempel.",
    )
    upload(agreement, tkksd, DocumentType.KB, signed=True, numbers=False)
    assert blocked_reasons(agreement, tkksd) == (
        "Catat nomor kedua belah pihak pada Kesepakatan Bersama (KB) yang ditandatangani.",
    )
    upload(agreement, tkksd, DocumentType.KB, signed=True)
    assert blocked_reasons(agreement, tkksd) == ()
    assert agreement.documents.filter(doc_type=DocumentType.KB).count() == 4


@pytest.mark.django_db
def test_no_pks_is_signed_while_a_required_dprd_approval_is_missing(tkksd, opd):
    agreement = make_agreement(
        tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS, burdens_community=True, burden_justification="APBD"
    )
    upload(agreement, tkksd, DocumentType.DRAF_PKS)
    services.set_pks_contents(agreement, actor=tkksd, clauses=[c.code for c in CLAUSES], legal_analysis="Ok.")
    assert blocked_reasons(agreement, tkksd) == ("Persetujuan DPRD diperlukan dan belum diberikan.",)
    with pytest.raises(TransitionError, match="Persetujuan DPRD diperlukan"):
        lifecycle.advance(agreement, Stage.PENANDATANGANAN_PKS, actor=tkksd)


@pytest.mark.django_db
def test_pks_signing_is_blocked_until_every_mandatory_clause_and_the_legal_analysis(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    upload(agreement, tkksd, DocumentType.DRAF_PKS)
    all_but_disputes = [c.code for c in MANDATORY if c.code != "dispute_settlement"]
    services.set_pks_contents(agreement, actor=tkksd, clauses=all_but_disputes, legal_analysis="")
    assert blocked_reasons(agreement, tkksd) == (
        "PKS belum memuat klausul tentang penyelesaian perselisihan.",
        "Tulis catatan analisis hukum sebelum PKS ditandatangani.",
    )
    services.set_pks_contents(
        agreement, actor=tkksd, clauses=[c.code for c in MANDATORY], legal_analysis="Telah ditelaah."
    )
    assert blocked_reasons(agreement, tkksd) == ()


@pytest.mark.django_db
def test_signing_the_pks_needs_the_term(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_PKS)
    services.set_pks_contents(agreement, actor=tkksd, clauses=[c.code for c in MANDATORY], legal_analysis="Ok")
    upload(agreement, tkksd, DocumentType.PKS, signed=True)
    assert blocked_reasons(agreement, tkksd) == ("Tetapkan tanggal mulai dan tanggal berakhir kerja sama.",)


@pytest.mark.django_db
def test_dprd_rejection_sends_the_plan_back_and_approval_moves_it_on(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, not_yet_budgeted=True)
    approval = services.request_dprd_approval(
        agreement, actor=tkksd, request_number="1/KS", received_on=date(2026, 9, 1)
    )
    with pytest.raises(services.ServiceError):
        services.request_dprd_approval(agreement, actor=tkksd, request_number="2/KS", received_on=date(2026, 9, 2))
    services.record_dprd_decision(
        approval, actor=tkksd, decision=DprdApproval.Decision.REJECTED, reasons="Membebani APBD terlalu besar."
    )
    agreement.refresh_from_db()
    assert agreement.stage == Stage.PENYUSUNAN_KB
    last = agreement.transitions.last()
    assert "Membebani APBD terlalu besar." in last.note


@pytest.mark.django_db
def test_ppksd_moves_only_the_opd_steps_of_their_own_opd(tkksd, ppksd, other_ppksd, dprd, pimpinan, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_KB)
    upload(agreement, tkksd, DocumentType.DRAF_KB)
    assert [m.kind for m in lifecycle.allowed_moves(agreement, ppksd)] == [MoveKind.FORWARD]
    assert lifecycle.allowed_moves(agreement, other_ppksd) == []
    assert lifecycle.allowed_moves(agreement, dprd) == []
    assert lifecycle.allowed_moves(agreement, pimpinan) == []
    with pytest.raises(TransitionError):
        lifecycle.advance(agreement, Stage.PENANDATANGANAN_KB, actor=other_ppksd)
    lifecycle.advance(agreement, Stage.PENANDATANGANAN_KB, actor=ppksd)
    # Recording the signing is the TKKSD's step, not the OPD's.
    upload(agreement, tkksd, DocumentType.KB, signed=True)
    assert lifecycle.allowed_moves(agreement, ppksd) == []
    with pytest.raises(TransitionError, match="Peran Anda"):
        lifecycle.advance(agreement, Stage.PENYUSUNAN_PKS, actor=ppksd)


@pytest.mark.django_db
def test_back_reject_and_withdraw_need_a_note_and_ending_a_reason(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENAWARAN)
    with pytest.raises(TransitionError, match="Tulis catatan"):
        lifecycle.advance(agreement, Stage.PERSIAPAN, actor=tkksd)
    lifecycle.advance(agreement, Stage.PERSIAPAN, actor=tkksd, note="Kajian perlu diperbaiki.")
    running = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    with pytest.raises(TransitionError, match="Pilih alasan"):
        lifecycle.advance(running, Stage.BERAKHIR, actor=tkksd)
    lifecycle.advance(running, Stage.BERAKHIR, actor=tkksd, end_reason=EndReason.MUTUAL_AGREEMENT)
    assert running.end_reason == EndReason.MUTUAL_AGREEMENT
    # Nothing follows an end.
    assert lifecycle.allowed_moves(running, tkksd) == []


@pytest.mark.django_db
def test_a_move_from_a_stale_page_is_refused(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    upload(agreement, tkksd, DocumentType.KAJIAN_TKKSD)
    lifecycle.advance(agreement, Stage.PENAWARAN, actor=tkksd, expected_stage=Stage.PERSIAPAN)
    stale = Agreement.objects.get(pk=agreement.pk)
    stale.stage = Stage.PERSIAPAN
    with pytest.raises(TransitionError, match="baru saja memindahkan"):
        lifecycle.advance(stale, Stage.PENAWARAN, actor=tkksd, expected_stage=Stage.PERSIAPAN)
    assert agreement.transitions.count() == 2


@pytest.mark.django_db
def test_the_system_only_ends_expired_agreements(tkksd, opd):
    today = date(2026, 11, 23)
    expired = make_agreement(
        tkksd, opd=opd, stage=Stage.PELAKSANAAN, start_date=date(2021, 1, 1), end_date=today - timedelta(days=1)
    )
    current = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, start_date=date(2025, 1, 1), end_date=today)
    assert services.end_expired_agreements(today) == 1
    expired.refresh_from_db()
    current.refresh_from_db()
    assert (expired.stage, expired.end_reason) == (Stage.BERAKHIR, EndReason.TERM_EXPIRED)
    assert expired.transitions.last().actor is None
    assert current.stage == Stage.PELAKSANAAN
    assert services.end_expired_agreements(today) == 0
    with pytest.raises(TransitionError):
        lifecycle.advance(current, Stage.BERAKHIR, actor=lifecycle.SYSTEM, end_reason=EndReason.MUTUAL_AGREEMENT)


@pytest.mark.django_db
def test_follow_ups_keep_the_chain_kb_pks_addendum(tkksd, opd):
    kb = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_KB)
    with pytest.raises(services.ServiceError):
        services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="")
    upload(kb, tkksd, DocumentType.KB, signed=True)
    lifecycle.advance(kb, Stage.PENYUSUNAN_PKS, actor=tkksd)
    second_pks = services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="PKS bidang kedua")
    assert second_pks.stage == Stage.PENYUSUNAN_PKS
    assert second_pks.parent == kb
    with pytest.raises(services.ServiceError):
        services.create_follow_up(second_pks, actor=tkksd, relation=Relation.ADDENDUM, title="")
    running = make_agreement(
        tkksd, opd=opd, stage=Stage.PELAKSANAAN, start_date=date(2025, 1, 1), end_date=date(2029, 1, 1)
    )
    addendum = services.create_follow_up(running, actor=tkksd, relation=Relation.ADDENDUM, title="Adendum I")
    assert addendum.stage == Stage.PENYUSUNAN_PKS
    # An addendum rests on its own draft and signed text, without the PKS clause checklist.
    assert blocked_reasons(addendum, tkksd) == (
        "Unggah Draf adendum terlebih dahulu.",
        "Tulis catatan analisis hukum sebelum PKS ditandatangani.",
    )
    extension = services.create_follow_up(running, actor=tkksd, relation=Relation.EXTENSION, title="")
    assert extension.stage == Stage.PERSIAPAN
    assert [a.pk for a in services.chain_of(addendum)] == [running.pk, addendum.pk]
    assert list(running.partners.all()) == list(extension.partners.all())


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_at_once_never_both_succeed(tkksd, make_user, opd):
    other = make_user("TKKSD", username="tkksd.dua")
    agreement = make_agreement(tkksd, opd=opd)
    upload(agreement, tkksd, DocumentType.KAJIAN_TKKSD)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        try:
            barrier.wait(timeout=10)
            lifecycle.advance(
                Agreement.objects.get(pk=agreement.pk), Stage.PENAWARAN, actor=user, expected_stage=Stage.PERSIAPAN
            )
            outcomes.append("moved")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(user,)) for user in (tkksd, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "refused"]
    assert Transition.objects.filter(agreement=agreement, to_stage=Stage.PENAWARAN).count() == 1


@pytest.mark.django_db
def test_status_in_python_and_in_sql_agree(tkksd, opd):
    today = date(2026, 11, 23)
    cases = {
        Status.IN_PREPARATION: make_agreement(tkksd, opd=opd),
        Status.ACTIVE: make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, end_date=today + timedelta(days=181)),
        Status.EXPIRING_SOON: make_agreement(
            tkksd, opd=opd, stage=Stage.PELAPORAN, end_date=today + timedelta(days=180)
        ),
        Status.EXPIRED: make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, end_date=today - timedelta(days=1)),
        Status.TERMINATED: make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN),
        Status.NOT_PURSUED: make_agreement(tkksd, opd=opd),
    }
    lifecycle.advance(cases[Status.TERMINATED], Stage.BERAKHIR, actor=tkksd, end_reason=EndReason.PARTNER_BANKRUPT)
    lifecycle.advance(cases[Status.NOT_PURSUED], Stage.DITOLAK, actor=tkksd, note="Bukan prioritas.")
    for status, agreement in cases.items():
        agreement.refresh_from_db()
        assert status_of(agreement, today) == status
        assert list(Agreement.objects.filter(status_q(status, today)).values_list("pk", flat=True)) == [agreement.pk]


@pytest.mark.django_db
def test_partners_are_not_duplicated(tkksd):
    make_partner("PT Air Bersih Nusantara Tbk")
    with pytest.raises(services.ServiceError, match="sudah terdaftar"):
        services.save_partner(
            make_partner.__globals__["Partner"](kind="private_company", name="PT. AIR BERSIH NUSANTARA"), actor=tkksd
        )
    region_partner("34.71")
    duplicate = make_partner.__globals__["Partner"](kind="region", regency_id="34.71")
    with pytest.raises(services.ServiceError):
        services.save_partner(duplicate, actor=tkksd)


# --- follow-ups and the DPRD (PP 28/2018 Pasal 6) -------------------------------------------------------


def kb_awaiting_dprd(tkksd, opd):
    """A KB that burdens the APBD, signed and waiting for the DPRD's approval."""
    kb = make_agreement(
        tkksd,
        opd=opd,
        stage=Stage.PENANDATANGANAN_KB,
        not_yet_budgeted=True,
        burden_justification="Belum dianggarkan dalam APBD tahun berjalan.",
    )
    upload(kb, tkksd, DocumentType.KB, signed=True)
    lifecycle.advance(kb, Stage.PERSETUJUAN_DPRD, actor=tkksd)
    return kb


@pytest.mark.django_db
def test_no_further_pks_while_its_kb_waits_for_the_dprd(tkksd, opd):
    kb = kb_awaiting_dprd(tkksd, opd)
    with pytest.raises(services.ServiceError, match="Pasal 6"):
        services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="PKS Dinas Perhubungan")
    assert Relation.PKS_OF_KB not in dict(services.follow_up_choices(kb))

    satisfy(kb, tkksd)  # the DPRD approves; the KB moves on to drafting its PKS
    assert kb.stage == Stage.PENYUSUNAN_PKS
    pks = services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="PKS Dinas Perhubungan")
    assert (pks.not_yet_budgeted, pks.burden_justification) == (True, kb.burden_justification)
    assert pks.dprd_required
    # The further PKS rests on the DPRD approval of its KB.
    assert lifecycle.dprd_approved_if_required(pks) is None


@pytest.mark.django_db
def test_a_further_pks_whose_kb_lost_its_approval_cannot_move_on(tkksd, opd):
    kb = kb_awaiting_dprd(tkksd, opd)
    satisfy(kb, tkksd)
    pks = services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="PKS kedua")
    DprdApproval.objects.filter(agreement=kb).update(decision=DprdApproval.Decision.WITHDRAWN)
    for doc_type in (DocumentType.DRAF_PKS,):
        upload(pks, tkksd, doc_type)
    services.set_pks_contents(pks, actor=tkksd, clauses=[c.code for c in CLAUSES], legal_analysis="Sesuai.")
    assert any(kb.register_number in reason for reason in blocked_reasons(pks, tkksd))


@pytest.mark.django_db
def test_a_follow_up_keeps_the_burden_of_the_agreement_it_follows(tkksd, opd, client):
    kb = kb_awaiting_dprd(tkksd, opd)
    satisfy(kb, tkksd)
    pks = services.create_follow_up(kb, actor=tkksd, relation=Relation.PKS_OF_KB, title="PKS kedua")
    with pytest.raises(services.ServiceError, match=kb.register_number):
        services.update_agreement(
            pks, actor=tkksd, changes={"not_yet_budgeted": False}, partners=list(pks.partners.all())
        )
    from django.urls import reverse

    from kerjasama.tests.test_concurrency import post_data

    client.force_login(tkksd)
    url = reverse("registry:agreement_edit", args=[pks.pk])
    form = client.get(url).context["form"]
    data = post_data(form)
    data.pop("not_yet_budgeted", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["not_yet_budgeted"]
    pks.refresh_from_db()
    assert pks.not_yet_budgeted
    # Upward is always allowed.
    services.update_agreement(pks, actor=tkksd, changes={"burdens_community": True}, partners=list(pks.partners.all()))


@pytest.mark.django_db
def test_an_addendum_adding_an_unbudgeted_burden_needs_its_own_dprd_approval(tkksd, opd):
    running = make_agreement(
        tkksd, opd=opd, stage=Stage.PELAKSANAAN, start_date=date(2025, 1, 1), end_date=date(2029, 1, 1)
    )
    addendum = services.create_follow_up(running, actor=tkksd, relation=Relation.ADDENDUM, title="Adendum I")
    assert addendum.stage == Stage.PENYUSUNAN_PKS and not addendum.dprd_required
    services.update_agreement(
        addendum,
        actor=tkksd,
        changes={"not_yet_budgeted": True, "burden_justification": "Tambahan biaya belum dianggarkan."},
        partners=list(addendum.partners.all()),
    )
    addendum.refresh_from_db()
    assert lifecycle.adds_burden(addendum)
    assert [step.stage for step in lifecycle.path_of(addendum)][:2] == [Stage.PERSETUJUAN_DPRD, Stage.PENYUSUNAN_PKS]
    assert "Persetujuan DPRD diperlukan dan belum diberikan." in blocked_reasons(addendum, tkksd)
    back = [m for m in lifecycle.allowed_moves(addendum, tkksd) if m.to_stage == Stage.PERSETUJUAN_DPRD]
    assert back, "the addendum can be taken to the DPRD"


@pytest.mark.django_db
def test_follow_ups_are_offered_only_from_a_signed_kb_or_pks(tkksd, opd, client):
    preparing = make_agreement(tkksd, opd=opd)
    assert services.follow_up_choices(preparing) == []
    client.force_login(tkksd)
    assert client.get(preparing.get_absolute_url()).context["follow_up_form"] is None
    running = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    offered = dict(services.follow_up_choices(running))
    assert set(offered) == {Relation.PKS_OF_KB, Relation.ADDENDUM, Relation.EXTENSION, Relation.RENEWAL}
    form = client.get(running.get_absolute_url()).context["follow_up_form"]
    assert [value for value, _label in form.fields["relation"].choices] == list(offered)


@pytest.mark.django_db
def test_no_agreement_is_signed_without_an_rpjmd_reference_or_a_recorded_exception(tkksd, opd):
    agreement = make_agreement(
        tkksd, opd=opd, stage=Stage.PENANDATANGANAN_KB, rpjmd_reference="", plan_exception="", plan_exception_basis=""
    )
    upload(agreement, tkksd, DocumentType.KB, signed=True)
    assert any("RPJMD/RKPD" in reason for reason in blocked_reasons(agreement, tkksd))
    Agreement.objects.filter(pk=agreement.pk).update(plan_exception="strategis_nasional")
    agreement.refresh_from_db()
    assert any("dasar pengecualian" in reason for reason in blocked_reasons(agreement, tkksd))
    Agreement.objects.filter(pk=agreement.pk).update(plan_exception_basis="Perpres tentang PSN, lampiran nomor 12.")
    agreement.refresh_from_db()
    assert not any("RPJMD" in reason for reason in blocked_reasons(agreement, tkksd))
