"""Reading an uploaded register: .xlsx and .ods through calamine (fast, cached values), .csv in
UTF-8 or Windows-1252 with `,` or `;`; anything else refused with a message saying why.

A formula is never evaluated here: a workbook cell's value is the result Excel or LibreOffice
stored with it, and the formula itself is reported (openpyxl reads which cells hold one).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.errors import ServiceError


class ImportFileError(ServiceError):
    """The file cannot be read as a register; `message` says why, in the user's language."""


XLSX, ODS, CSV = "xlsx", "ods", "csv"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# "EncryptionInfo" in UTF-16: the stream an encrypted Office file carries inside its OLE container.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# A workbook unpacking to more than this many times its size is refused (a "zip bomb").
_MAX_EXPANSION = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Table:
    """The cells of one sheet as read (text, numbers, dates, booleans), with what was noticed."""

    file_format: str
    sheet_names: list[str]
    sheet: str
    rows: list[list]
    # (row, column) → the formula text, for cells that hold a formula.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def detect_format(content: bytes, name: str = "") -> str:
    """XLSX, ODS or CSV from the bytes themselves; raises ImportFileError for anything else."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if content.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in content[:1_000_000]:
            raise ImportFileError(
                _("The workbook is protected with a password. Save it again without a password and upload it again.")
            )
        raise ImportFileError(
            _(
                "This is an old Excel workbook (.xls). Open it in Excel or LibreOffice, save it as an Excel "
                "workbook (.xlsx) and upload that file."
            )
        )
    if content.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
                mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
            raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
        if unpacked > _MAX_EXPANSION * max(len(content), settings.IMPORT_MAX_BYTES // 4):
            raise ImportFileError(_("The workbook is too large once unpacked to be read."))
        if "xl/workbook.xml" in names:
            return XLSX
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return ODS
        raise ImportFileError(_("This file is not a spreadsheet. Upload an .xlsx, .ods or .csv file."))
    if b"\x00" in content[:65536]:
        raise ImportFileError(_("This file is not a spreadsheet. Upload an .xlsx, .ods or .csv file."))
    if name.lower().endswith((".xlsx", ".ods", ".xls")):
        # Named as a workbook, but not one inside.
        raise ImportFileError(_("The workbook is damaged and cannot be read."))
    return CSV


def sheet_names(content: bytes, file_format: str) -> list[str]:
    if file_format == CSV:
        return []
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        return [
            sheet.name
            for sheet in workbook.sheets_metadata
            if str(sheet.typ).endswith("WorkSheet") and str(sheet.visible).endswith("Visible")
        ] or list(workbook.sheet_names)
    except python_calamine.CalamineError:
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None


def read_table(content: bytes, file_format: str, *, sheet: str = "") -> Table:
    """The cells of `sheet` (the first visible one when empty); raises ImportFileError."""
    if file_format == CSV:
        rows = _read_csv(content)
        table = Table(CSV, [], "", rows)
    else:
        table = _read_workbook(content, file_format, sheet)
    _check_size(table.rows)
    table.rows = [[_clean(value) for value in row] for row in table.rows]
    while table.rows and not any(value != "" for value in table.rows[-1]):
        table.rows.pop()
    if not table.rows:
        raise ImportFileError(_("The sheet is empty."))
    return table


def _check_size(rows: list[list]) -> None:
    if len(rows) > settings.IMPORT_MAX_ROWS + 50:
        raise ImportFileError(
            _("The sheet has %(count)s rows; at most %(limit)s can be imported at once. Split the file.")
            % {"count": f"{len(rows):,}".replace(",", "."), "limit": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
        )
    width = max((len(row) for row in rows), default=0)
    if width > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(
            _("The sheet has %(count)s columns; a register has at most %(limit)s. Remove the columns not needed.")
            % {"count": width, "limit": settings.IMPORT_MAX_COLUMNS}
        )


def _clean(value):
    if isinstance(value, str):
        return _CONTROL.sub("", value).strip()
    if value is None:
        return ""
    return value


def _read_workbook(content: bytes, file_format: str, sheet: str) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = sheet_names(content, file_format)
        if not names:
            raise ImportFileError(_("The workbook has no sheet."))
        if sheet and sheet not in workbook.sheet_names:
            raise ImportFileError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
        chosen = sheet or names[0]
        data = workbook.get_sheet_by_name(chosen)
        if data.height > settings.IMPORT_MAX_ROWS + 50 or data.width > settings.IMPORT_MAX_COLUMNS:
            _check_size([[None] * data.width] * data.height)
        rows = data.to_python(skip_empty_area=False)
        merged = data.merged_cell_ranges or []
    except python_calamine.CalamineError:
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
    rows = [list(row) for row in rows]
    _fill_merged(rows, merged)
    formulas = _formulas(content, chosen) if file_format == XLSX else {}
    return Table(file_format, names, chosen, rows, formulas)


def _fill_merged(rows: list[list], merged) -> None:
    """A merged range shows its first cell's value across the range, as people read it."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


def _formulas(content: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """Which cells hold a formula: read only when the sheet has one (its XML has an <f> element)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if not any(b"<f" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")):
                return {}
        from openpyxl import load_workbook  # loaded on the first import of a workbook only

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            found = {}
            for r, row in enumerate(workbook[sheet].iter_rows()):
                for c, cell in enumerate(row):
                    if getattr(cell, "data_type", None) == "f":
                        found[(r, c)] = str(cell.value)
            return found
        finally:
            workbook.close()
    except Exception:
        return {}


def _read_csv(content: bytes) -> list[list]:
    text = _decode(content)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > settings.IMPORT_MAX_ROWS + 50:
                break
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed and cannot be read.")) from None
    return rows


def _decode(content: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252, the
    encoding Excel on Windows saves "CSV" in."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")
