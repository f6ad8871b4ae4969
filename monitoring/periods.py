"""Reporting periods: the calendar rules of the monthly implementation report.

A period is a month, written as the date of its first day. The report on a month is due on
day `REPORT_DUE_DAY` of the following month (seed 003: day 10) and is overdue from the day
after. Every agreement running during a month owes a report on it.
"""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from kerjasama.validators import validate_plausible_date


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the length of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def due_date(period: date) -> date:
    """The day the report on `period` is due: REPORT_DUE_DAY of the next month (clipped)."""
    following = add_months(month_start(period), 1)
    last = calendar.monthrange(following.year, following.month)[1]
    return following.replace(day=min(max(settings.REPORT_DUE_DAY, 1), last))


def is_overdue(period: date, today: date) -> bool:
    return today > due_date(period)


def latest_overdue_period(today: date) -> date:
    """The most recent month whose report is already overdue today."""
    period = add_months(month_start(today), -1)
    while not is_overdue(period, today):
        period = add_months(period, -1)
    return period


def current_period(today: date) -> date:
    """The month a PPKSD reports on now: the month before this one."""
    return add_months(month_start(today), -1)


def periods_with_due_date_between(start: date, end: date) -> list[date]:
    """Every period whose due date falls in [start, end], oldest first."""
    periods = []
    period = add_months(month_start(start), -2)
    while due_date(period) <= end:
        if due_date(period) >= start:
            periods.append(period)
        period = add_months(period, 1)
    return periods


def running_in(period: date, start_date: date | None, end_date: date | None) -> bool:
    """Whether an agreement with this term runs during some day of `period`."""
    if start_date is None or start_date > month_end(period):
        return False
    return end_date is None or end_date >= period


def owed_periods(start_date: date | None, end_date: date | None, today: date, *, limit: int = 24) -> list[date]:
    """The periods an agreement has had to report on so far (newest first, at most `limit`):
    every month of its term from its start up to last month."""
    if start_date is None:
        return []
    last = current_period(today)
    if end_date is not None:
        last = min(last, month_start(end_date))
    first = month_start(start_date)
    periods = []
    period = last
    while period >= first and len(periods) < limit:
        periods.append(period)
        period = add_months(period, -1)
    return periods


def parse_period(value: str | None) -> date | None:
    """ "2026-10" (or "2026-10-01") → date(2026, 10, 1); None for anything unreadable or for a
    month the law cannot mean (kerjasama.validators)."""
    if not value:
        return None
    try:
        parts = [int(part) for part in value.split("-")[:2]]
        period = date(parts[0], parts[1], 1)
    except (ValueError, IndexError, OverflowError):
        return None
    try:
        validate_plausible_date(period)
    except ValidationError:
        return None
    return period
