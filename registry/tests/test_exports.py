"""The agreement export as a real spreadsheet: types, formats, widths, header, filters."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Stage
from registry.tests.factories import make_agreement


@pytest.fixture
def exported(client, tkksd, opd):
    make_agreement(
        tkksd,
        opd=opd,
        stage=Stage.PELAKSANAAN,
        title='=HYPERLINK("http://contoh.invalid")',
        object="@SUM(A1)",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2028, 12, 31),
        value=Decimal("1250000000.50"),
    )
    make_agreement(tkksd, opd=opd, title="Masih disiapkan")
    client.force_login(tkksd)
    response = client.get(reverse("registry:agreement_list"), {"stage": Stage.PELAKSANAAN, "export": "xlsx"})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_the_first_sheet_says_which_filter_was_used(exported):
    first = exported.worksheets[0]
    pairs = {row[0]: row[1] for row in first.iter_rows(values_only=True)}
    assert first.title == "Saring"
    assert pairs["Tahap"] == "Pelaksanaan"
    assert "Diekspor pada" in pairs


def test_dates_money_widths_frozen_header_and_filters(exported):
    sheet = exported.worksheets[1]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert sheet.max_row == 2
    assert row["Tanggal mulai"].value == dt.datetime(2024, 1, 1) and row["Tanggal mulai"].number_format == "DD-MM-YYYY"
    assert row["Tanggal berakhir"].is_date
    assert row["Nilai (Rp)"].value == 1250000000.5 and row["Nilai (Rp)"].number_format == '"Rp"#,##0.00'
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:O2"
    assert sheet.column_dimensions["B"].width == 48 and sheet[1][0].font.bold


def test_formula_like_text_stays_text_without_an_apostrophe(exported):
    sheet = exported.worksheets[1]
    title, object_cell = sheet["B2"], sheet["I2"]
    assert title.value == '=HYPERLINK("http://contoh.invalid")' and title.data_type == "s" and title.quotePrefix
    assert object_cell.value == "@SUM(A1)" and object_cell.quotePrefix
