"""Official-document timings for `make bench`: what a user waits for when a PDF is made.

Each function runs in the bench process against the bench database and returns the seconds
of each run; bench/__main__.py prints their median and maximum against the target.
"""

import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kerjasama import jobs
from registry import official
from registry.models import DocumentKind, PemdaProfile, TkksdMember
from registry.official import documents as docs
from registry.official.pdf import pemda_letterhead, render_pdf

RUNS = 5


def _timed(render, runs: int = RUNS) -> list[float]:
    render()  # warm the fonts and templates once, as a running worker has them
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        seconds.append(time.perf_counter() - started)
    return seconds


def _letterhead():
    return pemda_letterhead(PemdaProfile.current(), unit="Sekretariat Daerah")


def _pages(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def decree_three_pages() -> list[float]:
    """The Keputusan Bupati on the TKKSD (decree, signature, lampiran: three pages)."""
    profile = PemdaProfile.current()
    members = list(TkksdMember.objects.filter(is_active=True))
    data = official.tkksd_decree_data(members, year=2026, regency_short=profile.regency.short_name)
    printable = official.build(DocumentKind.KEPUTUSAN, data, letterhead=_letterhead(), number="100/001/KEP/2026")
    context = docs.document_context(printable)
    assert _pages(render_pdf(printable.template_name, context, paper="F4")) == 3
    return _timed(lambda: render_pdf(printable.template_name, context, paper="F4"))


def berita_acara_three_pages() -> list[float]:
    """A plenary's Berita Acara with its attendance list (three pages)."""
    data = {
        "subtitle": "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH",
        "meeting": {
            "date": "2026-11-23",
            "start": "09:00",
            "place": "Ruang Rapat Sekretariat Daerah",
            "chair": "Sekretaris Daerah",
            "purpose": "menetapkan prioritas usulan kerja sama daerah tahun 2027",
        },
        "agenda": [f"Pembahasan usulan kerja sama nomor {i}" for i in range(1, 9)],
        "decisions": [
            f"Usulan nomor {i} ditetapkan sebagai prioritas ke-{i} dengan pertimbangan manfaat bagi masyarakat, "
            "kesiapan perangkat daerah pengusul, dan ketersediaan anggaran pada tahun berjalan."
            for i in range(1, 9)
        ],
        "attendees": [
            {"name": f"Peserta Rapat {i}", "position": f"Kepala Bidang {i} Perangkat Daerah"} for i in range(1, 16)
        ],
        "secretary": {"title": "Sekretaris,", "name": "DWI ANGGRAINI"},
        "chair": {"title": "Ketua,", "name": "BAMBANG WICAKSONO"},
    }
    printable = official.build(DocumentKind.BERITA_ACARA, data, letterhead=_letterhead(), number="100/001/BA/2026")
    context = docs.document_context(printable)
    assert _pages(render_pdf(printable.template_name, context)) == 3, _pages(
        render_pdf(printable.template_name, context)
    )
    return _timed(lambda: render_pdf(printable.template_name, context))


def _hundred_row_draft():
    tkksd = get_user_model().objects.get(username="tkksd")
    rows = [[str(i), f"Program kerja sama daerah nomor {i}", "Perangkat Daerah", "2027"] for i in range(1, 101)]
    data = {
        "title": "RENCANA PROGRAM DAN KEGIATAN KERJA SAMA DAERAH TAHUN 2027",
        "menimbang": ["bahwa perlu menetapkan rencana program dan kegiatan kerja sama daerah;"],
        "mengingat": ["Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah;"],
        "diktum": ["Menetapkan rencana program sebagaimana tercantum dalam Lampiran.", "Berlaku sejak ditetapkan."],
        "place": "Sleman",
        "signer_title": "BUPATI SLEMAN,",
        "signer_name": "HARJONO PRAWIRO",
        "lampiran": {
            "heading": "RENCANA PROGRAM DAN KEGIATAN KERJA SAMA DAERAH",
            "table": {"columns": ["No", "Program", "Pelaksana", "Tahun"], "rows": rows},
        },
    }
    return official.create_draft(
        actor=tkksd,
        kind=DocumentKind.KEPUTUSAN,
        series=official.series_for("keputusan-bupati"),
        title="Rencana program (bench)",
        data=data,
    )


def hundred_row_issue_request() -> list[float]:
    """What the Bupati's click waits for when issuing a 100-row lampiran: number, snapshot, queue."""
    bupati = get_user_model().objects.get(username="bupati")
    seconds = []
    # The render job is queued, not handed to Celery (which, without a broker, would render it
    # here and then): the click is timed alone, and the task below renders the queued jobs.
    with mock.patch.object(jobs, "publish_on_commit", lambda task, *args: None):
        for _ in range(RUNS):
            draft = _hundred_row_draft()
            started = time.perf_counter()
            with transaction.atomic():
                official.issue_document(draft, actor=bupati, issue_date=timezone.localdate())
            seconds.append(time.perf_counter() - started)
    return seconds


def hundred_row_render_task() -> list[float]:
    """The Celery task that renders it afterwards, progress included."""
    from registry import tasks
    from registry.models import RenderJob

    jobs = list(
        RenderJob.objects.filter(state=RenderJob.State.QUEUED, document__title="Rencana program (bench)")[:RUNS]
    )
    seconds = []
    for job in jobs:
        started = time.perf_counter()
        tasks.render_official_document(job.pk)
        seconds.append(time.perf_counter() - started)
    return seconds
