""" "Perlu perhatian" reads dates kept on each agreement (registry/attention.py,
monitoring.services.refresh_last_report): each write path that changes them keeps them, and the list
they give is the one the full subqueries give."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Exists, OuterRef

from monitoring import selectors, services
from monitoring.demo import seed_report_volume
from monitoring.models import ImplementationReport, ReportStatus
from registry import lifecycle
from registry import services as registry_services
from registry.attention import kb_signed_expression
from registry.models import Agreement, AgreementDocument, DocumentType, Stage, Transition
from registry.tests.factories import make_agreement, pdf_upload

from .helpers import report_data, running

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 11, 23)

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=JAKARTA)


def fresh(agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


def signed_kb(agreement, actor, day):
    return registry_services.upload_document(
        agreement,
        actor=actor,
        upload=registry_services.DocumentUpload(
            doc_type=DocumentType.KB,
            file=pdf_upload("kb.pdf"),
            is_signed=True,
            number=f"100.3.3/{agreement.pk:03d}/KB/{day.year}",
            partner_number=f"415.4/{agreement.pk}/{day.year}",
            date=day,
            has_paraf=True,
            has_materai=True,
            has_stempel=True,
        ),
    )


def test_filing_keeps_the_day_recorded_until_the_kb_is_signed(tkksd, opd):
    with time_machine.travel(at(date(2026, 2, 3)), tick=False):
        agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS, title="Lama")
    assert fresh(agreement).kb_signed_on == date(2026, 2, 3)


def test_a_signed_kb_uploaded_gives_its_date_and_a_later_version_its_own(tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    signed_kb(agreement, tkksd, date(2026, 4, 1))
    assert fresh(agreement).kb_signed_on == date(2026, 4, 1)
    signed_kb(agreement, tkksd, date(2026, 5, 6))
    assert fresh(agreement).kb_signed_on == date(2026, 5, 6)


def test_leaving_the_kb_signing_stage_gives_that_day_without_a_dated_scan(tkksd, opd):
    with time_machine.travel(at(date(2026, 1, 5)), tick=False):
        agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_KB)
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        scan = registry_services.upload_document(
            agreement,
            actor=tkksd,
            upload=registry_services.DocumentUpload(
                doc_type=DocumentType.KB,
                file=pdf_upload("kb.pdf"),
                is_signed=True,
                number=f"100.3.3/{agreement.pk:03d}/KB/2026",
                partner_number=f"415.4/{agreement.pk}/2026",
                has_paraf=True,
                has_materai=True,
                has_stempel=True,
            ),
        )
        assert scan.date is None and fresh(agreement).kb_signed_on == date(2026, 1, 5)
        (move,) = [m for m in lifecycle.allowed_moves(fresh(agreement), tkksd) if m.kind == lifecycle.MoveKind.FORWARD]
        lifecycle.advance(fresh(agreement), move.to_stage, actor=tkksd, note="KB ditandatangani.")
    assert fresh(agreement).kb_signed_on == date(2026, 3, 10)


def test_bulk_filing_keeps_the_day_recorded(tkksd, opd, settings):
    rows = [
        Agreement(
            kind="ksdd",
            register_number=f"KS-2026-9{n:04d}",
            title=f"Impor {n}",
            object="Objek",
            urusan=make_agreement(tkksd, opd=opd).urusan,
            lead_opd=opd,
            ksdd_nature="wajib",
            created_by=tkksd,
        )
        for n in range(3)
    ]
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        lifecycle.bulk_start(rows, actor=tkksd, stages=[Stage.PENYUSUNAN_PKS] * 3)
    assert {fresh(row).kb_signed_on for row in rows} == {date(2026, 6, 1)}


def test_an_accepted_report_moves_the_latest_month_and_a_returned_one_does_not(tkksd, ppksd, opd):
    agreement = running(tkksd, opd=opd, start=date(2025, 1, 1))
    assert fresh(agreement).last_report_period is None
    with time_machine.travel(at(date(2026, 9, 5)), tick=False):
        august = services.file_report(agreement, actor=ppksd, period=date(2026, 8, 1), data=report_data())
        services.review_report(august, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
        july = services.file_report(agreement, actor=ppksd, period=date(2026, 7, 1), data=report_data())
        services.review_report(july, actor=tkksd, decision=services.ReviewDecision.RETURN, note="Lengkapi.")
    assert fresh(agreement).last_report_period == date(2026, 8, 1)
    # An older month accepted later does not move it back.
    with time_machine.travel(at(date(2026, 9, 8)), tick=False):
        services.revise_report(july, actor=ppksd, data=report_data())
        services.review_report(july, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
    assert fresh(agreement).last_report_period == date(2026, 8, 1)


def test_reports_inserted_in_bulk_keep_the_latest_month(tkksd, opd):
    agreements = [running(tkksd, opd=opd, title=f"Berjalan {n}", start=date(2024, 1, 1)) for n in range(3)]
    with time_machine.travel(at(TODAY), tick=False):
        assert seed_report_volume() > 0
    for agreement in agreements:
        latest = (
            ImplementationReport.objects.filter(agreement=agreement, status=ReportStatus.ACCEPTED)
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        assert fresh(agreement).last_report_period == latest


def _reference_dormant(today):
    """The definitions as subqueries over every agreement, as the list computed them before."""
    cutoff, kb_cutoff = selectors.dormant_cutoffs(today)
    accepted = ImplementationReport.objects.filter(
        agreement=OuterRef("pk"), status=ReportStatus.ACCEPTED, period__gte=cutoff
    )
    no_report = Agreement.objects.filter(stage__in=selectors.ACTIVE_STAGES, start_date__lt=cutoff).exclude(
        Exists(accepted)
    )
    kb = (
        selectors.kb_without_pks(Agreement.objects.all())
        .annotate(reference=kb_signed_expression())
        .filter(reference__lte=kb_cutoff)
    )
    return {"no_report": set(no_report.values_list("pk", flat=True)), "kb": set(kb.values_list("pk", flat=True))}


def test_the_kept_dates_give_the_list_the_subqueries_give(tkksd, ppksd, opd, settings):
    settings.DORMANT_AFTER_MONTHS = 3
    settings.KB_TO_PKS_WARNING_MONTHS = 6
    with time_machine.travel(at(date(2025, 12, 1)), tick=False):
        quiet = running(tkksd, opd=opd, title="Diam", start=date(2025, 1, 1))
        reporting = running(tkksd, opd=opd, title="Melapor", start=date(2025, 1, 1))
        old_report = running(tkksd, opd=opd, title="Laporan lama", start=date(2025, 1, 1))
        young = running(tkksd, opd=opd, title="Baru mulai", start=date(2026, 10, 1))
        kb_old = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS, title="KB lama")
        kb_new = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS, title="KB baru")
    signed_kb(kb_new, tkksd, date(2026, 10, 1))
    signed_kb(kb_old, tkksd, date(2026, 1, 15))
    for agreement, period in ((reporting, date(2026, 10, 1)), (old_report, date(2026, 5, 1))):
        with time_machine.travel(at(period + timedelta(days=35)), tick=False):
            report = services.file_report(agreement, actor=ppksd, period=period, data=report_data())
            services.review_report(report, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
    groups = selectors.dormant(Agreement.objects.all(), TODAY)
    reference = _reference_dormant(TODAY)
    assert {row.agreement.pk for row in groups["no_report"]} == reference["no_report"] == {quiet.pk, old_report.pk}
    assert {row.agreement.pk for row in groups["kb_without_pks"]} == reference["kb"] == {kb_old.pk}
    assert young.pk not in reference["no_report"]
    # A dated scan wins over the day recorded, as it did in the subquery.
    assert fresh(kb_old).kb_signed_on == date(2026, 1, 15)
    assert not AgreementDocument.objects.filter(agreement=kb_old, date__isnull=True, is_signed=True).exists()
    assert Transition.objects.filter(agreement=kb_old).exists()


def test_the_page_reads_the_list_afresh_after_each_write_in_the_same_queries(client, tkksd, ppksd, opd, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.DORMANT_AFTER_MONTHS = 3
    client.force_login(tkksd)
    quiet = running(tkksd, opd=opd, title="Tanpa laporan", start=date(2025, 1, 1))

    def listed():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("monitoring:dormant_list"))
        return {row.agreement.pk for _count, rows in response.context["groups"].values() for row in rows}, len(
            queries.captured_queries
        )

    with time_machine.travel(at(TODAY), tick=False):
        rows, queries = listed()
        assert quiet.pk in rows
        for n in range(5):
            running(tkksd, opd=opd, title=f"Lain {n}", start=date(2025, 1, 1))
        report = services.file_report(quiet, actor=ppksd, period=date(2026, 10, 1), data=report_data())
        services.review_report(report, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
        rows, more_queries = listed()
    assert quiet.pk not in rows and len(rows) == 5
    assert more_queries == queries


def test_the_indexes_cover_the_stages_the_list_reads():
    indexes = {index.name: index for index in Agreement._meta.indexes}
    kb = dict(indexes["agreement_kb_signed"].condition.children)
    assert sorted(kb["stage__in"]) == sorted(selectors.kb_pending_stages())
    for name in ("agreement_running_reports", "agreement_running_end", "agreement_opd_running"):
        running_stages = dict(indexes[name].condition.children)
        assert sorted(running_stages["stage__in"]) == sorted(selectors.ACTIVE_STAGES)


def test_the_page_counts_each_reason_up_to_its_cap_and_prints_its_rows(client, tkksd, opd, settings, monkeypatch):
    from django.urls import reverse

    from monitoring.views import overview

    settings.DORMANT_AFTER_MONTHS = 3
    for n in range(3):
        running(tkksd, opd=opd, title=f"Sepi <{n}>", start=date(2025, 1, 1 + n))
    client.force_login(tkksd)
    monkeypatch.setattr(overview, "DORMANT_CAP", 2)
    monkeypatch.setattr(overview, "DORMANT_ROWS", 2)
    with time_machine.travel(at(TODAY), tick=False):
        response = client.get(reverse("monitoring:dormant_list"))
        page = response.content.decode()
        assert response.context["groups"][selectors.DormantReason.NO_REPORT][0] == 3
        assert 'data-testid="count-no_report">2+</span>' in page
        assert 'data-testid="count-past_end">0</span>' in page
        # The two longest-standing, oldest first, each with its link, escaped title and start.
        first, second = (Agreement.objects.get(title=f"Sepi <{n}>") for n in range(2))
        assert page.index(f'href="{first.get_absolute_url()}">Sepi &lt;0&gt;</a>') < page.index("Sepi &lt;1&gt;")
        assert "Sepi &lt;2&gt;" not in page and "1 Jan 2025" in page and "2 Jan 2025" in page
        assert f"{second.register_number} · Pelaksanaan" in page
        monkeypatch.setattr(overview, "DORMANT_CAP", 3)
        page = client.get(reverse("monitoring:dormant_list")).content.decode()
        assert 'data-testid="count-no_report">3</span>' in page
