"""Reference data shipped with the app, loaded idempotently by a migration and by
`manage.py load_reference_data`.

Regions: the npm package idn-area-data 4.0.1 (data under ODbL, see data/LICENSE-idn-area-data.md),
built from the latest Kepmendagri on kode dan data wilayah: 38 provinces, 416 kabupaten, 98 kota.
Urusan: UU 23/2014 Pasal 12, exact names, numbered as in Permendagri 90/2019.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

ROLE_GROUPS = ("TKKSD", "PPKSD", "DPRD", "Pimpinan", "Admin")

# (code, name, classification, mostly provincial)
URUSAN = [
    ("1.01", "pendidikan", "wajib_dasar", False),
    ("1.02", "kesehatan", "wajib_dasar", False),
    ("1.03", "pekerjaan umum dan penataan ruang", "wajib_dasar", False),
    ("1.04", "perumahan rakyat dan kawasan permukiman", "wajib_dasar", False),
    ("1.05", "ketenteraman, ketertiban umum, dan pelindungan masyarakat", "wajib_dasar", False),
    ("1.06", "sosial", "wajib_dasar", False),
    ("2.07", "tenaga kerja", "wajib_non_dasar", False),
    ("2.08", "pemberdayaan perempuan dan pelindungan anak", "wajib_non_dasar", False),
    ("2.09", "pangan", "wajib_non_dasar", False),
    ("2.10", "pertanahan", "wajib_non_dasar", False),
    ("2.11", "lingkungan hidup", "wajib_non_dasar", False),
    ("2.12", "administrasi kependudukan dan pencatatan sipil", "wajib_non_dasar", False),
    ("2.13", "pemberdayaan masyarakat dan Desa", "wajib_non_dasar", False),
    ("2.14", "pengendalian penduduk dan keluarga berencana", "wajib_non_dasar", False),
    ("2.15", "perhubungan", "wajib_non_dasar", False),
    ("2.16", "komunikasi dan informatika", "wajib_non_dasar", False),
    ("2.17", "koperasi, usaha kecil, dan menengah", "wajib_non_dasar", False),
    ("2.18", "penanaman modal", "wajib_non_dasar", False),
    ("2.19", "kepemudaan dan olah raga", "wajib_non_dasar", False),
    ("2.20", "statistik", "wajib_non_dasar", False),
    ("2.21", "persandian", "wajib_non_dasar", False),
    ("2.22", "kebudayaan", "wajib_non_dasar", False),
    ("2.23", "perpustakaan", "wajib_non_dasar", False),
    ("2.24", "kearsipan", "wajib_non_dasar", False),
    ("3.25", "kelautan dan perikanan", "pilihan", True),
    ("3.26", "pariwisata", "pilihan", False),
    ("3.27", "pertanian", "pilihan", False),
    ("3.28", "kehutanan", "pilihan", True),
    ("3.29", "energi dan sumber daya mineral", "pilihan", True),
    ("3.30", "perdagangan", "pilihan", False),
    ("3.31", "perindustrian", "pilihan", False),
    ("3.32", "transmigrasi", "pilihan", False),
]


def _rows(filename: str):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_regions(Province, Regency) -> tuple[int, int]:
    """Insert or update every province and kabupaten/kota. Returns the two counts."""
    provinces = [Province(code=row["code"], name=row["name"]) for row in _rows("provinces.csv")]
    Province.objects.bulk_create(provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name"])
    regencies = [
        Regency(
            code=row["code"],
            province_id=row["province_code"],
            name=row["name"],
            kind="kota" if row["name"].startswith("Kota ") else "kabupaten",
        )
        for row in _rows("regencies.csv")
    ]
    Regency.objects.bulk_create(
        regencies,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name", "kind"],
    )
    return len(provinces), len(regencies)


def load_urusan(Urusan) -> int:
    for code, name, classification, provincial in URUSAN:
        Urusan.objects.update_or_create(
            code=code,
            defaults={"name": name, "classification": classification, "mostly_provincial": provincial},
        )
    return len(URUSAN)


def ensure_role_groups(Group) -> None:
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
