"""Understanding the values offices type: dates in every style, durations in words, Rupiah
amounts. Each parser returns the value or raises ValueError with a translated reason."""

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
_NUMBER_WORDS = {
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "dua belas": 12,
    "lima belas": 15,
    "dua puluh": 20,
    "dua puluh lima": 25,
    "tiga puluh": 30,
}
# Excel's day zero (its serials count from 1900-01-01 with the 1900 leap-year bug).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of plausible agreement dates: 1950 to 2100.
_SERIALS = range(18264, 73051)
# Dashes of every width, as people type "nothing".
EMPTY_MARKS = {"", "-", "--", "\u2013", "\u2014", "n/a", "na", "nihil", "tidak ada", "tidak ditentukan", "0"}


def folded(text: str) -> str:
    """Lower case, accents removed, every run of other characters one space."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in EMPTY_MARKS - {"0"}
    return False


def _valid(year: int, month: int, day: int) -> dt.date:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("There is no such date.")) from None


def parse_date(value, *, end_of_month: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial, "12-03-2021", "12/03/2021", "12.03.2021",
    "2021-03-12", "12 Maret 2021", "12 Mar 2021" or "Maret 2021" (the month's first day, or
    its last with `end_of_month`). Day first, never month first (docs/domain.md §9)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(_("This is not a date."))
    if isinstance(value, int | float):
        if int(value) in _SERIALS:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(_("This number is not a date."))
    text = str(value).strip().lower()
    text = re.sub(r"^(tanggal|tgl\.?)\s+", "", text)
    text = re.sub(r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad),?\s+", "", text)
    if re.fullmatch(r"\d{5}(\.0+)?", text) and int(float(text)) in _SERIALS:
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})", text)
    if match:
        if int(match[2]) > 12:
            raise ValueError(
                _("Write dates day first (dd-mm-yyyy); month %(month)s does not exist.") % {"month": match[2]}
            )
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    match = re.fullmatch(r"(\d{1,2})\s*[-/ ]\s*([a-z]+)\.?\s*[-/ ]\s*(\d{4}|\d{2})", text)
    if match and match[2] in MONTHS:
        return _valid(int(match[3]), MONTHS[match[2]], int(match[1]))
    match = re.fullmatch(r"([a-z]+)\.?\s*[-/ ]?\s*(\d{4})", text)
    if match and match[1] in MONTHS:
        year, month = int(match[2]), MONTHS[match[1]]
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end_of_month else 1)
    raise ValueError(_("This is not a date the register understands; write it as 12-03-2021 or 12 Maret 2021."))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_after(start: dt.date, months: int) -> dt.date:
    """The last day of a term of `months` from `start` (a 5-year term from 1 Jan 2021 ends on
    31 Dec 2025)."""
    return add_months(start, months) - dt.timedelta(days=1)


def _number(text: str) -> float | None:
    text = text.strip()
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    return _NUMBER_WORDS.get(text)


def parse_duration(value) -> tuple[int | None, dt.date | None]:
    """(months, end date) from "5 tahun", "5 (lima) tahun", "lima tahun", "60 bulan",
    "1,5 tahun", "s.d. 31 Desember 2027" or a bare number (years up to 10, months above)."""
    if isinstance(value, bool):
        raise ValueError(_("This is not a duration."))
    if isinstance(value, int | float):
        if value <= 0:
            raise ValueError(_("A duration must be more than zero."))
        return (round(value * 12) if value <= 10 else round(value)), None
    if isinstance(value, dt.date):
        return None, parse_date(value)
    text = str(value).strip().lower()
    until = re.match(r"^(s\.?\s*d\.?|sampai(\s+dengan)?|hingga|sd)\s+(.+)$", text)
    if until:
        return None, parse_date(until[3].strip(), end_of_month=True)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = " ".join(text.replace("thn", "tahun").replace("bln", "bulan").split())
    match = re.fullmatch(r"(.+?)\s*(tahun|bulan|years?|months?)", text)
    if match:
        amount = _number(match[1])
        if amount is None or amount <= 0:
            raise ValueError(_("The duration “%(value)s” cannot be read.") % {"value": value})
        months = amount * 12 if match[2].startswith(("tahun", "year")) else amount
        return round(months), None
    amount = _number(text)
    if amount is not None and amount > 0:
        return parse_duration(amount)
    raise ValueError(
        _("The duration “%(value)s” cannot be read; write it as “5 tahun” or “60 bulan”.") % {"value": value}
    )


_MULTIPLIERS = {"ribu": 3, "rb": 3, "juta": 6, "jt": 6, "miliar": 9, "milyar": 9, "m": 9, "triliun": 12, "t": 12}


def parse_amount(value) -> Decimal | None:
    """Rupiah from a number cell or "Rp 1.250.000.000,-", "Rp1.250.000,00", "1,250,000,000",
    "Rp 1,5 miliar", "500 juta"; None for an empty mark ("-", "nihil")."""
    if isinstance(value, bool):
        raise ValueError(_("This is not an amount."))
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(_("An amount cannot be negative."))
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = str(value).strip().lower()
    if text in EMPTY_MARKS:
        return None
    text = re.sub(r"^(rp\.?|idr)\s*", "", text)
    text = re.sub(r"[,.]\s*-+\s*$", "", text).strip()
    multiplier = 0
    match = re.fullmatch(r"(.+?)\s*(ribu|rb|juta|jt|miliar|milyar|m|triliun|t)\.?", text)
    if match:
        text, multiplier = match[1].strip(), _MULTIPLIERS[match[2]]
    text = text.replace(" ", "")
    if not re.fullmatch(r"\d[\d.,]*", text):
        raise ValueError(_("The amount “%(value)s” cannot be read; write it as Rp1.250.000.") % {"value": value})
    if "." in text and "," in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        groups = text.split(",")
        decimal_mark = "" if len(groups) > 2 or len(groups[-1]) == 3 else ","
    elif "." in text:
        groups = text.split(".")
        decimal_mark = "" if len(groups) > 2 or len(groups[-1]) == 3 else "."
    else:
        decimal_mark = ""
    thousands = {",": ".", ".": ",", "": ".,"}[decimal_mark]
    for mark in thousands:
        text = text.replace(mark, "")
    if decimal_mark:
        text = text.replace(decimal_mark, ".")
    try:
        amount = Decimal(text) * (Decimal(10) ** multiplier)
    except InvalidOperation:
        raise ValueError(
            _("The amount “%(value)s” cannot be read; write it as Rp1.250.000.") % {"value": value}
        ) from None
    if amount >= Decimal(10) ** 16:
        raise ValueError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def parse_text(value, *, limit: int) -> str:
    """A text cell: refused when it begins like a formula, or is longer than the field."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
    if looks_like_formula(text):
        raise ValueError(
            _("The cell begins with “%(sign)s”, as a formula does; remove the sign and import again.")
            % {"sign": text[0]}
        )
    if len(text) > limit:
        raise ValueError(_("The text is longer than %(limit)s characters.") % {"limit": limit})
    return text


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet would run as a formula (CSV/formula injection): "=…", "@…", "+…", "-…"
    unless it is a number or a plain dash."""
    if not text or text[0] not in "=+-@":
        return False
    if text[0] in "+-":
        rest = text[1:].strip()
        return bool(rest) and not re.fullmatch(r"[\d.,\s]+", rest) and not rest[0].isspace() and text[1] != " "
    return True
