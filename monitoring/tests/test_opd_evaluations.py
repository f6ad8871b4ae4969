"""The OPD's own evaluation of each running agreement, EVALUATIONS_PER_YEAR times a year (domain.md §7)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kerjasama.tests.test_concurrency import post_data
from monitoring import opd_evaluations, reminders
from monitoring.models import Reminder, ReminderKind
from monitoring.tests.helpers import evaluation_data, running

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 20)


def data(**changes):
    values = {"progress": "Armada beroperasi di tiga koridor sesuai PKS.", "obstacles": "", "follow_up": ""}
    return opd_evaluations.OpdEvaluationData(**(values | changes))


def test_the_year_is_cut_into_parts_due_like_monthly_reports(settings):
    settings.REPORT_DUE_DAY = 10
    assert opd_evaluations.part_span(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert opd_evaluations.part_due(2026, 1) == dt.date(2026, 7, 10)
    assert opd_evaluations.part_due(2026, 2) == dt.date(2027, 1, 10)
    assert opd_evaluations.last_ended_part(dt.date(2026, 7, 1)) == (2026, 1)
    assert opd_evaluations.last_ended_part(dt.date(2026, 3, 1)) == (2025, 2)
    settings.EVALUATIONS_PER_YEAR = 4
    assert opd_evaluations.part_span(2026, 3) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert opd_evaluations.part_label(2026, 3) == "Juli s.d. September 2026"


def test_a_setting_that_does_not_divide_the_year_fails_the_checks(settings):
    from kerjasama.checks import evaluations_fit_the_year

    settings.EVALUATIONS_PER_YEAR = 5
    assert [error.id for error in evaluations_fit_the_year(None)] == ["kerjasama.E002"]


def test_the_ppksd_files_and_revises_and_the_part_shows_overdue_until_then(tkksd, ppksd, opd, client):
    agreement = running(tkksd, opd=opd, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31))
    states = opd_evaluations.part_states(agreement, TODAY)
    assert [(s.year, s.part, s.overdue) for s in states][:3] == [(2026, 1, True), (2025, 2, True), (2025, 1, True)]
    with pytest.raises(opd_evaluations.ServiceError):
        opd_evaluations.file_opd_evaluation(agreement, actor=ppksd, year=2026, part=2, data=data(), today=TODAY)
    filed = opd_evaluations.file_opd_evaluation(agreement, actor=ppksd, year=2026, part=1, data=data(), today=TODAY)
    assert opd_evaluations.part_states(agreement, TODAY)[0].evaluation == filed
    with pytest.raises(opd_evaluations.ServiceError):
        opd_evaluations.file_opd_evaluation(agreement, actor=ppksd, year=2026, part=1, data=data(), today=TODAY)
    with pytest.raises(opd_evaluations.PermissionDenied):
        opd_evaluations.file_opd_evaluation(agreement, actor=tkksd, year=2025, part=2, data=data(), today=TODAY)


@time_machine.travel(dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC), tick=False)
def test_the_pages_by_role(tkksd, ppksd, other_ppksd, pimpinan, dprd, opd, client):
    agreement = running(tkksd, opd=opd, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31))
    listing = reverse("monitoring:agreement_opd_evaluations", args=[agreement.pk])
    create = reverse("monitoring:opd_evaluation_create", args=[agreement.pk]) + "?tahun=2026&bagian=1"
    for user, list_status, create_status in (
        (ppksd, 200, 200),
        (tkksd, 200, 403),
        (pimpinan, 200, 403),
        (other_ppksd, 404, 404),
    ):
        client.force_login(user)
        assert client.get(listing).status_code == list_status
        assert client.get(create).status_code == create_status
    client.force_login(ppksd)
    form = client.get(create).context["form"]
    response = client.post(create, post_data(form, progress="Koridor satu dan dua berjalan."))
    assert response.status_code == 302
    evaluation = agreement.opd_evaluations.get()
    assert (evaluation.year, evaluation.part, evaluation.submitted_by) == (2026, 1, ppksd)
    client.force_login(tkksd)
    assert "Koridor satu dan dua berjalan." in client.get(listing).content.decode()
    # The TKKSD's annual evaluation of the year shows it.
    from monitoring import evaluations

    annual = evaluations.create_evaluation(
        agreement, actor=tkksd, year=2026, data=evaluation_data(), today=dt.date(2026, 7, 20)
    )
    page = client.get(annual.get_absolute_url()).content.decode()
    assert "Koridor satu dan dua berjalan." in page and "Semester I 2026" in page


def test_the_ppksd_is_reminded_before_the_due_day_and_the_day_after(tkksd, ppksd, opd, settings):
    settings.MONITORING_REPORT_REMINDER_DAYS = [3]
    agreement = running(tkksd, opd=opd, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31))
    with time_machine.travel(dt.datetime(2026, 7, 7, 9, tzinfo=dt.UTC), tick=False):
        reminders.scan(dt.date(2026, 7, 7))
    due = Reminder.objects.get(kind=ReminderKind.OPD_EVALUATION_DUE)
    assert (due.recipient, due.due_date, due.subject_id) == (ppksd, dt.date(2026, 7, 10), agreement.pk)
    with time_machine.travel(dt.datetime(2026, 7, 11, 9, tzinfo=dt.UTC), tick=False):
        reminders.scan(dt.date(2026, 7, 11))
    assert Reminder.objects.filter(kind=ReminderKind.OPD_EVALUATION_OVERDUE, recipient=ppksd).count() == 1
    opd_evaluations.file_opd_evaluation(agreement, actor=ppksd, year=2026, part=1, data=data(), today=TODAY)
    assert not opd_evaluations.agreements_owing(2026, 1).exists()
