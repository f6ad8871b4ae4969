"""Builders shared by the monitoring tests."""

from datetime import date

from PIL import Image

from monitoring import evaluations, services
from monitoring.models import ImplementationReport, Recommendation, ReportStatus
from registry.models import Stage
from registry.tests.factories import OPDFactory, make_agreement, pdf_bytes


def running(actor, *, opd=None, start=date(2025, 1, 1), end=date(2027, 12, 31), stage=Stage.PELAKSANAAN, **fields):
    """An agreement in implementation (filed by a TKKSD `actor`) with the given term."""
    return make_agreement(actor, opd=opd or OPDFactory(), stage=stage, start_date=start, end_date=end, **fields)


def report_data(**overrides) -> services.ReportData:
    values = {
        "activities": "Rapat koordinasi dan pelaksanaan kegiatan lapangan.",
        "progress": 40,
        "outputs": "Layanan berjalan untuk 1.200 warga.",
    }
    values.update(overrides)
    return services.ReportData(**values)


def evaluation_data(**overrides) -> evaluations.EvaluationData:
    values = {
        "effectiveness": 4,
        "efficiency": 3,
        "benefit": 5,
        "compliance": 4,
        "strengths": "Layanan lintas batas berjalan.",
        "weaknesses": "Jadwal armada belum tepat waktu.",
        "opportunities": "Integrasi dengan kereta api.",
        "threats": "Kenaikan biaya operasional.",
        "recommendation": Recommendation.EXTEND,
        "conclusion": "Layak diperpanjang dengan perbaikan jadwal.",
    }
    values.update(overrides)
    return evaluations.EvaluationData(**values)


def add_report(agreement, period, filer, *, status=ReportStatus.ACCEPTED, reviewer=None):
    """A report on `period` in the given state, written straight to the table (for fixtures), with the
    agreement's latest accepted month kept as the review keeps it."""
    from django.utils import timezone

    from monitoring.services import refresh_last_report
    from registry.models import Agreement

    report = ImplementationReport.objects.create(
        agreement=agreement,
        period=period,
        activities="Kegiatan",
        progress=50,
        outputs="Keluaran",
        status=status,
        submitted_by=filer,
        submitted_at=timezone.now(),
        reviewed_by=reviewer if status != ReportStatus.SUBMITTED else None,
    )
    refresh_last_report(Agreement.objects.filter(pk=agreement.pk))
    return report


def png_bytes() -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


__all__ = ["add_report", "pdf_bytes", "png_bytes", "report_data", "running"]
