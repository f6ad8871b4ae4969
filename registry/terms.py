"""The term of an agreement: its length, the chain of its extensions, and the limit of practice.

domain.md §7: a PKS runs at most KSD_MAX_TERM_YEARS (5) years, extendable by agreement (Kota
Yogyakarta practice, no national rule found). It is a warning, not a block: a longer term is
saved only with a recorded reason, which shows on the agreement's page and its timeline, and
the dashboard's "perlu perhatian" lists such agreements.
"""

import calendar
import datetime as dt

from django.conf import settings

from .models import Agreement, Relation


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the length of the month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """The months a term from `start` to `end` (both included) spans, a begun month counted whole:
    1 January 2025 to 31 December 2029 is 60, to 1 January 2030 is 61."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and add_months(start, months) > after:
        months -= 1
    return months + (1 if add_months(start, months) < after else 0)


def term_months(*, start: dt.date | None, end: dt.date | None, duration_months: int | None) -> int | None:
    """The term in months: as written (duration) or from its dates; None when unknown."""
    if duration_months:
        return duration_months
    if start and end and end >= start:
        return months_between(start, end)
    return None


def limit_months() -> int:
    return settings.KSD_MAX_TERM_YEARS * 12


def chain_months(agreement: Agreement, months: int) -> int:
    """`months` (the agreement's own term) plus the terms of the agreements it extends: an
    extension continues the same cooperation, so the limit applies to the whole."""
    total, seen = months, {agreement.pk}
    current = agreement
    while current.relation == Relation.EXTENSION and current.parent_id and current.parent_id not in seen:
        current = Agreement.objects.only(
            "pk", "relation", "parent_id", "start_date", "end_date", "duration_months"
        ).get(pk=current.parent_id)
        seen.add(current.pk)
        total += (
            term_months(start=current.start_date, end=current.end_date, duration_months=current.duration_months) or 0
        )
    return total


def over_limit(agreement: Agreement, *, start=None, end=None, duration_months=None) -> int | None:
    """The months of the term (with the extensions it continues) when they pass the limit, else None.

    Without keyword values the agreement's stored ones are used; a form passes what was typed.
    """
    months = term_months(
        start=start if start is not None else agreement.start_date,
        end=end if end is not None else agreement.end_date,
        duration_months=duration_months if duration_months is not None else agreement.duration_months,
    )
    if months is None:
        return None
    total = chain_months(agreement, months) if agreement.pk or agreement.parent_id else months
    return total if total > limit_months() else None


def refresh_term(agreement: Agreement) -> None:
    """Store the agreement's term with the agreements it extends, and its extensions' in turn
    (they count it): the dashboard lists the terms beyond the limit from this column."""
    months = term_months(start=agreement.start_date, end=agreement.end_date, duration_months=agreement.duration_months)
    total = chain_months(agreement, months) if months is not None else None
    Agreement.objects.filter(pk=agreement.pk).update(term_months=total)
    agreement.term_months = total
    for extension in Agreement.objects.filter(parent=agreement, relation=Relation.EXTENSION).only(
        "pk", "relation", "parent_id", "start_date", "end_date", "duration_months"
    ):
        refresh_term(extension)


def limit_label() -> str:
    return f"{settings.KSD_MAX_TERM_YEARS} tahun"
