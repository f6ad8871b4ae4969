"""The dashboard's stored figures after each write path: once the page has stored a scope's figures,
every write that changes them (filing, moving, ending, importing, a report filed or accepted, a
DPRD request received or answered, a signed KB filed, an agreement moved to another OPD) makes the
next load show what a fresh computation gives (monitoring/dashboard.py)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import selectors, services
from monitoring.dashboard import dashboard_for
from registry import lifecycle
from registry import services as registry_services
from registry.models import Agreement, DocumentType, DprdApproval, EndReason, Kind, KsdpkType, Stage
from registry.tests.factories import OPDFactory, make_agreement, make_partner, pdf_bytes, pdf_upload

from .helpers import report_data, running

pytestmark = pytest.mark.django_db

D = date(2026, 11, 23)
JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime.combine(D, time(9, 0), tzinfo=JAKARTA)


@dataclass
class Office:
    tkksd: object
    ppksd: object
    opd: object
    preparing: Agreement
    reporting: Agreement
    expired: Agreement
    at_dprd: Agreement
    drafting_pks: Agreement


@pytest.fixture
def office(tkksd, ppksd, opd, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 900
    settings.REPORT_DUE_DAY = 10
    settings.DORMANT_AFTER_MONTHS = 3
    settings.KB_TO_PKS_WARNING_MONTHS = 6
    with time_machine.travel(START, tick=False):
        return Office(
            tkksd=tkksd,
            ppksd=ppksd,
            opd=opd,
            preparing=make_agreement(tkksd, opd=opd, title="Persiapan"),
            reporting=running(tkksd, opd=opd, title="Berjalan tanpa laporan", start=date(2025, 1, 1)),
            expired=running(tkksd, opd=opd, title="Lewat masa", start=date(2023, 1, 1), end=D - timedelta(days=3)),
            at_dprd=make_agreement(
                tkksd,
                opd=opd,
                title="Menunggu DPRD",
                stage=Stage.PERSETUJUAN_DPRD,
                not_yet_budgeted=True,
                burden_justification="Memerlukan kontribusi APBD setiap tahun.",
            ),
            drafting_pks=make_agreement(tkksd, opd=opd, title="Menyusun PKS", stage=Stage.PENYUSUNAN_PKS),
        )


def file_agreement(office):
    make_agreement(office.tkksd, opd=office.opd, title="Baru diajukan")


def move(office):
    agreement = office.drafting_pks
    step = next(m for m in lifecycle.allowed_moves(agreement, office.tkksd) if not m.blocked and not m.needs_reason)
    lifecycle.advance(agreement, step.to_stage, actor=office.tkksd, note="Draf PKS dikembalikan untuk ditelaah ulang.")


def end(office):
    lifecycle.advance(office.reporting, Stage.BERAKHIR, actor=office.tkksd, end_reason=EndReason.MUTUAL_AGREEMENT)


def end_expired(office):
    assert registry_services.end_expired_agreements(D) == 1


def import_register(office):
    agreement = Agreement(
        kind=Kind.KSDPK,
        title="Kerja sama lama dari register",
        object="Pengelolaan parkir.",
        urusan=office.reporting.urusan,
        lead_opd=office.opd,
        ksdpk_type=KsdpkType.PELAYANAN_PUBLIK,
        start_date=date(2024, 1, 1),
        end_date=date(2028, 12, 31),
    )
    registry_services.import_legacy_agreements(
        [registry_services.LegacyAgreement(agreement, [make_partner("PT Register Lama")], Stage.PELAKSANAAN)],
        actor=office.tkksd,
    )


def file_report(office):
    services.file_report(office.reporting, actor=office.ppksd, period=date(2026, 10, 1), data=report_data())


def accept_report(office):
    with time_machine.travel(START, tick=False):
        report = services.file_report(
            office.reporting, actor=office.ppksd, period=date(2026, 10, 1), data=report_data()
        )
    # Filed before the figures were stored, accepted after.
    return lambda: services.review_report(report, actor=office.tkksd, decision=services.ReviewDecision.ACCEPT)


def receive_dprd_request(office):
    registry_services.request_dprd_approval(
        office.at_dprd, actor=office.tkksd, request_number="100.3.3/1/KS", received_on=D - timedelta(days=2)
    )


def answer_dprd_request(office):
    with time_machine.travel(START, tick=False):
        approval = registry_services.request_dprd_approval(
            office.at_dprd, actor=office.tkksd, request_number="100.3.3/1/KS", received_on=D - timedelta(days=20)
        )
    return lambda: registry_services.record_dprd_decision(
        approval,
        actor=office.tkksd,
        decision=DprdApproval.Decision.APPROVED,
        decision_number="170/12/KEP/DPRD/2026",
        decision_date=D - timedelta(days=1),
        letter_file=SimpleUploadedFile("keputusan.pdf", pdf_bytes("Keputusan DPRD")),
    )


def file_signed_kb(office):
    registry_services.upload_document(
        office.drafting_pks,
        actor=office.tkksd,
        upload=registry_services.DocumentUpload(
            doc_type=DocumentType.KB,
            file=pdf_upload("kb.pdf"),
            is_signed=True,
            # Without numbers: the agreement's own fields stay as they are.
            number="",
            partner_number="",
            date=date(2026, 2, 2),
            has_paraf=True,
            has_materai=True,
            has_stempel=True,
        ),
    )


def _done_then(write):
    """A write with nothing to prepare before the figures are stored."""
    return lambda office: lambda: write(office)


# Each entry prepares what its write needs (before the figures are stored) and returns the write.
WRITES = {
    "filing": _done_then(file_agreement),
    "moving": _done_then(move),
    "ending": _done_then(end),
    "ending expired agreements": _done_then(end_expired),
    "importing": _done_then(import_register),
    "report filed": _done_then(file_report),
    "report accepted": accept_report,
    "DPRD request received": _done_then(receive_dprd_request),
    "DPRD decision": answer_dprd_request,
    "signed KB filed": _done_then(file_signed_kb),
}


def figures(board) -> dict:
    return {**board.to_data(), "review_count": board.review_count}


def live(scope_key: str) -> dict:
    return figures(selectors.dashboard(selectors.scope_of_key(scope_key), D))


def shown(scope_key: str, moment: datetime):
    with time_machine.travel(moment, tick=False):
        return dashboard_for(scope_key, D)


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize("scope", ["all", "opd"])
def test_after_each_write_the_page_shows_the_figures_a_fresh_computation_gives(office, path, scope):
    scope_key = "all" if scope == "all" else f"opd-{office.opd.pk}"
    write = WRITES[path](office)
    stored = shown(scope_key, START + timedelta(minutes=1))
    # The stored figures are read back while nothing changes.
    assert shown(scope_key, START + timedelta(minutes=2)).computed_at == stored.computed_at

    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        write()
        expected = live(scope_key)
    after = shown(scope_key, START + timedelta(minutes=4))
    assert figures(after) == expected
    assert figures(after) != figures(stored)


def test_an_agreement_moved_to_another_opd_leaves_the_first_opds_figures(office):
    other = OPDFactory(name="Dinas Pariwisata", abbreviation="Dispar")
    before = shown(f"opd-{office.opd.pk}", START + timedelta(minutes=1))
    shown(f"opd-{other.pk}", START + timedelta(minutes=1))
    agreement = office.preparing
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        registry_services.update_agreement(
            agreement, actor=office.tkksd, changes={"lead_opd": other}, partners=list(agreement.partners.all())
        )
    assert shown(f"opd-{office.opd.pk}", START + timedelta(minutes=4)).total == before.total - 1
    assert shown(f"opd-{other.pk}", START + timedelta(minutes=4)).total == 1
