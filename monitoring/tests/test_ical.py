"""The iCal feed of a user's deadlines: secret address, no login, scope, valid RFC 5545 text."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from monitoring import ical
from monitoring.models import CalendarFeed
from registry.models import DprdApproval, Stage
from registry.tests.factories import make_agreement

from .helpers import running

D = date(2026, 11, 23)
NOW = datetime.combine(D, time(9), tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def deadlines(tkksd, opd, other_opd):
    mine = running(tkksd, opd=opd, title="Air Minum; Kota, Desa", start=date(2024, 1, 1), end=D + timedelta(days=40))
    theirs = running(tkksd, opd=other_opd, title="Sampah Regional", start=date(2024, 1, 1), end=D + timedelta(days=60))
    waiting = make_agreement(
        tkksd, opd=other_opd, title="Banjir Lintas Batas", stage=Stage.PERSETUJUAN_DPRD, not_yet_budgeted=True
    )
    DprdApproval.objects.create(
        agreement=waiting, request_number="7/KS", received_on=D - timedelta(days=10), due_on=D + timedelta(days=50)
    )
    return mine, theirs


def feed(client, user) -> str:
    token = ical.feed_for(user).token
    client.logout()
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("monitoring:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode()


@pytest.mark.django_db
def test_the_feed_needs_no_login_and_lists_the_users_deadlines(client, deadlines, ppksd):
    body = feed(client, ppksd)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    mine, _theirs = deadlines
    assert f"DTSTART;VALUE=DATE:{mine.end_date:%Y%m%d}" in body
    assert "Air Minum\\; Kota\\, Desa" in body  # escaped per RFC 5545
    assert "Sampah Regional" not in body  # another OPD's
    assert "Banjir Lintas Batas" not in body
    assert "DTSTART;VALUE=DATE:20261210" in body  # November's reports are due on 10 December
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.django_db
def test_tkksd_and_dprd_see_the_dprd_deadline(client, deadlines, tkksd, dprd):
    assert "Banjir Lintas Batas" in feed(client, tkksd)
    assert "Sampah Regional" in feed(client, tkksd)
    body = feed(client, dprd)
    assert "Banjir Lintas Batas" in body
    assert "Sampah Regional" not in body


@pytest.mark.django_db
def test_a_new_address_retires_the_old_one(client, ppksd):
    old = ical.feed_for(ppksd).token
    client.force_login(ppksd)
    assert client.get(reverse("monitoring:calendar_settings")).context["feed_url"].endswith(f"/kalender/{old}.ics")
    client.post(reverse("monitoring:calendar_regenerate"))
    new = CalendarFeed.objects.get(user=ppksd).token
    assert new != old
    client.logout()
    assert client.get(reverse("monitoring:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("monitoring:calendar_feed", args=[new])).status_code == 200


@pytest.mark.django_db
def test_an_unknown_token_or_an_inactive_user_gets_404(client, ppksd):
    token = ical.feed_for(ppksd).token
    assert client.get(reverse("monitoring:calendar_feed", args=["tebakan"])).status_code == 404
    ppksd.is_active = False
    ppksd.save(update_fields=["is_active"])
    assert client.get(reverse("monitoring:calendar_feed", args=[token])).status_code == 404


def test_long_lines_are_folded_on_character_boundaries():
    text = ical.render([ical.Event("x", D, "Ā" * 60)], name="Tenggat")
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + "Ā" * 60 in unfolded


def test_carriage_returns_and_separators_in_titles_and_places_never_break_a_line():
    hostile = "Rapat\rpleno; ruang 2, lantai\r\nBEGIN:VEVENT\nX"
    text = ical.render([ical.Event("x", D, hostile, description=hostile)], name="Tenggat\r")
    assert "\r" not in text.replace("\r\n", "")
    assert text.split("\r\n").count("BEGIN:VEVENT") == 1
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Rapat\npleno; ruang 2, lantai\nBEGIN:VEVENT\nX"
