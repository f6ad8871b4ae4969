"""The periodic report to the Gubernur and the Menteri Dalam Negeri: PDF and XLSX from the same rows."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from monitoring import evaluations, periodic
from monitoring.models import Recommendation
from registry.models import Agreement, EndReason, Kind, Stage
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


@pytest.mark.django_db
def test_the_pdf_has_the_summary_the_list_and_the_evaluation(register):
    text = pdf_text(periodic.pdf(periodic.Period(2026, periodic.Part.YEAR), date(2027, 1, 15)))
    assert "LAPORAN PENYELENGGARAAN KERJA SAMA DAERAH" in text
    assert "TAHUN 2026" in text
    assert "Gubernur Daerah Istimewa Yogyakarta" in text
    assert "Menteri Dalam Negeri" in text
    assert "Angkutan Perkotaan" in text
    assert "rekomendasi" in text and "nilai 3,75" in text
    assert "Belum dievaluasi" in text
    assert "Ditarik" not in text
    assert "15 Januari 2027" in text
    assert "Jumlah" in text


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
    totals = {row[0]: row[-1] for row in workbook["Rekapitulasi"].iter_rows(min_row=2, values_only=True)}
    assert totals["Jumlah"] == 3
    assert totals["KSDD"] == 2


@pytest.mark.django_db
def test_the_page_downloads_the_pdf_and_survives_bad_input(client, register, tkksd):
    client.force_login(tkksd)
    url = reverse("monitoring:periodic_report")
    response = client.get(url, {"year": "2026", "part": "1", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "SEMESTER I TAHUN 2026" in pdf_text(response.content)
    for query in ({"year": "abc", "format": "pdf"}, {"year": "1900", "part": "x", "format": "xlsx"}, {"format": "doc"}):
        assert client.get(url, query).status_code == 200


@pytest.mark.django_db
def test_a_period_too_long_to_print_asks_for_the_spreadsheet(client, register, tkksd, monkeypatch):
    monkeypatch.setattr(periodic, "PDF_MAX_ROWS", 2)
    client.force_login(tkksd)
    response = client.get(reverse("monitoring:periodic_report"), {"year": "2026", "part": "year", "format": "pdf"})
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_a_semester_is_titled_with_its_roman_numeral():
    assert periodic.Period(2026, periodic.Part.SECOND).titled == "Semester II Tahun 2026"
    assert periodic.Period(2026, periodic.Part.FIRST).titled == "Semester I Tahun 2026"
    assert periodic.Period(2026, periodic.Part.YEAR).titled == "Tahun 2026"


@pytest.mark.django_db
def test_the_semester_pdf_never_reads_semester_ii_in_title_case(register):
    content = periodic.pdf(periodic.Period(2025, periodic.Part.SECOND), date(2026, 1, 15))
    assert "Ii" not in pdf_text(content).replace("Indonesia", "")
