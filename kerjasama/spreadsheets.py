"""Spreadsheets people can work with: dates as dates, amounts as numbers in Rupiah, set column
widths, a frozen header row with filters, and, where the export was filtered, a first sheet
saying how. Written in openpyxl's write-only mode, so a long export streams in little memory.

Text a spreadsheet would run as a formula (beginning with =, +, -, @) is stored as text with
Excel's "quote prefix" style: it reads as typed, with no apostrophe shown, and is never run.

openpyxl is loaded when a spreadsheet is first written (``Spreadsheet()``), not when this module is
imported, so that a web worker that never exports does not carry it.
"""

import datetime as dt
import functools
import io
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.http import HttpResponse

TEXT, DATE, MONEY, NUMBER = "text", "date", "money", "number"
DATE_FORMAT = "DD-MM-YYYY"
MONEY_FORMAT = '"Rp"#,##0.00'
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make a spreadsheet read a cell as a formula (and, after them, a tab or CR).
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SheetColumn:
    title: str
    width: float = 16
    kind: str = TEXT
    wrap: bool = False


@functools.cache
def _openpyxl() -> SimpleNamespace:
    """openpyxl's pieces used here, with the shared cell styles."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    return SimpleNamespace(
        Workbook=Workbook,
        WriteOnlyCell=WriteOnlyCell,
        get_column_letter=get_column_letter,
        header_font=Font(bold=True),
        header_fill=PatternFill("solid", fgColor="DDE7F0"),
        wrap=Alignment(wrap_text=True, vertical="top"),
        top=Alignment(vertical="top"),
    )


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_SIGNS


class _Sheet:
    def __init__(self, worksheet, columns: list[SheetColumn]):
        xl = _openpyxl()
        self.worksheet = worksheet
        self.columns = columns
        self.rows = 1
        for index, column in enumerate(columns, start=1):
            worksheet.column_dimensions[xl.get_column_letter(index)].width = column.width
        worksheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = xl.WriteOnlyCell(worksheet, str(column.title))
            cell.font, cell.fill, cell.alignment = xl.header_font, xl.header_fill, xl.wrap
            header.append(cell)
        worksheet.append(header)

    def append(self, values) -> None:
        self.worksheet.append([self._cell(column, value) for column, value in zip(self.columns, values, strict=False)])
        self.rows += 1

    def _cell(self, column: SheetColumn, value):
        if value is None or value == "":
            return None
        xl = _openpyxl()
        cell_of = xl.WriteOnlyCell
        if column.kind == DATE and isinstance(value, dt.date):
            cell = cell_of(self.worksheet, value)
            cell.number_format = DATE_FORMAT
            return cell
        if column.kind == MONEY and isinstance(value, Decimal | int | float):
            cell = cell_of(self.worksheet, float(value))
            cell.number_format = MONEY_FORMAT
            return cell
        if isinstance(value, Decimal):
            value = float(value)
        cell = cell_of(self.worksheet, value)
        if is_formula_like(value):
            # Text, not a formula: stored as a string with the quote prefix, shown as typed.
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.alignment = xl.wrap if column.wrap else xl.top
        return cell

    def close(self) -> None:
        last = _openpyxl().get_column_letter(len(self.columns))
        self.worksheet.auto_filter.ref = f"A1:{last}{max(self.rows, 2)}"


class Spreadsheet:
    """A workbook of sheets, each with its columns; `filters_sheet` first when the data was filtered."""

    def __init__(self):
        self.workbook = _openpyxl().Workbook(write_only=True)
        self.sheets: list[_Sheet] = []

    def filters_sheet(self, title: str, pairs) -> None:
        """A sheet of labels and values: the filter used, when the export was made, by whom."""
        worksheet = self.workbook.create_sheet(title[:31])
        worksheet.column_dimensions["A"].width = 28
        worksheet.column_dimensions["B"].width = 70
        xl = _openpyxl()
        for label, value in pairs:
            label_cell = xl.WriteOnlyCell(worksheet, str(label))
            label_cell.font = xl.header_font
            value_cell = xl.WriteOnlyCell(worksheet, value)
            if isinstance(value, dt.date):
                value_cell.number_format = DATE_FORMAT
            if is_formula_like(value):
                value_cell.data_type = "s"
                value_cell.quotePrefix = True
            worksheet.append([label_cell, value_cell])

    def sheet(self, title: str, columns: list[SheetColumn]) -> _Sheet:
        sheet = _Sheet(self.workbook.create_sheet(title[:31]), columns)
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self.sheets:
            sheet.close()
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def response(self, filename: str) -> HttpResponse:
        response = HttpResponse(self.to_bytes(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
