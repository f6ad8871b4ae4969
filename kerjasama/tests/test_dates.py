"""Dates the law cannot mean are refused with a clear message, never stored, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from kerjasama.tests.test_concurrency import post_data
from monitoring.tests.helpers import running
from registry.models import Agreement, Stage
from registry.tests.factories import make_agreement


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0001-01-01", "1944-12-31", "2200-01-01"])
def test_an_agreement_date_before_1945_or_a_century_ahead_is_a_form_error(typed, ppksd, opd, client):
    agreement = make_agreement(ppksd, opd=opd)
    client.force_login(ppksd)
    url = reverse("registry:agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, start_date=typed, duration_months="60"))
    assert response.status_code == 200
    assert "Masukkan tanggal antara 1945 dan" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).start_date is None


@pytest.mark.django_db
def test_an_end_before_the_start_is_a_form_error(tkksd, client):
    agreement = make_agreement(tkksd)
    client.force_login(tkksd)
    url = reverse("registry:agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, start_date="2026-05-01", end_date="2026-04-30"))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["2024-12", "2031-01", "9999-12", "0001-01", "2026-13", "x"])
def test_a_report_month_outside_the_term_is_refused_with_a_message(period, tkksd, ppksd, opd, client, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC))
    agreement = running(tkksd, opd=opd, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31))
    client.force_login(ppksd)
    response = client.get(reverse("monitoring:report_create", args=[agreement.pk]), {"periode": period}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    if period in ("2024-12",):
        assert "tidak berjalan pada bulan tersebut" in page
    elif period == "2031-01":
        assert "setelah bulan tersebut berakhir" in page


@pytest.mark.django_db
def test_the_cycle_schedule_refuses_an_impossible_year(tkksd, client):
    from planning.tests.factories import open_cycle

    cycle = open_cycle(tkksd)
    client.force_login(tkksd)
    url = reverse("planning:cycle_edit", args=[cycle.pk])
    form = client.get(url).context["form"]
    response = client.post(url, post_data(form, socialisation_date="1900-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["socialisation_date"]


@pytest.mark.django_db
def test_a_legacy_agreement_with_an_impossible_date_still_shows_its_pages(tkksd, ppksd, opd, client):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    Agreement.objects.filter(pk=agreement.pk).update(start_date=dt.date(1, 1, 1), end_date=dt.date(9999, 12, 31))
    for user in (tkksd, ppksd):
        client.force_login(user)
        for url in (reverse("monitoring:agreement_reports", args=[agreement.pk]), agreement.get_absolute_url()):
            assert client.get(url, follow=True).status_code == 200, url
    report = reverse("monitoring:report_create", args=[agreement.pk])
    assert client.get(report, {"periode": "9999-12"}, follow=True).status_code == 200
