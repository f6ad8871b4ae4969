"""The periodic report to the Gubernur and the Menteri Dalam Negeri: the Bupati's letter with its
lampiran, and the XLSX, from the same rows."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from monitoring import evaluations, periodic
from monitoring.models import Recommendation
from registry import official
from registry.models import Agreement, EndReason, Kind, OfficialDocument, Stage
from registry.tests.factories import PemdaProfileFactory, make_agreement

from .helpers import evaluation_data, running


@pytest.fixture
def register(tkksd, opd):
    PemdaProfileFactory()
    kept = running(tkksd, opd=opd, title="Angkutan Perkotaan", start=date(2025, 1, 1), end=date(2027, 12, 31))
    evaluations.finalise_evaluation(
        evaluations.create_evaluation(
            kept,
            actor=tkksd,
            year=2025,
            data=evaluation_data(
                effectiveness=4, efficiency=4, benefit=4, compliance=3, recommendation=Recommendation.CONTINUE
            ),
            today=date(2026, 1, 10),
        ),
        actor=tkksd,
    )
    running(tkksd, opd=opd, title="Sinergi Statistik", kind=Kind.SINERGI, start=date(2026, 8, 1))
    make_agreement(tkksd, opd=opd, title="Masih Disiapkan")
    ended = running(tkksd, opd=opd, title="Selesai Lama", start=date(2019, 1, 1), end=date(2025, 6, 30))
    Agreement.objects.filter(pk=ended.pk).update(stage=Stage.BERAKHIR, end_reason=EndReason.TERM_EXPIRED)
    withdrawn = make_agreement(tkksd, opd=opd, title="Ditarik")
    Agreement.objects.filter(pk=withdrawn.pk).update(stage=Stage.DIBATALKAN)
    return kept


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text().replace("\u2010\n", "") for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_report_lists_every_ksd_of_the_period(register):
    def titles(year, part):
        return sorted(row["title"].split(".")[0] for row in periodic.rows_for(periodic.Period(year, part)))

    assert titles(2026, periodic.Part.YEAR) == ["Angkutan Perkotaan", "Masih Disiapkan", "Sinergi Statistik"]
    # Started in August; recorded in November without a start date: neither ran in the first half.
    assert titles(2026, periodic.Part.FIRST) == ["Angkutan Perkotaan"]
    assert titles(2025, periodic.Part.FIRST) == ["Angkutan Perkotaan", "Selesai Lama"]
    assert titles(2025, periodic.Part.SECOND) == ["Angkutan Perkotaan"]


@pytest.fixture
def issue_letter(django_capture_on_commit_callbacks, pimpinan):
    def run(document, issue_date):
        with django_capture_on_commit_callbacks(execute=True):
            official.issue_document(document, actor=pimpinan, issue_date=issue_date)
        document.refresh_from_db()
        return document

    return run


def pages_of(content: bytes) -> list[str]:
    return [
        " ".join(page.extract_text().replace("\u2010\n", "").split()) for page in PdfReader(io.BytesIO(content)).pages
    ]


@pytest.mark.django_db
def test_the_report_is_a_letter_of_the_bupati_with_the_list_as_its_signed_lampiran(register, tkksd, issue_letter):
    letter = periodic.draft_letter(periodic.Period(2026, periodic.Part.YEAR), actor=tkksd)
    assert letter.status == OfficialDocument.Status.DRAFT and letter.kind == "surat"
    letter = issue_letter(letter, date(2027, 1, 15))
    # A number from the Bupati's letter series.
    assert letter.number.startswith("100.3.3/") and letter.number.endswith("/KS/2027")
    pages = pages_of(letter.file.read())
    text = " ".join(pages)
    for expected in (
        "BUPATI SLEMAN PROVINSI DAERAH ISTIMEWA YOGYAKARTA",
        f"Nomor : {letter.number}",
        "Lampiran : 1 (satu) berkas",
        "Hal : Laporan Penyelenggaraan Kerja Sama Daerah Tahun 2026",
        "Yth. Gubernur Daerah Istimewa Yogyakarta",
        "tercatat 3 (tiga) kerja sama daerah",
        "Menteri Dalam Negeri Republik Indonesia",
        "15 Januari 2027",
    ):
        assert expected in text, expected
    lampiran = next(index for index, page in enumerate(pages) if page.startswith("LAMPIRAN"))
    plan = " ".join(pages[lampiran:])
    assert f"LAMPIRAN SURAT BUPATI SLEMAN NOMOR : {letter.number} TANGGAL : 15 Januari 2027" in plan
    assert "LAPORAN PENYELENGGARAAN KERJA SAMA DAERAH PEMERINTAH KABUPATEN SLEMAN TAHUN 2026" in plan
    assert "A. Rekapitulasi Menurut Jenis Kerja Sama" in plan and "Jumlah" in plan
    assert "B. Daftar Kerja Sama Daerah" in plan
    assert "Angkutan Perkotaan" in plan and "Belum dievaluasi" in plan
    assert "rekomendasi" in plan and "nilai 3,75" in plan
    assert "Ditarik" not in text
    # The lampiran is signed: it closes with the office and the name.
    assert re.search(r"BUPATI SLEMAN, Harjono Prawiro( - \d+ -)? Kode verifikasi", pages[-1])


@pytest.mark.django_db
def test_the_xlsx_has_the_same_rows(client, register, pimpinan):
    client.force_login(pimpinan)
    response = client.get(reverse("monitoring:periodic_report"), {"year": "2026", "part": "year", "format": "xlsx"})
    assert response.status_code == 200
    assert "laporan-kerja-sama-2026.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    detail = workbook["Rincian"]
    titles = sorted(row[2].split(".")[0] for row in detail.iter_rows(min_row=2, values_only=True))
    assert workbook.sheetnames == ["Keterangan", "Rincian", "Rekapitulasi"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref == "A1:K4"
    assert titles == ["Angkutan Perkotaan", "Masih Disiapkan", "Sinergi Statistik"]
    # Real dates and numbers, not text: the recipients sort and sum them.
    about = dict(workbook["Keterangan"].iter_rows(values_only=True))
    assert about["Awal periode"].date() == date(2026, 1, 1) and about["Akhir periode"].date() == date(2026, 12, 31)
    dated = [row for row in detail.iter_rows(min_row=2) if row[6].value is not None]
    assert dated and all(row[6].is_date and row[7].is_date for row in dated if row[7].value is not None)
    assert all(
        row[9] is None or isinstance(row[9], (int, float)) for row in detail.iter_rows(min_row=2, values_only=True)
    )
    totals = {row[0]: row[-1] for row in workbook["Rekapitulasi"].iter_rows(min_row=2, values_only=True)}
    assert totals["Jumlah"] == 3
    assert totals["KSDD"] == 2


@pytest.mark.django_db
def test_the_page_drafts_the_letter_and_survives_bad_input(client, register, tkksd, pimpinan, dprd):
    url = reverse("monitoring:periodic_report")
    client.force_login(tkksd)
    response = client.post(url, {"year": "2026", "part": "1"})
    letter = OfficialDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    assert letter.title == "Laporan penyelenggaraan kerja sama daerah Semester I Tahun 2026"
    assert letter.draft_data["lampiran"]["title"][-1] == "SEMESTER I TAHUN 2026"
    assert letter.title in client.get(url).content.decode()
    for query in (
        {"year": "abc", "format": "xlsx"},
        {"year": "1900", "part": "x", "format": "xlsx"},
        {"format": "doc"},
    ):
        assert client.get(url, query).status_code == 200
    for data in ({"year": "abc"}, {"year": "2026", "part": "\x00"}, {"year": "9" * 100_000, "part": "year"}):
        assert client.post(url, data).status_code == 200
    assert OfficialDocument.objects.count() == 1
    # Reading it is for everyone upward; drafting the letter is the TKKSD's, Admin's and Pimpinan's.
    client.force_login(dprd)
    assert client.post(url, {"year": "2026", "part": "year"}).status_code == 403


@pytest.mark.django_db
def test_a_period_too_long_to_print_asks_for_the_spreadsheet(client, register, tkksd, monkeypatch):
    monkeypatch.setattr(periodic, "PDF_MAX_ROWS", 2)
    client.force_login(tkksd)
    response = client.post(reverse("monitoring:periodic_report"), {"year": "2026", "part": "year"})
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not OfficialDocument.objects.exists()


def test_a_semester_is_titled_with_its_roman_numeral():
    assert periodic.Period(2026, periodic.Part.SECOND).titled == "Semester II Tahun 2026"
    assert periodic.Period(2026, periodic.Part.FIRST).titled == "Semester I Tahun 2026"
    assert periodic.Period(2026, periodic.Part.YEAR).titled == "Tahun 2026"


@pytest.mark.django_db
def test_the_semester_letter_never_reads_semester_ii_in_title_case(register, tkksd, issue_letter):
    letter = periodic.draft_letter(periodic.Period(2025, periodic.Part.SECOND), actor=tkksd)
    text = " ".join(pages_of(issue_letter(letter, date(2026, 1, 15)).file.read()))
    assert "Semester II Tahun 2025" in text and "SEMESTER II TAHUN 2025" in text
    assert "Ii" not in text.replace("Indonesia", "")
