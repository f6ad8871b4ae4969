"""Demo data for monitoring: reports and evaluations on the demo agreements and, for the
benchmark, generated notifications and reports in bulk. Idempotent."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from registry.demo_agreements import demo_titles
from registry.models import Agreement, User
from registry.selectors import ppksd_of

from . import evaluations, periods, selectors, services
from .models import Evaluation, ImplementationReport, Notification, Recommendation, ReportStatus

TITLES = [
    "Laporan pelaksanaan bulan ini belum dikirim",
    "Masa berlaku PKS berakhir dalam 30 hari",
    "Tenggat jawaban DPRD tinggal 5 hari kerja",
    "Rapat pleno TKKSD dijadwalkan minggu depan",
    "Kesepakatan Bersama belum ditindaklanjuti PKS",
]


def seed_notifications(size: int, *, batch: int = 5000) -> int:
    """Add `size` notifications spread over the demo users (bulk, for benchmarks)."""
    users = list(User.objects.values_list("pk", flat=True))
    if not users or size <= 0:
        return 0
    rng = random.Random(2026)
    now = timezone.now()
    created = 0
    while created < size:
        rows = [
            Notification(
                recipient_id=rng.choice(users),
                title=rng.choice(TITLES),
                body="Dibuat untuk pengukuran kinerja.",
                email_state=Notification.EmailState.NONE,
                read_at=now if rng.random() < 0.7 else None,
            )
            for _ in range(min(batch, size - created))
        ]
        Notification.objects.bulk_create(rows)
        created += len(rows)
    return created


# title of a demo agreement → how its monthly reports go (newest first); None leaves a month unreported.
DEMO_REPORTS = {
    "Penyelenggaraan Angkutan Perkotaan Trans Jogja": ["submitted", "accepted", "accepted", "accepted", "accepted"],
    "Pengelolaan Sampah Regional TPST Piyungan": ["returned", "accepted", "accepted", None, "accepted"],
    "Pemanfaatan Aset Stasiun untuk Park and Ride": [None, "accepted", "accepted"],
    # "Penelitian dan Pengabdian Masyarakat Desa Wisata" files nothing: overdue and dormant.
}

ACTIVITIES = [
    "Rapat koordinasi teknis bersama mitra dan penyusunan jadwal kegiatan bulan berikutnya.",
    "Pelaksanaan kegiatan lapangan sesuai rencana kerja, disertai pendokumentasian dan daftar hadir.",
    "Sosialisasi kepada masyarakat di tiga kapanewon dan pemantauan capaian keluaran.",
]


def _file(agreement, period, status, tkksd, rng) -> bool:
    filer = ppksd_of(agreement.lead_opd).first()
    if filer is None or agreement.implementation_reports.filter(period=period).exists():
        return False
    report = services.file_report(
        agreement,
        actor=filer,
        period=period,
        data=services.ReportData(
            activities=rng.choice(ACTIVITIES),
            progress=rng.randrange(30, 90),
            outputs="Layanan berjalan; keluhan masyarakat tertangani dalam 3 hari kerja.",
            budget_realised=Decimal(rng.randrange(20, 400)) * Decimal("1000000"),
            obstacles="Penyesuaian jadwal dengan mitra." if rng.random() < 0.5 else "",
            follow_up="Rapat evaluasi triwulanan bersama mitra.",
        ),
    )
    if status == ReportStatus.ACCEPTED:
        services.review_report(report, actor=tkksd, decision=services.ReviewDecision.ACCEPT)
    elif status == ReportStatus.RETURNED:
        services.review_report(
            report,
            actor=tkksd,
            decision=services.ReviewDecision.RETURN,
            note="Lengkapi bukti foto kegiatan dan rincian realisasi anggaran.",
        )
    return True


@transaction.atomic
def seed_demo_monitoring() -> int:
    """Reports and evaluations on the demo agreements (walked through the real services)."""
    tkksd = User.objects.filter(username="tkksd").first()
    if tkksd is None:
        return 0
    today = timezone.localdate()
    rng = random.Random(7)
    created = 0
    for title, statuses in DEMO_REPORTS.items():
        agreement = Agreement.objects.filter(title=title).first()
        if agreement is None:
            continue
        owed = periods.owed_periods(agreement.start_date, agreement.end_date, today)
        for period, status in zip(owed, statuses, strict=False):
            if status is not None:
                created += _file(agreement, period, status, tkksd, rng)
    evaluated = Agreement.objects.filter(title="Penyelenggaraan Angkutan Perkotaan Trans Jogja").first()
    if evaluated is not None and not evaluated.evaluations.exists():
        evaluation = evaluations.create_evaluation(
            evaluated,
            actor=tkksd,
            year=today.year - 1 if evaluated.start_date.year < today.year else today.year,
            data=evaluations.EvaluationData(
                effectiveness=4,
                efficiency=3,
                benefit=5,
                compliance=4,
                strengths="Layanan angkutan terpadu lintas batas dengan tarif terjangkau.",
                weaknesses="Ketepatan waktu armada pada jam sibuk belum memenuhi target.",
                opportunities="Integrasi dengan layanan kereta api dan park and ride.",
                threats="Kenaikan biaya operasional dan perubahan kebijakan subsidi.",
                recommendation=Recommendation.CONTINUE,
                conclusion="Kerja sama memberi manfaat besar bagi warga komuter; dilanjutkan dengan perbaikan jadwal.",
            ),
        )
        evaluations.finalise_evaluation(evaluation, actor=tkksd)
        created += 1
    return created


def _draws(*key) -> random.Random:
    """The random draws of one generated record, from its own key: a record is filed (or left
    owing) the same way whatever else the volume holds, so that seeding more never fills a
    gap the smaller volume left."""
    return random.Random(":".join(str(part) for part in key))


def seed_report_volume(*, batch: int = 5000) -> int:
    """Accepted reports on most running agreements for the last three months (bulk, for benchmarks),
    so that the dashboard's anti-joins meet realistic data."""
    today = timezone.localdate()
    filer = User.objects.filter(username="ppksd.dishub").first() or User.objects.filter(username="tkksd").first()
    if filer is None:
        return 0
    now = timezone.now()
    last = periods.current_period(today)
    recent = [periods.add_months(last, -offset) for offset in range(3)]
    created = 0
    # The demo's own agreements keep the story DEMO_REPORTS tells (a month left owing, one
    # agreement that files nothing): only the generated ones get reports in bulk.
    running = (
        Agreement.objects.filter(stage__in=selectors.ACTIVE_STAGES)
        .exclude(title__in=demo_titles())
        .values_list("pk", "start_date", "end_date")
    )
    rows = []
    for pk, start, end in running.iterator(chunk_size=5000):
        for period in recent:
            rng = _draws(3, pk, period)
            if periods.running_in(period, start, end) and rng.random() < 0.7:
                rows.append(
                    ImplementationReport(
                        agreement_id=pk,
                        period=period,
                        activities="Kegiatan berjalan sesuai rencana kerja.",
                        progress=rng.randrange(10, 100),
                        outputs="Keluaran tercapai sebagian.",
                        status=ReportStatus.ACCEPTED,
                        submitted_by=filer,
                        submitted_at=now - timedelta(days=rng.randrange(1, 90)),
                        reviewed_by=filer,
                        reviewed_at=now,
                    )
                )
        if len(rows) >= batch:
            created += len(ImplementationReport.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    created += len(ImplementationReport.objects.bulk_create(rows, ignore_conflicts=True))
    if connection.vendor == "postgresql":
        # Statistics for the reports just inserted: without them the planner takes the table for
        # empty and answers the update below with a scan of every report per agreement.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ImplementationReport._meta.db_table}")
    # Reports inserted in bulk bypass the review; keep the agreements' latest accepted month with them.
    services.refresh_last_report(Agreement.objects.filter(stage__in=selectors.ACTIVE_STAGES))
    return created


def seed_evaluation_volume(*, share: float = 0.5, batch: int = 5000) -> int:
    """Draft evaluations of this year on about `share` of the running agreements (bulk, for
    benchmarks), so that the evaluation list sorts and pages a year's worth of them as an office
    would by December."""
    author = User.objects.filter(username="tkksd").first()
    if author is None:
        return 0
    year = timezone.localdate().year
    recommendations = list(Recommendation.values)
    running = (
        Agreement.objects.filter(stage__in=selectors.ACTIVE_STAGES, start_date__year__lte=year)
        .exclude(evaluations__year=year)
        .values_list("pk", flat=True)
    )
    created, rows = 0, []
    for pk in running.iterator(chunk_size=5000):
        rng = _draws(5, pk, year)
        if rng.random() >= share:
            continue
        rows.append(
            Evaluation(
                agreement_id=pk,
                year=year,
                effectiveness=rng.randint(2, 5),
                efficiency=rng.randint(2, 5),
                benefit=rng.randint(2, 5),
                compliance=rng.randint(2, 5),
                strengths="Koordinasi antarpihak berjalan baik.",
                weaknesses="Pelaporan kegiatan belum tepat waktu.",
                opportunities="Perluasan cakupan layanan.",
                threats="Keterbatasan anggaran tahun berjalan.",
                recommendation=rng.choice(recommendations),
                conclusion="Kerja sama memberi manfaat dan perlu dilanjutkan dengan perbaikan.",
                created_by=author,
            )
        )
        if len(rows) >= batch:
            created += len(Evaluation.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    created += len(Evaluation.objects.bulk_create(rows, ignore_conflicts=True))
    return created


def seed_monitoring(size: int = 0) -> dict[str, int]:
    """The demo's monitoring data; with `size`, benchmark volume as well."""
    counts = {"demo": seed_demo_monitoring(), "reports": 0, "evaluations": 0, "notifications": 0}
    if size:
        counts["reports"] = seed_report_volume()
        counts["evaluations"] = seed_evaluation_volume()
    return counts
