"""Issued documents still waiting for their signed original are reminded to the TKKSD and the Pimpinan."""

from datetime import date

import pytest

from monitoring import reminders
from monitoring.models import Reminder, ReminderKind
from registry import official
from registry.models import DocumentKind
from registry.official import signed
from registry.tests.factories import PemdaProfileFactory
from registry.tests.official_data import surat_data

FRIDAY = date(2026, 11, 20)


@pytest.fixture
def waiting(db, tkksd, pimpinan):
    PemdaProfileFactory()
    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.SURAT,
        series=official.series_for("surat-kerja-sama"),
        title="Permohonan persetujuan",
        data=surat_data(),
    )
    return official.issue_document(draft, actor=pimpinan, issue_date=FRIDAY)


def signature_reminders():
    return sorted(
        Reminder.objects.filter(kind=ReminderKind.SIGNATURE_WAITING).values_list("recipient__username", "due_date")
    )


@pytest.mark.django_db
def test_an_unsigned_document_is_reminded_after_the_working_days(settings, waiting, tkksd, pimpinan, ppksd, dprd):
    settings.SIGNATURE_REMINDER_DAYS = 3
    reminders.scan(date(2026, 11, 24))  # two working days after the Friday
    assert signature_reminders() == []
    reminders.scan(date(2026, 11, 25))
    assert signature_reminders() == [("pimpinan", date(2026, 11, 25)), ("tkksd", date(2026, 11, 25))]
    reminder = Reminder.objects.filter(kind=ReminderKind.SIGNATURE_WAITING).first()
    assert waiting.number in reminder.title and "belum dicatat" in reminder.body
    assert reminder.url == waiting.get_absolute_url()


@pytest.mark.django_db
def test_a_signed_document_is_not_reminded(settings, waiting, tkksd, monkeypatch):
    settings.SIGNATURE_REMINDER_DAYS = 3
    monkeypatch.setattr(type(waiting), "is_rendered", property(lambda self: True))
    signed.record_wet_signature(waiting, actor=tkksd, content=b"%PDF-1.7 pindaian", signed_on=FRIDAY, signer_name="B")
    reminders.scan(date(2026, 11, 25))
    assert signature_reminders() == []
