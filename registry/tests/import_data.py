"""Registers as offices keep them, built with openpyxl for the import tests."""

import datetime as dt
import io

from openpyxl import Workbook

HEADERS = [
    "No",
    "Judul / Perihal",
    "Nomor",
    "Nomor",
    "Tanggal",
    "Mitra",
    "Jangka Waktu",
    "Berakhir",
    "OPD",
    "Nilai (Rp)",
    "Jenis",
    "Keterangan",
]
SUBHEADERS = ["", "", "Pihak I", "Pihak II", "", "", "", "", "", "", "", ""]

# (title, own no., partner no., date, partner, term, end, OPD, value, kind, notes) and the outcome.
MESSY_ROWS = [
    (
        (
            "Pengelolaan Sampah Regional",
            "100.3.3/011/KS/2023",
            "658/12/2023",
            dt.datetime(2023, 3, 12),
            "Pemkot Yogyakarta",
            "5 tahun",
            "",
            "Dinas Lingkungan Hidup",
            "Rp 1.250.000.000,-",
            "KSDD",
            "Asli di arsip",
        ),
        "new",
    ),
    (
        (
            "Penanganan Banjir Kali Code",
            "100.3.3/004/KS/2021",
            "415/77/2021",
            "12-03-2021",
            "Kab. Bantul",
            "5 (lima) tahun",
            "",
            "DLH",
            500000000,
            "",
            "",
        ),
        "new",
    ),
    (
        (
            "Reaktivasi Jalur Kereta Wisata",
            "100.3.3/005/KS/2021",
            "KA.203/III/2021",
            "12/03/2021",
            "PT. KAI (Persero)",
            "60 bulan",
            "",
            "Dinas Perhubungan",
            "Rp1.500.000,00",
            "",
            "",
        ),
        "new",
    ),
    (
        (
            "Pengabdian Masyarakat Kesehatan",
            "100.3.3/006/KS/2021",
            "UGM/12/2021",
            "12 Maret 2021",
            "Universitas Gadjah Mada",
            "s.d. 31 Desember 2027",
            "",
            "Dinas Perhubungan",
            "",
            "",
            "",
        ),
        "error",
    ),
    (
        (
            "Pengelolaan Pasar Perbatasan",
            "100.3.3/007/KS/2021",
            "11/2021",
            "Maret 2021",
            "Kabupaten Kalasan",
            "5 tahun",
            "",
            "Dinas Perhubungan",
            "",
            "KSDD",
            "",
        ),
        "error",
    ),
    # A heading between the years: skipped, never a row.
    (("TAHUN 2022", "", "", "", "", "", "", "", "", "", ""), None),
    (
        (
            "Promosi Wisata Bersama",
            "100.3.3/001/KS/2022",
            "556/1/2022",
            44562,
            "Pemprov DIY",
            "2 tahun",
            "",
            "Dinas Perhubungan",
            "",
            "KSDD",
            "",
        ),
        "new",
    ),
    (
        (
            "Rencana Jalur Sepeda",
            "",
            "",
            "",
            "Pemkot Yogyakarta",
            "",
            "",
            "Dinas Perhubungan",
            "=1000*1000",
            "KSDD",
            "Belum ditandatangani",
        ),
        "new",
    ),
    # The first row again.
    (
        (
            "Pengelolaan Sampah Regional",
            "100.3.3/011/KS/2023",
            "658/12/2023",
            dt.datetime(2023, 3, 12),
            "Pemkot Yogyakarta",
            "5 tahun",
            "",
            "Dinas Lingkungan Hidup",
            "Rp 1.250.000.000,-",
            "KSDD",
            "",
        ),
        "error",
    ),
    (
        (
            "Air Minum Lintas Batas",
            "100.3.3/009/KS/2021",
            "690/9/2021",
            "31-02-2021",
            "Pemkot Yogyakarta",
            "5 tahun",
            "",
            "Dinas Perhubungan",
            "",
            "KSDD",
            "",
        ),
        "error",
    ),
    (
        (
            "@SUM(A1:A9)",
            "100.3.3/010/KS/2021",
            "690/10/2021",
            "01-04-2021",
            "Pemkot Yogyakarta",
            "5 tahun",
            "",
            "Dinas Perhubungan",
            "",
            "KSDD",
            "",
        ),
        "error",
    ),
]
# The sheet's row number of each data row above (1-based): two title rows, a blank row, two
# header rows and the row numbering the columns come first.
FIRST_DATA_ROW = 7


def expected_outcomes() -> dict[int, str]:
    return {
        FIRST_DATA_ROW + index: outcome for index, (_values, outcome) in enumerate(MESSY_ROWS) if outcome is not None
    }


def messy_workbook(rows=None, *, extra_sheet: bool = False) -> bytes:
    """The register of the Bagian Kerja Sama: merged title rows, a two-row header with a merged
    "Nomor" over "Pihak I" and "Pihak II", a row numbering the columns, dates in every style,
    a formula, a duplicate, unknown partners, a bad date, a heading row between years."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2021-2023"
    sheet.append(["DAFTAR KERJA SAMA DAERAH PEMERINTAH KABUPATEN SLEMAN"])
    sheet.merge_cells("A1:L1")
    sheet.append(["TAHUN 2021 - 2023"])
    sheet.merge_cells("A2:L2")
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(SUBHEADERS)
    for column in "ABEFGHIJKL":
        sheet.merge_cells(f"{column}4:{column}5")
    sheet.merge_cells("C4:D4")
    sheet.append(list(range(1, 13)))
    number = 0
    for values, _outcome in rows if rows is not None else MESSY_ROWS:
        if values[1]:
            number += 1
            sheet.append([number, *values])
        else:
            sheet.append(["", *values])
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW):
        if isinstance(row[4].value, dt.datetime):
            row[4].number_format = "dd/mm/yyyy"
    if extra_sheet:
        workbook.create_sheet("Catatan").append(["Catatan", "Tidak ada"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_workbook(rows: list[list], headers=("Judul", "Mitra", "Tanggal", "Jangka Waktu", "OPD", "Jenis")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
