"""Template filters for Indonesian documents: ``{% load indonesian %}``.

Each filter wraps a function of ``kerjasama.formatting``. Dates may be given as ``date``/``datetime``
objects or ISO strings ("2026-11-22"), times as ``time`` objects or "09:00", and money as Decimal, int
or a decimal string ("1250000.00"), so that a context restored from a JSON snapshot prints exactly as
the original. An empty value (None or "") prints nothing; anything else that cannot be read raises,
because a wrong date or amount on an official document must fail loudly rather than vanish.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from kerjasama import formatting

register = template.Library()

DateLike = date | datetime | str | None
MoneyLike = Decimal | int | str | None


def _date(value: DateLike) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"not a date: {value!r}")


def _money(value: MoneyLike) -> Decimal | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation as error:
            raise ValueError(f"not an amount of money: {value!r}") from error
    return value


def _number(value: int | str) -> int:
    return int(value)


@register.filter
def tanggal_panjang(value: DateLike) -> str:
    """{{ d|tanggal_panjang }} → "22 November 2026"."""
    d = _date(value)
    return formatting.long_date(d) if d else ""


@register.filter
def tanggal_hari(value: DateLike) -> str:
    """{{ d|tanggal_hari }} → "Minggu, 22 November 2026"."""
    d = _date(value)
    return formatting.weekday_date(d) if d else ""


@register.filter
def tanggal_terbilang(value: DateLike) -> str:
    """{{ d|tanggal_terbilang }} → "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam"."""
    d = _date(value)
    return formatting.date_in_words(d) if d else ""


@register.filter
def tanggal_angka(value: DateLike) -> str:
    """{{ d|tanggal_angka }} → "22-11-2026"."""
    d = _date(value)
    return formatting.numeric_date(d) if d else ""


@register.filter
def pukul(value: time | datetime | str | None, tz_name: str) -> str:
    """{{ t|pukul:"Asia/Jakarta" }} → "pukul 09.00 WIB"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = time.fromisoformat(value)
    return formatting.time_with_zone(value, tz_name)


@register.filter
def rupiah(value: MoneyLike) -> str:
    """{{ amount|rupiah }} → "Rp1.250.000,00"."""
    amount = _money(value)
    return "" if amount is None else formatting.rupiah(amount)


@register.filter
def terbilang(value: MoneyLike) -> str:
    """{{ amount|terbilang }} → "satu juta dua ratus lima puluh ribu rupiah"."""
    amount = _money(value)
    return "" if amount is None else formatting.terbilang(amount)


@register.filter
def rupiah_terbilang(value: MoneyLike) -> str:
    """{{ amount|rupiah_terbilang }} → "Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah)"."""
    amount = _money(value)
    return "" if amount is None else formatting.rupiah_with_words(amount)


@register.filter
def diktum(value: int | str) -> str:
    """{{ forloop.counter|diktum }} → "KESATU", "KEDUA", …"""
    return formatting.diktum_ordinal(_number(value))


@register.filter
def huruf(value: int | str) -> str:
    """{{ forloop.counter|huruf }} → "a", "b", … "z", "aa"."""
    return formatting.letter_item(_number(value))


@register.filter
def bulan_romawi(value: int | str | date) -> str:
    """{{ month|bulan_romawi }} or {{ d|bulan_romawi }} → "XI"."""
    month = value.month if isinstance(value, date) else _number(value)
    return formatting.roman_month(month)


@register.filter
def nip(value: str) -> str:
    """ "197001011990031001" -> "19700101 199003 1 001" """
    return formatting.grouped_nip(str(value or ""))


@register.filter
def keep_tail(value: str, words: int = 3) -> SafeString:
    """Bind the last `words` words of a heading so that a wrapped line never leaves the regency's name
    ("… DAERAH KABUPATEN SLEMAN") alone on the last line."""
    parts = str(value or "").split()
    if len(parts) <= words:
        return conditional_escape(" ".join(parts))
    head = conditional_escape(" ".join(parts[:-words]))
    tail = conditional_escape(" ".join(parts[-words:]))
    return mark_safe(f'{head} <span class="doc-no">{tail}</span>')  # noqa: S308 - both parts escaped


_LIST_ITEM = re.compile(r"^(?:[a-z]|[0-9]{1,2})\. ")


@register.filter
def butir(value: str) -> bool:
    """Whether a paragraph of a letter is an item of an enumeration ("a. …", "1. …"), printed with a
    hanging indent under its marker rather than as an indented paragraph."""
    return bool(_LIST_ITEM.match(str(value)))
