"""Import timings for `make bench`: a register of 10,000 rows previewed, then committed
(issue 17: each in at most 30 s on this machine). The commit is rolled back, so that the bench
database stays as seeded and every run imports the same rows anew."""

import io
import random
import time

from django.db import transaction
from openpyxl import Workbook

from registry.imports import services
from registry.imports.analysis import Options
from registry.models import OPD, Partner, Urusan, User

ROWS = 10_000
_PARTNERS = ("Pemkot Yogyakarta", "Kab. Bantul", "Pemkab Kulon Progo", "Pemprov DIY", "Kota Magelang")


def register_workbook(rows: int = ROWS, *, seed: int = 17) -> bytes:
    """A register as offices keep it: title rows, Indonesian headers, dates and terms in words."""
    rng = random.Random(seed)
    run = time.time_ns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append(["DAFTAR KERJA SAMA DAERAH"])
    sheet.append([])
    sheet.append(["No", "Judul", "Nomor Pihak I", "Nomor Pihak II", "Tanggal", "Mitra", "Jangka Waktu", "Nilai"])
    for number in range(1, rows + 1):
        year = rng.randrange(2016, 2026)
        sheet.append(
            [
                number,
                f"Kerja Sama Bidang {rng.choice(('Sampah', 'Air', 'Jalan', 'Wisata', 'Pangan'))} {run}-{number}",
                f"100.3.3/{number:05d}/KS/{year}",
                f"415/{number:05d}/{year}",
                f"{rng.randrange(1, 28):02d}-{rng.randrange(1, 13):02d}-{year}",
                rng.choice(_PARTNERS),
                rng.choice(("5 tahun", "5 (lima) tahun", "60 bulan", "2 tahun")),
                f"Rp {rng.randrange(1, 900) * 1_000_000:,},-".replace(",", "."),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _prepared():
    actor = User.objects.get(username="tkksd")
    content = register_workbook()
    options = Options(lead_opd_id=OPD.objects.values_list("pk", flat=True).first(), urusan_id=Urusan.objects.first().pk)
    return actor, content, options


def _preview(actor, content, options):
    job = services.receive(content, "register-10000.xlsx", actor=actor)
    return services.set_mapping(job, actor=actor, mapping=job.mapping, options=options, background=False)


def preview_ten_thousand() -> list[float]:
    """Upload, read, map and check 10,000 rows (the request of a small file, the task of a big one)."""
    actor, content, options = _prepared()
    with transaction.atomic():
        started = time.perf_counter()
        job = _preview(actor, content, options)
        seconds = time.perf_counter() - started
        assert job.new_count == ROWS, (job.new_count, job.error_count)
        transaction.set_rollback(True)
    return [seconds]


def commit_ten_thousand() -> list[float]:
    """Commit a previewed import of 10,000 new agreements (rolled back afterwards)."""
    actor, content, options = _prepared()
    partners_before = Partner.objects.count()
    with transaction.atomic():
        job = _preview(actor, content, options)
        started = time.perf_counter()
        job = services.request_commit(job, actor=actor, background=False)
        seconds = time.perf_counter() - started
        assert job.created_count == ROWS, (job.created_count, job.error)
        transaction.set_rollback(True)
    assert Partner.objects.count() == partners_before
    return [seconds]
