"""The calendar of the monthly report: due day, overdue, owed months."""

from datetime import date

import pytest

from monitoring import periods


def test_report_is_due_on_day_ten_of_the_next_month(settings):
    settings.REPORT_DUE_DAY = 10
    assert periods.due_date(date(2026, 10, 1)) == date(2026, 11, 10)
    assert periods.due_date(date(2026, 12, 1)) == date(2027, 1, 10)


def test_due_day_is_clipped_to_the_length_of_the_month(settings):
    settings.REPORT_DUE_DAY = 31
    assert periods.due_date(date(2027, 1, 1)) == date(2027, 2, 28)


def test_overdue_only_after_the_due_day(settings):
    settings.REPORT_DUE_DAY = 10
    october = date(2026, 10, 1)
    assert not periods.is_overdue(october, date(2026, 11, 10))
    assert periods.is_overdue(october, date(2026, 11, 11))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 10), date(2026, 9, 1)),
        (date(2026, 11, 11), date(2026, 10, 1)),
        (date(2026, 1, 5), date(2025, 11, 1)),
    ],
)
def test_latest_overdue_period(settings, today, expected):
    settings.REPORT_DUE_DAY = 10
    assert periods.latest_overdue_period(today) == expected


def test_owed_periods_run_from_the_start_to_last_month_newest_first():
    owed = periods.owed_periods(date(2026, 8, 20), date(2027, 12, 31), date(2026, 11, 23))
    assert owed == [date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)]


def test_owed_periods_stop_at_the_end_of_the_term():
    assert periods.owed_periods(date(2026, 1, 1), date(2026, 2, 15), date(2026, 11, 23)) == [
        date(2026, 2, 1),
        date(2026, 1, 1),
    ]
    assert periods.owed_periods(None, None, date(2026, 11, 23)) == []


def test_periods_with_due_date_between(settings):
    settings.REPORT_DUE_DAY = 10
    assert periods.periods_with_due_date_between(date(2026, 11, 1), date(2027, 1, 10)) == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]
    assert periods.periods_with_due_date_between(date(2026, 11, 11), date(2026, 12, 9)) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-10", date(2026, 10, 1)), ("2026-10-17", date(2026, 10, 1)), ("2026-13", None), ("x", None), ("", None)],
)
def test_parse_period_never_fails(value, expected):
    assert periods.parse_period(value) == expected


def test_add_months_clips():
    assert periods.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert periods.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
