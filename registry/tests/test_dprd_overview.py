"""The DPRD overview's stored figures (registry.dprd.overview): read back while nothing they were
counted from has changed, and after each write path that changes them (a request received, its
receipt recorded or corrected, an answer, a deemed approval, a withdrawal, a regional day off added
or removed, the next day) the next load shows what a fresh count gives."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import dprd as desk
from registry import services
from registry.models import DayOff, DprdApproval, DprdOverviewSnapshot

from .factories import pdf_bytes
from .test_dprd import open_request, waiting_agreement

pytestmark = pytest.mark.django_db

Decision = DprdApproval.Decision
# A Monday.
D = date(2026, 11, 23)
JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime.combine(D, time(9, 0), tzinfo=JAKARTA)


def received(actor, opd, title, received_on):
    """A request sent outside the app that reached the DPRD on `received_on`."""
    return open_request(waiting_agreement(actor, opd, title=title, attachments=False), actor, received_on)


def admin_request(office):
    """A request of the Admin, as Django admin passes it to its ModelAdmin."""
    request = RequestFactory().post("/")
    request.user = office.admin
    return request


@dataclass
class Desk:
    tkksd: object
    admin: object
    opd: object
    # Waiting since August: past its deadline.
    overdue: DprdApproval
    waiting: DprdApproval
    recent: DprdApproval


@pytest.fixture
def office(tkksd, admin_user, opd, profile):
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        return Desk(
            tkksd=tkksd,
            admin=admin_user,
            opd=opd,
            overdue=received(tkksd, opd, "Lama", date(2026, 8, 3)),
            waiting=received(tkksd, opd, "Menunggu", date(2026, 10, 19)),
            recent=received(tkksd, opd, "Baru", date(2026, 11, 16)),
        )


def receive(office):
    received(office.tkksd, office.opd, "Diterima hari ini", D - timedelta(days=1))


def record_receipt(office):
    # A letter the app sent (its sending is the official document's business): the DPRD's receipt
    # is recorded from its agenda.
    agreement = waiting_agreement(office.tkksd, office.opd, title="Surat terkirim")
    approval = desk.draft_request_letter(agreement, actor=office.tkksd)
    DprdApproval.objects.filter(pk=approval.pk).update(sent_on=D - timedelta(days=10))
    return lambda: desk.record_receipt(
        approval, actor=office.tkksd, received_on=D - timedelta(days=8), agenda_number="172/DPRD/2026"
    )


def correct_receipt(office):
    """An Admin corrects the day of receipt in Django admin: the deadline and the waits move."""
    model_admin = admin.site._registry[DprdApproval]
    request = admin_request(office)
    approval = DprdApproval.objects.get(pk=office.waiting.pk)
    form_class = model_admin.get_form(request, approval, change=True)
    data = {
        name: "" if value is None else value
        for name, value in model_to_dict(approval, fields=form_class.base_fields).items()
    }
    form = form_class({**data, "received_on": "2026-10-05"}, instance=approval)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)


def answer(office):
    services.record_dprd_decision(
        office.waiting,
        actor=office.tkksd,
        decision=Decision.APPROVED,
        decision_number="170/12/KEP/DPRD/2026",
        decision_date=D - timedelta(days=1),
        letter_file=SimpleUploadedFile("keputusan.pdf", pdf_bytes("Keputusan DPRD")),
    )


def deem_approved(office):
    assert desk.deem_approved(office.overdue.pk, D)


def withdraw(office):
    desk.withdraw_request(office.recent, actor=office.tkksd, reason="Diganti dengan surat yang diperbaiki.")


def add_day_off(office):
    """An Admin adds a regional day off the requests have waited through."""
    model_admin = admin.site._registry[DayOff]
    request = admin_request(office)
    form = model_admin.get_form(request)({"date": "2026-11-18", "name": "Hari Jadi Kabupaten"})
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=False)


def remove_day_off(office):
    day_off = DayOff.objects.create(date=date(2026, 11, 18), name="Hari Jadi Kabupaten")
    desk.refresh_due_dates()

    def write():
        admin.site._registry[DayOff].delete_model(admin_request(office), day_off)

    return write


def _done_then(write):
    return lambda office: lambda: write(office)


# Each entry prepares what its write needs (before the figures are stored) and returns the write.
WRITES = {
    "request received": _done_then(receive),
    "receipt recorded": record_receipt,
    "receipt corrected in admin": _done_then(correct_receipt),
    "DPRD decision": _done_then(answer),
    "deemed approved": _done_then(deem_approved),
    "withdrawn": _done_then(withdraw),
    "day off added": _done_then(add_day_off),
    "day off removed": remove_day_off,
}


def figures(overview: dict) -> dict:
    """The overview as stored: the longest-waiting request by its id, the years as data."""
    longest = overview["longest_request"]
    return {
        **overview,
        "longest_request": longest.pk if longest else None,
        "years": [asdict(year) for year in overview["years"]],
    }


def shown(moment: datetime, today: date = D) -> tuple[dict, list[str]]:
    """The overview a load at `moment` shows, and its queries."""
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
        overview = desk.overview(today)
    return figures(overview), [query["sql"] for query in queries.captured_queries]


def counted(sql: list[str]) -> bool:
    """Whether the load counted the waiting requests rather than reading the stored figures."""
    return any(" GROUP BY " in query for query in sql)


@pytest.mark.parametrize("path", WRITES)
def test_after_each_write_the_overview_shows_what_a_fresh_count_gives(office, path):
    with time_machine.travel(START, tick=False):
        write = WRITES[path](office)
    stored, sql = shown(START + timedelta(minutes=1))
    assert counted(sql)
    # The stored figures are read back while nothing changes.
    again, sql = shown(START + timedelta(minutes=2))
    assert again == stored and not counted(sql)

    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        write()
        expected = desk.overview_figures(D)
    after, sql = shown(START + timedelta(minutes=4))
    assert counted(sql)
    assert after == expected
    assert after != stored


def test_the_stored_figures_are_those_of_a_fresh_count_and_the_page_prints_them(client, office, pimpinan):
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        desk.refresh_overview(D)
    stored, sql = shown(START + timedelta(minutes=2))
    assert not counted(sql)
    assert stored == desk.overview_figures(D)
    assert (stored["pending"], stored["overdue"], stored["longest_request"]) == (3, 1, office.overdue.pk)
    client.force_login(pimpinan)
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        page = client.get(reverse("registry:dprd_overview")).content.decode()
    assert 'data-testid="pending">3<' in page
    assert "Lama" in page


def test_figures_counted_just_after_a_write_are_counted_again_until_it_has_settled(office):
    with time_machine.travel(START, tick=False):
        receive(office)
    # Counted five seconds after the write: a transaction that began before it may still commit
    # with an earlier time, so the figures are not read back.
    _, sql = shown(START + timedelta(seconds=5))
    assert counted(sql)
    _, sql = shown(START + timedelta(seconds=8))
    assert counted(sql)
    # Counted 11 seconds after: read back from then on.
    _, sql = shown(START + timedelta(seconds=11))
    assert counted(sql)
    _, sql = shown(START + timedelta(seconds=12))
    assert not counted(sql)


def test_the_figures_are_counted_again_the_next_day_after_the_maximum_age_and_after_a_release(office):
    stored, _ = shown(START + timedelta(minutes=1))
    _, sql = shown(START + timedelta(minutes=2))
    assert not counted(sql)
    # The next working day every request has waited one day more.
    tomorrow, sql = shown(START + timedelta(days=1), D + timedelta(days=1))
    assert counted(sql)
    assert tomorrow["longest_wait"] == stored["longest_wait"] + 1
    assert tomorrow == desk.overview_figures(D + timedelta(days=1))
    # Stored figures older than OVERVIEW_MAX_AGE are counted again, even on the same day.
    later = START + timedelta(days=1)
    _, sql = shown(later + desk.OVERVIEW_MAX_AGE + timedelta(minutes=1), D + timedelta(days=1))
    assert counted(sql)
    # Figures stored by an older release are not read back.
    DprdOverviewSnapshot.objects.update(basis={**DprdOverviewSnapshot.objects.get().basis, "version": "0"})
    _, sql = shown(later + desk.OVERVIEW_MAX_AGE + timedelta(minutes=2), D + timedelta(days=1))
    assert counted(sql)


def test_reading_the_stored_figures_costs_the_same_queries_however_many_requests_wait(office):
    shown(START + timedelta(minutes=1))
    _, few = shown(START + timedelta(minutes=2))
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        for n in range(6):
            received(office.tkksd, office.opd, f"Tambahan {n}", date(2026, 9, 1) + timedelta(days=7 * n))
    shown(START + timedelta(minutes=4))
    more, many = shown(START + timedelta(minutes=5))
    assert not counted(few) and not counted(many)
    assert len(many) == len(few)
    assert more["pending"] == 9


def test_a_day_off_that_moves_no_deadline_still_shortens_the_waits_shown(office):
    """Only a request already past its deadline waits: a day off added after that deadline moves
    no request (none is written), yet every wait through it is a working day shorter."""
    with time_machine.travel(START, tick=False):
        for approval in (office.waiting, office.recent):
            desk.withdraw_request(approval, actor=office.tkksd, reason="Diganti dengan surat yang diperbaiki.")
    assert DprdApproval.objects.get(pk=office.overdue.pk).due_on < date(2026, 11, 18)
    stored, _ = shown(START + timedelta(minutes=1))
    with time_machine.travel(START + timedelta(minutes=3), tick=False):
        add_day_off(office)
    after, sql = shown(START + timedelta(minutes=4))
    assert counted(sql)
    assert after["longest_wait"] == stored["longest_wait"] - 1
    assert after == desk.overview_figures(D)
