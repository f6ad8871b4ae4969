"""Indonesian formatting for official documents (docs/domain.md §9, domain-sources.md §10).

Pure functions with no dependency on the active Django language: a Keputusan, a Berita Acara or a
letter is Indonesian whatever language the person printing it reads the interface in, so month and day
names are spelled out here rather than taken from the locale machinery.

Dates are formatted from their own fields; callers pass local dates (``timezone.localdate()``) and, for
times, either a local time or an aware datetime together with the Pemda's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from num2words import num2words

__all__ = [
    "DAY_NAMES",
    "MONTH_NAMES",
    "date_in_words",
    "diktum_ordinal",
    "letter_item",
    "long_date",
    "number_in_words",
    "numeric_date",
    "roman_month",
    "rupiah",
    "rupiah_with_words",
    "terbilang",
    "time_with_zone",
    "weekday_date",
    "zone_label",
]

#: Month names, index 0 is January (Babel CLDR id_ID, domain-sources.md §10).
MONTH_NAMES: tuple[str, ...] = (
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
)

#: Day names, index 0 is Monday as in ``date.weekday()``. "Jumat", not the non-standard "Jum'at".
DAY_NAMES: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# Indonesian time zones by their offset from UTC (Indonesia observes no daylight saving time).
_ZONE_LABELS: dict[timedelta, str] = {
    timedelta(hours=7): "WIB",
    timedelta(hours=8): "WITA",
    timedelta(hours=9): "WIT",
}

_ROMAN_MONTHS: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_CENT = Decimal("0.01")

# Names of the powers of a thousand (KBBI: "miliar", never "milyar").
_SCALES: tuple[str, ...] = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun")


# Dates -------------------------------------------------------------------------------------------------


def long_date(d: date) -> str:
    """ "22 November 2026": day without leading zero, month spelled out (Django's ``j F Y``)."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def weekday_date(d: date) -> str:
    """ "Minggu, 22 November 2026": the long date preceded by the day name."""
    return f"{DAY_NAMES[d.weekday()]}, {long_date(d)}"


def date_in_words(d: date) -> str:
    """The date as written after "Pada hari ini" in a Berita Acara.

    ``date(2023, 7, 21)`` gives "Jumat tanggal dua puluh satu bulan Juli tahun dua ribu dua puluh tiga".
    """
    return (
        f"{DAY_NAMES[d.weekday()]} tanggal {number_in_words(d.day)} "
        f"bulan {MONTH_NAMES[d.month - 1]} tahun {number_in_words(d.year)}"
    )


def numeric_date(d: date) -> str:
    """ "22-11-2026": the numeric form that follows a date in words, in brackets."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def roman_month(month: int) -> str:
    """The month in Roman numerals as used in letter numbers: 11 gives "XI".

    Raises ValueError outside 1 to 12.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, not {month}")
    return _ROMAN_MONTHS[month - 1]


# Times -------------------------------------------------------------------------------------------------


def zone_label(tz_name: str, at: datetime | None = None) -> str:
    """The Indonesian label of an IANA time zone, derived from its UTC offset.

    UTC+7 is "WIB" (Asia/Jakarta, Asia/Pontianak), UTC+8 "WITA" (Asia/Makassar), UTC+9 "WIT"
    (Asia/Jayapura). Any other offset is written "UTC+10" or "UTC+05:30" so that a misconfigured zone
    shows up on paper instead of being mislabelled. ``at`` picks the instant whose offset counts (now by
    default); it only matters for zones that change offset. Raises ``zoneinfo.ZoneInfoNotFoundError``
    for an unknown zone.
    """
    zone = ZoneInfo(tz_name)
    instant = at.astimezone(zone) if at is not None and at.tzinfo else datetime.now(zone)
    offset = instant.utcoffset() or timedelta(0)
    if offset in _ZONE_LABELS:
        return _ZONE_LABELS[offset]
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    hours, minutes = divmod(minutes, 60)
    return f"UTC{sign}{hours}" if not minutes else f"UTC{sign}{hours:02d}:{minutes:02d}"


def time_with_zone(value: time | datetime, tz_name: str) -> str:
    """ "pukul 09.00 WIB": a time of day with the zone label of ``tz_name``.

    An aware datetime is first converted to ``tz_name``; a naive datetime or a ``time`` is taken to be
    already in local time. Hours and minutes are separated by a full stop (Django's id ``TIME_FORMAT``).
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(tz_name))
        at = value if value.tzinfo is not None else None
        label = zone_label(tz_name, at)
        clock = value.time()
    else:
        label = zone_label(tz_name)
        clock = value
    return f"pukul {clock.hour:02d}.{clock.minute:02d} {label}"


# Numbers and money -------------------------------------------------------------------------------------


def number_in_words(n: int) -> str:
    """A whole number in Indonesian words: 11 "sebelas", 1000 "seribu", 1000000 "satu juta".

    A thousands group of exactly one is "seribu" wherever it stands: 1.001.000 is "satu juta seribu"
    (num2words alone writes "satu juta satu ribu"), while 21.000 stays "dua puluh satu ribu".
    Negative numbers start with "minus". Raises TypeError for anything but an int and ValueError from
    10^18 on (no amount of a Pemda comes near).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, not {type(n).__name__}")
    if n < 0:
        return f"minus {number_in_words(-n)}"
    if n == 0:
        return "nol"
    if n >= 1000 ** len(_SCALES):
        raise ValueError(f"too large to write out: {n}")
    words = []
    for power in range(len(_SCALES) - 1, -1, -1):
        group = n // 1000**power % 1000
        if not group:
            continue
        if power == 1 and group == 1:
            words.append("seribu")
        else:
            # num2words writes 1-999 correctly: "seratus", "sebelas", "seratus satu".
            words.append(f"{num2words(group, lang='id')} {_SCALES[power]}".rstrip())
    return " ".join(words)


def _money(amount: Decimal | int) -> Decimal:
    """Validate an amount of money and round it half up to whole sen.

    Floats are refused: a binary fraction cannot hold 0.10 exactly and money must not drift.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amounts of money are Decimal or int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def rupiah(amount: Decimal | int) -> str:
    """ "Rp1.250.000,00": "Rp" without a space, full stops between thousands, a comma before sen.

    Negative amounts are written "-Rp1.250.000,00" (CLDR id_ID). Amounts are rounded half up to the sen.
    Raises TypeError for floats and ValueError for NaN or infinity.
    """
    value = _money(amount)
    sign = "-" if value < 0 else ""
    rupiahs, cents = divmod(abs(value) * 100, 100)
    grouped = f"{int(rupiahs):,}".replace(",", ".")
    return f"{sign}Rp{grouped},{int(cents):02d}"


def terbilang(amount: Decimal | int) -> str:
    """The amount in words: 1250000 gives "satu juta dua ratus lima puluh ribu rupiah".

    Sen are spelled after the rupiah ("seribu rupiah lima puluh sen"); an amount below one rupiah is
    only sen ("lima puluh sen"); zero is "nol rupiah"; a negative amount starts with "minus". Amounts
    are rounded half up to the sen first. Raises TypeError for floats and ValueError for NaN or infinity.
    """
    value = _money(amount)
    if value < 0:
        return f"minus {terbilang(-value)}"
    rupiahs, cents = divmod(int(value * 100), 100)
    parts = []
    if rupiahs or not cents:
        parts.append(f"{number_in_words(rupiahs)} rupiah")
    if cents:
        parts.append(f"{number_in_words(cents)} sen")
    return " ".join(parts)


def rupiah_with_words(amount: Decimal | int) -> str:
    """ "Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah)": figures, then words in brackets."""
    return f"{rupiah(amount)} ({terbilang(amount)})"


# Enumerations ------------------------------------------------------------------------------------------


def grouped_nip(nip: str) -> str:
    """An 18-digit NIP as printed: birth date, appointment month, sex, sequence
    ("197001011990031001" -> "19700101 199003 1 001", PP 11/2017 and BKN practice). Anything
    else is returned with its spacing tidied."""
    digits = "".join(nip.split())
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return " ".join(nip.split())


def diktum_ordinal(n: int) -> str:
    """The name of the n-th diktum of a Keputusan: KESATU, KEDUA, …, KESEPULUH, KESEBELAS, KEDUA BELAS.

    "KE" followed by the number in words, in capitals (domain-sources.md §8.3); the first is "KESATU",
    never "PERTAMA". Raises ValueError for n < 1.
    """
    if n < 1:
        raise ValueError(f"a diktum is numbered from 1, not {n}")
    return f"KE{number_in_words(n).upper()}"


def letter_item(n: int) -> str:
    """The letter of the n-th item of a lettered list (Menimbang): "a" … "z", then "aa", "bb", … "zz", "aaa".

    After "z" Indonesian regulations double the letter rather than count like spreadsheet columns.
    Raises ValueError for n < 1.
    """
    if n < 1:
        raise ValueError(f"list items are numbered from 1, not {n}")
    repeat, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def term_in_words(months: int) -> str:
    """A term as letters write it, with the number in words: 60 "5 (lima) tahun", 61 "61 (enam puluh
    satu) bulan"."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} ({number_in_words(years)}) tahun"
    return f"{months} ({number_in_words(months)}) bulan"
