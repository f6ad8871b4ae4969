"""The shared FilterSet: set up once per process, yet nothing of one request reaches another."""

from datetime import date

import pytest
from django.http import QueryDict
from django.utils import translation

from monitoring.forms import ReportFilter
from monitoring.models import ImplementationReport
from registry.filters import AgreementFilter
from registry.models import Agreement
from registry.tests.factories import OPDFactory


def test_filters_and_form_class_are_built_once():
    first = AgreementFilter(QueryDict("kind=ksdd"), queryset=Agreement.objects.none())
    second = AgreementFilter(QueryDict("kind=ksdpk"), queryset=Agreement.objects.none())
    assert first.filters is second.filters is AgreementFilter.base_filters
    assert type(first.form) is type(second.form)
    # Each form still has fields of its own, bound to its own data.
    assert first.form.fields is not second.form.fields
    assert first.form.fields["kind"] is not second.form.fields["kind"]
    assert first.form.is_valid() and second.form.is_valid()
    assert (first.form.cleaned_data["kind"], second.form.cleaned_data["kind"]) == ("ksdd", "ksdpk")


def test_per_request_choices_stay_with_their_request():
    this_year = AgreementFilter(QueryDict(), queryset=Agreement.objects.none(), today=date(2026, 6, 1))
    next_year = AgreementFilter(QueryDict(), queryset=Agreement.objects.none(), today=date(2031, 6, 1))
    assert this_year.form.fields["year"].choices[1] == ("2027", "2027")
    assert next_year.form.fields["year"].choices[1] == ("2032", "2032")
    assert this_year.form.fields["year"].choices[1] == ("2027", "2027")
    later = AgreementFilter(QueryDict("year=2032"), queryset=Agreement.objects.none(), today=date(2026, 6, 1))
    assert not later.is_valid()


def test_shared_fields_are_styled_once():
    form = AgreementFilter(queryset=Agreement.objects.none()).form
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["expiring_within"].widget.attrs["class"] == "form-control"
    with translation.override("id"):
        assert str(form.fields["kind"].choices[0][1]) == "Semua"


@pytest.mark.django_db
def test_model_choices_are_read_per_request():
    """An OPD added after the form class was built is a valid choice at once."""
    AgreementFilter(QueryDict("opd=1"), queryset=Agreement.objects.none()).is_valid()
    opd = OPDFactory(name="Badan Riset dan Inovasi Daerah", abbreviation="BRIDA")
    filterset = AgreementFilter(QueryDict(f"opd={opd.pk}"), queryset=Agreement.objects.all())
    assert filterset.is_valid(), filterset.errors
    assert filterset.form.cleaned_data["opd"] == opd
    opd.is_active = False
    opd.save()
    assert not AgreementFilter(QueryDict(f"opd={opd.pk}"), queryset=Agreement.objects.all()).is_valid()


@pytest.mark.django_db
def test_methods_run_on_the_filterset_of_the_request():
    """Filter methods, named or callable, run on the FilterSet being asked, not on a shared one."""
    expiring = AgreementFilter(
        QueryDict("expiring_within=30"), queryset=Agreement.objects.all(), today=date(2026, 1, 1)
    )
    other_day = AgreementFilter(
        QueryDict("expiring_within=30"), queryset=Agreement.objects.all(), today=date(2030, 1, 1)
    )
    assert "2026-01-31" in str(expiring.qs.query)
    assert "2030-01-31" in str(other_day.qs.query)
    reports = ReportFilter(QueryDict("period=2026-10"), queryset=ImplementationReport.objects.all())
    assert "2026-10-01" in str(reports.qs.query)
