"""The daily reminder scan: one reminder per due item and recipient, once, with missed days caught up."""

import smtplib
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db.models import QuerySet

from monitoring import reminders, services, tasks
from monitoring.models import Notification, Reminder, ReminderKind, ReportStatus, ScanState
from registry.models import DocumentType, DprdApproval, Stage
from registry.tests.factories import make_agreement

from .helpers import add_report, pdf_bytes, running

D = date(2026, 11, 23)
JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: date) -> datetime:
    return datetime.combine(day, time(6, 0), tzinfo=JAKARTA)


def kinds(**filters) -> list[tuple]:
    return sorted(
        Reminder.objects.filter(**filters).values_list("kind", "threshold", "recipient__username", "due_date")
    )


@pytest.fixture
def ending(tkksd, ppksd, opd):
    """Agreement of the PPKSD's OPD ending 30 days after D."""
    return running(tkksd, opd=opd, title="Air Minum Perkotaan", start=date(2024, 1, 1), end=D + timedelta(days=30))


# --- once and only once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_scan_run_twice_gives_one_reminder_per_due_item(ending, tkksd, ppksd):
    first = reminders.run_daily(D)
    assert first.found == 2
    assert kinds(kind=ReminderKind.EXPIRY) == [
        (ReminderKind.EXPIRY, 30, "ppksd", ending.end_date),
        (ReminderKind.EXPIRY, 30, "tkksd", ending.end_date),
    ]
    # The same day again (a beat hiccup), and a forced re-scan of the same day: nothing new.
    assert reminders.run_daily(D).found == 0
    reminders.scan(D, since=D)
    assert reminders.send_pending() == 0
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([tkksd.email, ppksd.email])
    message = next(m for m in mail.outbox if m.to == [ppksd.email])
    assert "Air Minum Perkotaan" in message.subject
    assert ending.get_absolute_url() in message.body


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_sends_everything_once_on_the_next_run(ending, tkksd, ppksd):
    reminders.scan(D)
    # The worker dies after creating the notifications, before marking the reminders sent.
    killed = mock.patch.object(QuerySet, "update", side_effect=SystemExit("worker killed"))
    with killed, pytest.raises(SystemExit):
        reminders.send_pending()
    # The batch rolled back: no notification, nothing marked sent, nothing mailed.
    assert Notification.objects.count() == 0
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 2
    assert mail.outbox == []
    assert tasks.send_pending_reminders.apply().get() == 2
    assert tasks.send_pending_reminders.apply().get() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_send_retried_after_a_mail_server_error_gives_one_email_each(ending, tkksd, ppksd):
    original = services.EmailMessage.send
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original(*args, **kwargs)

    reminders.scan(D)
    with mock.patch.object(services.EmailMessage, "send", autospec=True, side_effect=flaky):
        # Eager here: the task ran in this process; its failure is left to the rows, as a worker's.
        reminders.send_pending()
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(email_state=Notification.EmailState.PENDING, email_attempts=1).count() == 1
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    # The retry sends the e-mail that failed, and only that one.
    assert tasks.send_notification_emails.apply(args=[ids]).get() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([tkksd.email, ppksd.email])
    assert set(Notification.objects.values_list("email_state", flat=True)) == {Notification.EmailState.SENT}
    # A re-delivered chunk finds nothing to do.
    assert tasks.send_notification_emails.apply(args=[ids]).get() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_missed_day_is_caught_up_the_next_day(tkksd, ppksd, opd):
    agreement = running(tkksd, opd=opd, start=date(2024, 1, 1), end=D + timedelta(days=89))
    with time_machine.travel(at(D - timedelta(days=2)), tick=False):
        reminders.run_daily()
    assert not Reminder.objects.exists()
    # D-1, when the agreement was 90 days from its end, the scheduler was down.
    with time_machine.travel(at(D), tick=False):
        result = reminders.run_daily()
    assert result.start == D - timedelta(days=1)
    assert kinds(recipient=ppksd) == [(ReminderKind.EXPIRY, 90, "ppksd", agreement.end_date)]
    assert ScanState.objects.get().last_scanned_on == D


@pytest.mark.django_db
def test_after_a_long_outage_only_recent_days_are_caught_up(settings, tkksd):
    settings.MONITORING_SCAN_MAX_DAYS = 10
    ScanState.objects.create(name=reminders.SCAN_NAME, last_scanned_on=D - timedelta(days=100), last_run_at=at(D))
    assert reminders.scan(D).start == D - timedelta(days=9)


@pytest.mark.django_db
@pytest.mark.parametrize("days_left", [180, 90, 30, 7, 0])
def test_expiry_reminders_go_out_at_exactly_the_thresholds(tkksd, ppksd, opd, days_left):
    end = D + timedelta(days=days_left)
    running(tkksd, opd=opd, start=date(2024, 1, 1), end=end)
    running(tkksd, opd=opd, title="Sehari lebih", start=date(2024, 1, 1), end=end + timedelta(days=1))
    with time_machine.travel(at(D), tick=False):
        reminders.run_daily()
    assert kinds() == [
        (ReminderKind.EXPIRY, days_left, "ppksd", end),
        (ReminderKind.EXPIRY, days_left, "tkksd", end),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("days_left", [181, 91, 31, 8, 1, -1])
def test_no_expiry_reminder_between_thresholds(tkksd, ppksd, opd, days_left):
    running(tkksd, opd=opd, start=date(2020, 1, 1), end=D + timedelta(days=days_left))
    with time_machine.travel(at(D), tick=False):
        reminders.run_daily()
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_agreements_not_running_get_no_expiry_reminder(tkksd, ppksd, opd):
    running(tkksd, opd=opd, start=date(2024, 1, 1), end=D + timedelta(days=30), stage=Stage.PENYUSUNAN_PKS)
    reminders.scan(D)
    assert not Reminder.objects.exists()


# --- the sources ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_due_then_overdue_for_the_ppksd(tkksd, ppksd, opd, settings):
    settings.REPORT_DUE_DAY = 10
    settings.MONITORING_REPORT_REMINDER_DAYS = [3]
    agreement = running(tkksd, opd=opd, start=date(2026, 1, 1))
    filed = running(tkksd, opd=opd, title="Sudah lapor", start=date(2026, 1, 1))
    add_report(filed, date(2026, 10, 1), ppksd, status=ReportStatus.SUBMITTED)
    reminders.scan(date(2026, 11, 7))  # three days before 10 November
    assert kinds() == [(ReminderKind.REPORT_DUE, 3, "ppksd", date(2026, 11, 10))]
    reminders.scan(date(2026, 11, 10), since=date(2026, 11, 8))
    reminders.scan(date(2026, 11, 11))
    assert kinds(kind=ReminderKind.REPORT_OVERDUE) == [(ReminderKind.REPORT_OVERDUE, -1, "ppksd", date(2026, 11, 10))]
    assert Reminder.objects.filter(subject_id=filed.pk).count() == 0
    reminder = Reminder.objects.get(kind=ReminderKind.REPORT_OVERDUE)
    assert reminder.subject == agreement
    assert reminder.url.endswith(f"/kerja-sama/{agreement.pk}/laporan/")


@pytest.mark.django_db
def test_kb_without_pks_after_the_warning_period(tkksd, ppksd, opd, settings):
    settings.KB_TO_PKS_WARNING_MONTHS = 6
    with time_machine.travel(at(date(2026, 5, 23)), tick=False):
        recorded = make_agreement(tkksd, opd=opd, title="Tanpa PKS", stage=Stage.PENYUSUNAN_PKS)
    signed = make_agreement(tkksd, opd=opd, title="KB bertanggal", stage=Stage.PENYUSUNAN_PKS)
    from registry import services as registry_services
    from registry.tests.factories import pdf_upload

    registry_services.upload_document(
        signed,
        actor=tkksd,
        upload=registry_services.DocumentUpload(
            doc_type=DocumentType.KB, file=pdf_upload(), is_signed=True, date=date(2026, 4, 30)
        ),
    )
    reminders.scan(D)  # 23 November: six months after 23 May
    assert kinds() == [
        (ReminderKind.KB_WITHOUT_PKS, 0, "ppksd", D),
        (ReminderKind.KB_WITHOUT_PKS, 0, "tkksd", D),
    ]
    assert {r.subject for r in Reminder.objects.all()} == {recorded}
    # The KB signed on 30 April is due on 30 October: a re-scan of that day finds it.
    reminders.scan(date(2026, 10, 30), since=date(2026, 10, 30))
    assert Reminder.objects.filter(subject_id=signed.pk, due_date=date(2026, 10, 30)).count() == 2


@pytest.mark.django_db
def test_dprd_deadline_approaching_and_passed(tkksd, dprd, opd, settings):
    settings.MONITORING_DPRD_REMINDER_DAYS = [10, 3]
    agreement = make_agreement(
        tkksd,
        opd=opd,
        stage=Stage.PERSETUJUAN_DPRD,
        burdens_community=True,
        burden_justification="Membebani APBD.",
    )
    due = D + timedelta(days=10)
    approval = DprdApproval.objects.create(
        agreement=agreement, request_number="100.3.3/7/KS", received_on=D - timedelta(days=50), due_on=due
    )
    DprdApproval.objects.create(
        agreement=make_agreement(tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, not_yet_budgeted=True),
        request_number="belum diterima",
    )
    reminders.scan(D)
    assert kinds() == [(ReminderKind.DPRD_DEADLINE, 10, "dprd", due), (ReminderKind.DPRD_DEADLINE, 10, "tkksd", due)]
    reminders.scan(due + timedelta(days=1), since=D + timedelta(days=1))
    assert kinds(threshold=3) == [
        (ReminderKind.DPRD_DEADLINE, 3, "dprd", due),
        (ReminderKind.DPRD_DEADLINE, 3, "tkksd", due),
    ]
    assert kinds(kind=ReminderKind.DPRD_OVERDUE) == [
        (ReminderKind.DPRD_OVERDUE, -1, "dprd", due),
        (ReminderKind.DPRD_OVERDUE, -1, "tkksd", due),
    ]
    assert Reminder.objects.filter(kind=ReminderKind.DPRD_OVERDUE).first().subject == approval


@pytest.mark.django_db
def test_a_decided_dprd_request_is_not_reminded(tkksd, dprd, opd):
    agreement = make_agreement(
        tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, burdens_community=True, burden_justification="x"
    )
    DprdApproval.objects.create(
        agreement=agreement,
        received_on=D - timedelta(days=50),
        due_on=D + timedelta(days=3),
        decision=DprdApproval.Decision.APPROVED,
    )
    reminders.scan(D)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_plenary_upcoming_reminds_tkksd_and_pimpinan(tkksd, pimpinan, ppksd, settings):
    settings.MONITORING_PLENARY_REMINDER_DAYS = [7, 1]
    cycle_model = apps.get_model("planning", "Cycle")
    plenary_model = apps.get_model("planning", "Plenary")
    cycle = cycle_model.objects.create(
        year=2027,
        socialisation_date=date(2026, 11, 2),
        coordination_start=date(2026, 11, 3),
        coordination_end=date(2026, 11, 10),
        submission_deadline=date(2026, 11, 20),
        plenary_date=D + timedelta(days=7),
    )
    plenary = plenary_model.objects.create(
        cycle=cycle, date=D + timedelta(days=7), start_time=time(9), place="Ruang Rapat Setda", chair="Sekda"
    )
    reminders.scan(D)
    assert kinds() == [
        (ReminderKind.PLENARY, 7, "pimpinan", plenary.date),
        (ReminderKind.PLENARY, 7, "tkksd", plenary.date),
    ]
    assert "Ruang Rapat Setda" in Reminder.objects.first().body


@pytest.mark.django_db
def test_without_the_planning_model_the_plenary_source_finds_nothing(monkeypatch):
    def missing(*args, **kwargs):
        raise LookupError

    monkeypatch.setattr(reminders.apps, "get_model", missing)
    assert list(reminders.PlenarySource().due_between(D, D + timedelta(days=30), reminders.Audience())) == []


@pytest.mark.django_db
def test_inactive_and_other_opd_users_are_not_reminded(ending, other_ppksd, ppksd, tkksd):
    ppksd.is_active = False
    ppksd.save(update_fields=["is_active"])
    reminders.scan(D)
    assert kinds() == [(ReminderKind.EXPIRY, 30, "tkksd", ending.end_date)]


@pytest.mark.django_db(transaction=True)
def test_the_beat_entry_runs_the_scan_and_sends(ending, tkksd, ppksd):
    from kerjasama.celery import app

    entry = app.conf.beat_schedule["daily-reminder-scan"]
    assert entry["task"] == "monitoring.tasks.daily_reminder_scan"
    with time_machine.travel(at(D), tick=False):
        result = app.tasks[entry["task"]].apply().get()
    assert result["found"] == 2
    assert result["sent"] == 2
    assert len(mail.outbox) == 2


def test_pdf_helper_is_a_pdf():
    assert pdf_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_the_command_scans_and_measures_without_leaving_rows(ending, tkksd, ppksd):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("scan_reminders", today=D, measure=True, stdout=out)
    assert "an ordinary day (2026-11-23): 2 due, 2 sent" in out.getvalue()
    assert not Reminder.objects.exists()
    assert not Notification.objects.exists()
    call_command("scan_reminders", today=D, stdout=out)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


def test_the_report_reminder_day_is_the_next_one(settings):
    settings.REPORT_DUE_DAY = 10
    settings.MONITORING_REPORT_REMINDER_DAYS = [3]
    assert reminders.report_reminder_day(date(2026, 11, 23)) == date(2026, 12, 7)
    assert reminders.report_reminder_day(date(2026, 12, 7)) == date(2026, 12, 7)
