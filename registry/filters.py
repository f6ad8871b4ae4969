"""The agreement list's filters (django-filter). The same FilterSet drives the page and the
CSV/XLSX export, so an export is exactly what the list shows."""

from datetime import date, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from kerjasama.filtering import SharedFilterSet

from . import selectors
from .lifecycle import ACTIVE_STAGES
from .models import OPD, Agreement, Kind, Stage, Urusan
from .search import search
from .status import Status, status_q

SORTS = {
    "-updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
    "-start": ("-start_date", "-id"),
    "end": ("end_date", "id"),
    "register": ("register_number",),
}
SORT_CHOICES = [
    ("-updated", _("Last changed")),
    ("title", _("Title")),
    ("-start", _("Start date, newest first")),
    ("end", _("End date, soonest first")),
    ("register", _("Register number")),
]


class FixedChoices(BaseChoiceIterator):
    """Choices that do not change while the process runs (an enumeration's; the labels are still
    translated per request), shared by every copy of the filters instead of deep-copied: copying
    them took a third of the time the filters cost a request."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __deepcopy__(self, memo):
        return self


def _year_choices(today: date):
    return [(str(year), str(year)) for year in range(today.year + 1, 2000, -1)]


class AgreementFilter(SharedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FixedChoices(Kind.choices))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=FixedChoices(Stage.choices))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FixedChoices(Status.choices), method="filter_status"
    )
    opd = django_filters.ModelChoiceFilter(
        label=_("OPD"), queryset=OPD.objects.filter(is_active=True), method="filter_opd"
    )
    urusan = django_filters.ModelChoiceFilter(label=_("Urusan"), queryset=Urusan.objects.all())
    partner = django_filters.NumberFilter(label=_("Partner"), method="filter_partner", widget=forms.HiddenInput)
    # Choices are set per request in __init__: the list of years moves with the calendar.
    year = django_filters.ChoiceFilter(label=_("Start year"), choices=[], method="filter_year")
    expiring_within = django_filters.NumberFilter(
        label=_("Expiring within (days)"), method="filter_expiring", min_value=0, max_value=3650
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=FixedChoices(SORT_CHOICES), method="filter_sort", empty_label=None
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "stage", "status", "opd", "urusan", "partner", "year", "expiring_within"]

    def __init__(self, data=None, *args, today: date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data, *args, **kwargs)

    def customize_form(self, form):
        form.fields["year"].choices = _year_choices(self.today)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["-updated"])
        return queryset

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value, self.today))

    def filter_opd(self, queryset, name, value):
        involved = Agreement.other_opds.through.objects.filter(opd=value).values("agreement_id")
        return queryset.filter(lead_opd=value) | queryset.filter(pk__in=involved)

    def filter_partner(self, queryset, name, value):
        through = Agreement.partners.through.objects.filter(partner_id=value).values("agreement_id")
        return queryset.filter(pk__in=through)

    def filter_year(self, queryset, name, value):
        # A range, not __year, so that the start_date index serves it.
        year = int(value)
        return queryset.filter(start_date__gte=date(year, 1, 1), start_date__lte=date(year, 12, 31))

    def filter_expiring(self, queryset, name, value):
        return queryset.filter(
            stage__in=ACTIVE_STAGES,
            end_date__gte=self.today,
            end_date__lte=self.today + timedelta(days=int(value)),
        )

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-updated"]))


def agreement_list_query(user, params, *, today: date, exporting: bool = False):
    """The agreement list's main query: the user's scope, the filters, search and order of `params`.
    Returns the filter set (None without parameters) and the queryset; the list page, its export
    and the benchmark's yardstick all read it from here."""
    base = selectors.agreement_export(user) if exporting else selectors.agreement_list(user)
    filterset = AgreementFilter(params, queryset=base, today=today) if params else None
    # Unreadable filter values are ignored rather than answered with an error page.
    queryset = filterset.qs if filterset and filterset.is_valid() else base.order_by(*SORTS["-updated"])
    return filterset, queryset
