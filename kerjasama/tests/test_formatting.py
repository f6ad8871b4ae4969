"""Indonesian dates, times, money and enumerations as printed on official documents."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kerjasama import formatting as f

# Dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 22), "22 November 2026"),
        (date(2023, 7, 1), "1 Juli 2023"),
        (date(2024, 2, 29), "29 Februari 2024"),
        (date(2025, 1, 31), "31 Januari 2025"),
        (date(2025, 8, 17), "17 Agustus 2025"),
        (date(2025, 12, 9), "9 Desember 2025"),
    ],
)
def test_long_date_spells_the_month_without_leading_zero(day, expected):
    assert f.long_date(day) == expected


def test_every_month_and_day_name_is_indonesian():
    assert [f.long_date(date(2025, month, 1)).split()[1] for month in range(1, 13)] == [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    # 2026-11-23 is a Monday.
    week = [f.weekday_date(date(2026, 11, 23 + offset)).split(",")[0] for offset in range(7)]
    assert week == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def test_weekday_date_puts_the_day_name_first():
    assert f.weekday_date(date(2026, 11, 23)) == "Senin, 23 November 2026"
    assert f.weekday_date(date(2023, 7, 21)) == "Jumat, 21 Juli 2023"


def test_date_in_words_is_the_berita_acara_phrase():
    assert f.date_in_words(date(2023, 7, 21)) == (
        "Jumat tanggal dua puluh satu bulan Juli tahun dua ribu dua puluh tiga"
    )
    assert f.date_in_words(date(2026, 11, 23)) == (
        "Senin tanggal dua puluh tiga bulan November tahun dua ribu dua puluh enam"
    )
    assert f.date_in_words(date(2030, 1, 11)) == ("Jumat tanggal sebelas bulan Januari tahun dua ribu tiga puluh")
    assert f.date_in_words(date(2100, 10, 1)) == "Jumat tanggal satu bulan Oktober tahun dua ribu seratus"


def test_numeric_date_is_zero_padded_day_month_year():
    assert f.numeric_date(date(2023, 7, 1)) == "01-07-2023"
    assert f.numeric_date(date(2026, 11, 22)) == "22-11-2026"


def test_a_datetime_prints_its_own_date():
    assert f.long_date(datetime(2026, 11, 22, 23, 59)) == "22 November 2026"


def test_dates_stay_indonesian_whatever_the_interface_language():
    with translation.override("en"):
        assert f.weekday_date(date(2026, 8, 17)) == "Senin, 17 Agustus 2026"


@pytest.mark.parametrize(("month", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (10, "X"), (11, "XI"), (12, "XII")])
def test_roman_month(month, roman):
    assert f.roman_month(month) == roman


@pytest.mark.parametrize("month", [0, 13, -1])
def test_roman_month_refuses_a_month_that_does_not_exist(month):
    with pytest.raises(ValueError):
        f.roman_month(month)


# Times -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
    ],
)
def test_time_with_zone_labels_the_indonesian_zones_by_offset(zone, label):
    assert f.time_with_zone(time(9, 0), zone) == f"pukul 09.00 {label}"


def test_time_with_zone_converts_an_aware_datetime_to_the_zone():
    noon_utc = datetime(2026, 11, 22, 5, 30, tzinfo=UTC)
    assert f.time_with_zone(noon_utc, "Asia/Jakarta") == "pukul 12.30 WIB"
    assert f.time_with_zone(noon_utc, "Asia/Makassar") == "pukul 13.30 WITA"
    assert f.time_with_zone(noon_utc, "Asia/Jayapura") == "pukul 14.30 WIT"


def test_time_with_zone_takes_a_naive_datetime_as_local_time():
    assert f.time_with_zone(datetime(2026, 11, 22, 7, 5), "Asia/Jakarta") == "pukul 07.05 WIB"


def test_a_zone_label_follows_the_offset_and_shows_any_other_offset_as_is():
    # The label is derived from the offset, so a zone sharing WIT's offset reads WIT.
    assert f.zone_label("Asia/Tokyo") == "WIT"
    assert f.zone_label("Asia/Kolkata") == "UTC+05:30"
    assert f.zone_label("UTC") == "UTC+0"
    assert f.zone_label("America/Sao_Paulo") == "UTC-3"


# Money -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "figures"),
    [
        (0, "Rp0,00"),
        (1, "Rp1,00"),
        (999, "Rp999,00"),
        (1000, "Rp1.000,00"),
        (1_250_000, "Rp1.250.000,00"),
        (Decimal("1250000.5"), "Rp1.250.000,50"),
        (Decimal("0.075"), "Rp0,08"),
        (Decimal("2500000000.00"), "Rp2.500.000.000,00"),
        (-1_250_000, "-Rp1.250.000,00"),
        (Decimal("-0.5"), "-Rp0,50"),
    ],
)
def test_rupiah_has_no_space_dots_for_thousands_and_comma_for_sen(amount, figures):
    assert f.rupiah(amount) == figures


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1, "satu rupiah"),
        (11, "sebelas rupiah"),
        (15, "lima belas rupiah"),
        (100, "seratus rupiah"),
        (111, "seratus sebelas rupiah"),
        (1000, "seribu rupiah"),
        (1001, "seribu satu rupiah"),
        (2000, "dua ribu rupiah"),
        (11_000, "sebelas ribu rupiah"),
        (100_000, "seratus ribu rupiah"),
        (1_000_000, "satu juta rupiah"),
        (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
        (1_000_000_000, "satu miliar rupiah"),
        (2_500_000_000, "dua miliar lima ratus juta rupiah"),
        (1_000_000_000_000, "satu triliun rupiah"),
        (Decimal("1000.50"), "seribu rupiah lima puluh sen"),
        (Decimal("0.05"), "lima sen"),
        (Decimal("0.999"), "satu rupiah"),
        (-1000, "minus seribu rupiah"),
    ],
)
def test_terbilang(amount, words):
    assert f.terbilang(amount) == words


def test_terbilang_never_writes_milyar_or_satu_ribu():
    words = f.terbilang(3_001_001_000)
    assert words == "tiga miliar satu juta seribu rupiah"
    assert "milyar" not in words
    assert "satu ribu" not in words


def test_rupiah_with_words():
    assert f.rupiah_with_words(1_250_000) == ("Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah)")


@pytest.mark.parametrize("amount", [1.5, 1e6, True])
def test_money_refuses_floats_and_booleans(amount):
    with pytest.raises(TypeError):
        f.rupiah(amount)
    with pytest.raises(TypeError):
        f.terbilang(amount)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity")])
def test_money_refuses_non_finite_amounts(amount):
    with pytest.raises(ValueError):
        f.rupiah(amount)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (11, "sebelas"),
        (2026, "dua ribu dua puluh enam"),
        (21_000, "dua puluh satu ribu"),
        (101_000, "seratus satu ribu"),
        (1_001_000, "satu juta seribu"),
        (1_000_001_000, "satu miliar seribu"),
        (1_001_001, "satu juta seribu satu"),
        (1_000_000_000_001, "satu triliun satu"),
        (-7, "minus tujuh"),
    ],
)
def test_number_in_words(number, words):
    assert f.number_in_words(number) == words


def test_number_in_words_refuses_what_it_cannot_write():
    with pytest.raises(TypeError):
        f.number_in_words("11")
    with pytest.raises(ValueError):
        f.number_in_words(10**18)


# Enumerations ------------------------------------------------------------------------------------------


def test_diktum_ordinals_up_to_twenty_one():
    assert [f.diktum_ordinal(n) for n in range(1, 22)] == [
        "KESATU",
        "KEDUA",
        "KETIGA",
        "KEEMPAT",
        "KELIMA",
        "KEENAM",
        "KETUJUH",
        "KEDELAPAN",
        "KESEMBILAN",
        "KESEPULUH",
        "KESEBELAS",
        "KEDUA BELAS",
        "KETIGA BELAS",
        "KEEMPAT BELAS",
        "KELIMA BELAS",
        "KEENAM BELAS",
        "KETUJUH BELAS",
        "KEDELAPAN BELAS",
        "KESEMBILAN BELAS",
        "KEDUA PULUH",
        "KEDUA PULUH SATU",
    ]


def test_letter_items_double_after_z():
    assert [f.letter_item(n) for n in (1, 2, 3, 26, 27, 28, 52, 53)] == [
        "a",
        "b",
        "c",
        "z",
        "aa",
        "bb",
        "zz",
        "aaa",
    ]


@pytest.mark.parametrize("function", [f.diktum_ordinal, f.letter_item])
def test_enumerations_start_at_one(function):
    with pytest.raises(ValueError):
        function(0)


# Template filters --------------------------------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load indonesian %}" + source).render(Context(context))


def test_filters_format_objects_and_the_iso_strings_of_a_json_snapshot():
    for day in (date(2023, 7, 21), "2023-07-21"):
        assert render("{{ d|tanggal_panjang }}", d=day) == "21 Juli 2023"
        assert render("{{ d|tanggal_hari }}", d=day) == "Jumat, 21 Juli 2023"
        assert render("{{ d|tanggal_terbilang }}", d=day).startswith("Jumat tanggal dua puluh satu")
        assert render("{{ d|tanggal_angka }}", d=day) == "21-07-2023"
        assert render("{{ d|bulan_romawi }}", d=date(2023, 7, 21)) == "VII"
    for amount in (Decimal("1250000"), 1_250_000, "1250000.00"):
        assert render("{{ a|rupiah }}", a=amount) == "Rp1.250.000,00"
        assert render("{{ a|terbilang }}", a=amount) == "satu juta dua ratus lima puluh ribu rupiah"
        assert render("{{ a|rupiah_terbilang }}", a=amount) == (
            "Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah)"
        )
    assert render('{{ t|pukul:"Asia/Makassar" }}', t="09:00") == "pukul 09.00 WITA"
    assert render("{{ n|diktum }} {{ n|huruf }} {{ m|bulan_romawi }}", n=12, m=11) == "KEDUA BELAS l XI"


def test_filters_print_nothing_for_an_empty_value():
    assert render("[{{ d|tanggal_panjang }}{{ a|rupiah }}{{ a|terbilang }}]", d="", a=None) == "[]"


def test_filters_fail_loudly_on_an_unreadable_amount():
    with pytest.raises(ValueError):
        render("{{ a|rupiah }}", a="satu juta")


def test_filters_ignore_the_interface_language():
    with translation.override("en"):
        assert render("{{ d|tanggal_hari }}", d=date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
