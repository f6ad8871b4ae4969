"""Finding the header row of a register and matching its columns to the registry's fields.

Registers put one or more title rows above the table, sometimes two header rows (a merged
"Nomor" over "Pihak I" and "Pihak II"), and often a row numbering the columns under the
headers. The header is the row (or pair of rows) whose cells name the most known columns.
"""

import hashlib
import json

from django.utils.translation import gettext_lazy as _

from .values import folded

IGNORE = ""

# The fields a column can feed, in the order the mapping form lists them.
FIELDS = {
    "title": _("Title (judul/perihal/tentang)"),
    "own_number": _("Our number (Pihak I)"),
    "partner_number": _("Partner's number (Pihak II)"),
    "signed_date": _("Date signed"),
    "partner": _("Partner(s)"),
    "kind": _("Kind of cooperation"),
    "duration": _("Term (jangka waktu)"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "lead_opd": _("Lead OPD"),
    "value": _("Value (Rp)"),
    "object": _("Object"),
    "scope": _("Scope"),
    "urusan": _("Urusan"),
    "notes": _("Notes (keterangan)"),
}

# Headers as offices write them, folded (registry.imports.values.folded); the longest match wins.
ALIASES = {
    "title": [
        "judul",
        "judul kerja sama",
        "judul kerjasama",
        "judul perjanjian",
        "perihal",
        "tentang",
        "nama kerja sama",
        "nama kerjasama",
        "nama perjanjian",
        "uraian",
        "uraian kerja sama",
        "kerja sama",
        "kerjasama",
    ],
    "own_number": [
        "nomor",
        "nomor pihak i",
        "nomor pihak 1",
        "nomor pihak pertama",
        "nomor pihak kesatu",
        "no pihak i",
        "no pihak pertama",
        "nomor pemda",
        "nomor pemkab",
        "nomor pemerintah daerah",
        "nomor naskah",
        "nomor perjanjian",
        "nomor pks",
        "nomor kerja sama",
        "no perjanjian",
    ],
    "partner_number": [
        "nomor pihak ii",
        "nomor pihak 2",
        "nomor pihak kedua",
        "no pihak ii",
        "no pihak kedua",
        "nomor mitra",
    ],
    "signed_date": [
        "tanggal",
        "tgl",
        "tanggal penandatanganan",
        "tanggal ttd",
        "tanggal naskah",
        "tanggal perjanjian",
        "tgl penandatanganan",
        "tanggal kerja sama",
    ],
    "partner": [
        "mitra",
        "nama mitra",
        "mitra kerja sama",
        "mitra kerjasama",
        "pihak kedua",
        "pihak ii",
        "para pihak",
        "instansi mitra",
        "dengan",
    ],
    "kind": ["jenis", "jenis kerja sama", "jenis kerjasama", "jenis ksd", "bentuk kerja sama", "kategori"],
    "duration": ["jangka waktu", "masa berlaku", "durasi", "lama kerja sama", "jangka waktu kerja sama"],
    "start_date": [
        "mulai",
        "tanggal mulai",
        "berlaku mulai",
        "mulai berlaku",
        "tmt",
        "awal berlaku",
        "tanggal berlaku",
    ],
    "end_date": [
        "berakhir",
        "tanggal berakhir",
        "berlaku sampai",
        "berlaku s d",
        "sampai dengan",
        "akhir berlaku",
        "masa berakhir",
        "selesai",
        "tanggal selesai",
    ],
    "lead_opd": [
        "opd",
        "opd pengampu",
        "opd pelaksana",
        "opd terkait",
        "perangkat daerah",
        "perangkat daerah pelaksana",
        "pelaksana",
        "unit kerja",
        "skpd",
        "leading sector",
    ],
    "value": ["nilai", "nilai kerja sama", "nilai kerjasama", "nilai kontrak", "anggaran", "biaya", "nilai rp"],
    "object": ["objek", "objek kerja sama", "obyek", "obyek kerja sama"],
    "scope": ["ruang lingkup", "lingkup"],
    "urusan": ["urusan", "bidang", "bidang urusan", "urusan pemerintahan", "sektor"],
    "notes": ["keterangan", "ket", "catatan"],
}
# Columns that number the rows ("No", "No. Urut"): recognised as headers, never imported.
_ROW_NUMBER = {"no", "no urut", "nomor urut", "nmr"}
_LOOKUP = sorted(
    ((alias, field) for field, aliases in ALIASES.items() for alias in aliases), key=lambda item: -len(item[0])
)
# How far down the header row is looked for.
_SEARCH_ROWS = 30


def field_for(label) -> str | None:
    """The field a header names, IGNORE for a row-number column, None when unknown."""
    text = folded(label) if label not in ("", None) else ""
    if not text:
        return None
    text = text.replace("kerjasama", "kerja sama").replace("ke 2", "ii").replace("ke 1", "i")
    if text in _ROW_NUMBER:
        return IGNORE
    for alias, field in _LOOKUP:
        if text == alias:
            return field
    for alias, field in _LOOKUP:
        if len(alias) > 3 and (text.startswith(alias + " ") or text.endswith(" " + alias)):
            return field
    return None


def _labels(rows: list[list], index: int, pair: bool) -> list[str]:
    row = rows[index]
    if not pair:
        return [str(cell) if cell not in (None, "") else "" for cell in row]
    below = rows[index + 1]
    labels = []
    for c in range(max(len(row), len(below))):
        upper = str(row[c]) if c < len(row) and row[c] not in (None, "") else ""
        lower = str(below[c]) if c < len(below) and below[c] not in (None, "") else ""
        if upper and lower and upper != lower:
            labels.append(f"{upper} {lower}")
        else:
            labels.append(upper or lower)
    return labels


def _score(labels: list[str]) -> int:
    fields = [field_for(label) for label in labels]
    return len({field for field in fields if field})


def find_header(rows: list[list]) -> tuple[int, int, list[str]] | None:
    """(first header row, first data row, the column labels), or None when no row names at
    least two known columns."""
    best = None
    for index in range(min(_SEARCH_ROWS, len(rows))):
        candidates = [(index, index + 1, _labels(rows, index, False))]
        if index + 1 < len(rows):
            candidates.append((index, index + 2, _labels(rows, index, True)))
        for start, data, labels in candidates:
            score = _score(labels)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, start, data, labels)
    if best is None:
        return None
    _score_value, start, data, labels = best
    return start, data, labels


def auto_mapping(labels: list[str]) -> dict[str, str]:
    """Column index (as text) → field, each field taken by the first column naming it."""
    mapping: dict[str, str] = {}
    taken = set()
    for index, label in enumerate(labels):
        field = field_for(label)
        if field and field not in taken:
            mapping[str(index)] = field
            taken.add(field)
    return mapping


def header_key(labels: list[str]) -> str:
    """The identity of a set of headers, to remember a mapping for the next file like it."""
    normalised = [folded(label) for label in labels]
    while normalised and not normalised[-1]:
        normalised.pop()
    return hashlib.sha256(json.dumps(normalised).encode()).hexdigest()


def is_column_numbers(row: list) -> bool:
    """The row under the headers that numbers the columns: 1, 2, 3, … (or (1), (2), …)."""
    numbers = []
    for cell in row:
        if cell in ("", None):
            continue
        if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
            numbers.append(int(cell))
        elif isinstance(cell, str) and cell.strip("() ").isdigit():
            numbers.append(int(cell.strip("() ")))
        else:
            return False
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
