"""Working days for the DPRD's legal deadline: weekends, national holidays, cuti bersama, the
regency's own days off and year boundaries, with the holiday calendar of the `holidays` package."""

from datetime import date, timedelta

import pytest
import time_machine

from registry import dprd
from registry.models import DayOff

pytestmark = pytest.mark.django_db


def brute_force_deadline(received_on: date, workdays: int, days_off: set[date]) -> date:
    """The test's own reading of the rule: count weekdays that are not days off, one by one."""
    day, counted = received_on, 0
    while counted < workdays:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            counted += 1
    return day


def test_the_calendar_holds_national_holidays_and_cuti_bersama_of_the_year():
    days_off = dprd.national_days_off(2026)
    # Idul Fitri 1447 H and the cuti bersama around it (SKB 3 Menteri for 2026).
    assert "Idul Fitri" in days_off[date(2026, 3, 21)]
    for day in (date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert days_off[day].startswith("Cuti Bersama"), day
    assert days_off[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert days_off[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"


def test_a_weekend_is_skipped():
    friday = date(2026, 10, 2)
    calendar = dprd.calendar_for(friday, friday + timedelta(days=30))
    assert calendar.add(friday, 1) == date(2026, 10, 5)
    assert calendar.add(friday, 5) == date(2026, 10, 9)
    assert not calendar.is_working_day(date(2026, 10, 3))
    assert calendar.count(friday, date(2026, 10, 5)) == 1
    assert calendar.count(date(2026, 10, 5), friday) == -1


def test_idul_fitri_and_its_cuti_bersama_are_skipped():
    # 2026: Nyepi and its cuti (18-19 March), Idul Fitri with cuti bersama (20-24 March).
    calendar = dprd.calendar_for(date(2026, 3, 1), date(2026, 4, 30))
    assert calendar.add(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert calendar.count(date(2026, 3, 17), date(2026, 3, 25)) == 1
    # 2025: Nyepi on Saturday with its cuti on Friday, Idul Fitri on Monday, cuti up to 7 April.
    calendar = dprd.calendar_for(date(2025, 3, 1), date(2025, 4, 30))
    assert calendar.add(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert calendar.day_off_name(date(2025, 4, 7)) == "Cuti Bersama Hari Raya Idul Fitri"


def test_the_45_day_deadline_across_lebaran_matches_a_day_by_day_count():
    received = date(2026, 3, 2)
    holidays_2026 = set(dprd.national_days_off(2026))
    expected = brute_force_deadline(received, 45, holidays_2026)
    assert dprd.deadline_for(received) == expected == date(2026, 5, 13)


def test_the_deadline_crosses_the_year_boundary():
    # Cuti bersama Natal (24 Dec), Natal, New Year's Day and Isra Mikraj (5 Jan 2027) are skipped.
    received = date(2026, 11, 2)
    days_off = set(dprd.national_days_off(2026)) | set(dprd.national_days_off(2027))
    assert dprd.deadline_for(received) == brute_force_deadline(received, 45, days_off) == date(2027, 1, 8)
    calendar = dprd.calendar_for(date(2026, 12, 1), date(2027, 1, 31))
    assert calendar.add(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert calendar.count(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_the_deadline_follows_the_setting(settings):
    settings.DPRD_DEADLINE_WORKDAYS = 10
    assert dprd.deadline_for(date(2026, 10, 1)) == date(2026, 10, 15)


def test_a_regional_day_off_entered_by_the_admin_counts_like_a_holiday():
    friday = date(2026, 10, 2)
    assert dprd.deadline_for(friday) == date(2026, 12, 4)
    DayOff.objects.create(date=date(2026, 10, 5), name="Cuti bersama daerah")
    calendar = dprd.calendar_for(friday, friday + timedelta(days=10))
    assert calendar.add(friday, 1) == date(2026, 10, 6)
    assert dprd.deadline_for(friday) == date(2026, 12, 7)
    assert (date(2026, 10, 5), "Cuti bersama daerah", True) in dprd.days_off_of(2026)


def test_a_new_cuti_bersama_from_a_package_update_is_picked_up(monkeypatch):
    received = date(2026, 10, 1)
    before = dprd.deadline_for(received)
    real = dprd.national_days_off

    def updated(year):
        # A decree adds a cuti bersama on Friday 16 October 2026.
        extra = {date(2026, 10, 16): "Cuti Bersama (keputusan baru)"} if year == 2026 else {}
        return real(year) | extra

    monkeypatch.setattr(dprd, "national_days_off", updated)
    assert dprd.deadline_for(received) == before + timedelta(days=1 if before.weekday() < 4 else 3)


def test_a_calendar_widens_itself_beyond_its_loaded_span():
    calendar = dprd.calendar_for(date(2026, 10, 1), date(2026, 10, 2))
    assert calendar.add(date(2026, 10, 1), 45) == dprd.deadline_for(date(2026, 10, 1))
    assert calendar.count(date(2026, 10, 1), date(2027, 1, 4)) > 45


def test_counting_backwards_is_refused():
    calendar = dprd.calendar_for(date(2026, 10, 1), date(2026, 10, 31))
    with pytest.raises(ValueError, match="forward"):
        calendar.add(date(2026, 10, 1), -1)
    assert calendar.add(date(2026, 10, 1), 0) == date(2026, 10, 1)


@time_machine.travel(date(2026, 3, 17), tick=False)
def test_working_days_left_and_waited_on_a_frozen_day():
    from django.utils import timezone

    today = timezone.localdate()
    assert today == date(2026, 3, 17)
    # Due on 25 March: the only working day between is the 25th itself (Nyepi and Lebaran off).
    assert dprd.working_days_left(date(2026, 3, 25), today) == 1
    assert dprd.working_days_left(today, today) == 0
    # Past the deadline: negative, in working days.
    assert dprd.working_days_left(date(2026, 3, 13), today) == -2
    assert dprd.working_days_waited(date(2026, 3, 10), today) == 5


@time_machine.travel(date(2027, 1, 4), tick=False)
def test_the_last_day_of_the_year_and_the_first_working_day_of_the_next():
    from django.utils import timezone

    today = timezone.localdate()
    assert dprd.working_days_waited(date(2026, 12, 23), today) == 5
    assert dprd.working_days_left(date(2027, 1, 8), today) == 3


def test_the_calendar_page_year_list_leaves_out_weekend_holidays():
    listed = {day for day, _name, _regional in dprd.days_off_of(2026)}
    assert date(2026, 3, 21) not in listed  # Idul Fitri falls on a Saturday
    assert date(2026, 3, 20) in listed
    assert all(day.weekday() < 5 for day in listed)
