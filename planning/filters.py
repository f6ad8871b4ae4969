"""The filters of the potential and proposal lists (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kerjasama.filtering import SharedFilterSet
from registry.models import OPD, Kind, Urusan

from .models import Cycle, Potential, Proposal, ProposalStatus, StrategicIssue


class PotentialFilter(SharedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    cycle = django_filters.ModelChoiceFilter(label=_("Cycle"), queryset=Cycle.objects.all())
    opd = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=OPD.objects.filter(is_active=True))
    urusan = django_filters.ModelChoiceFilter(label=_("Urusan"), queryset=Urusan.objects.all())
    strategic_issue = django_filters.ChoiceFilter(label=_("Strategic issue"), choices=StrategicIssue.choices)
    mandatory = django_filters.ChoiceFilter(
        label=_("Mandatory (KSDD wajib)"), choices=[("1", _("Yes")), ("0", _("No"))], method="filter_mandatory"
    )

    class Meta:
        model = Potential
        fields = ["q", "cycle", "opd", "urusan", "strategic_issue", "mandatory"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(problem__icontains=value)
        )

    def filter_mandatory(self, queryset, name, value):
        return queryset.exclude(mandatory_basis="") if value == "1" else queryset.filter(mandatory_basis="")


class ProposalFilter(SharedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    cycle = django_filters.ModelChoiceFilter(label=_("Cycle"), queryset=Cycle.objects.all())
    opd = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=OPD.objects.filter(is_active=True))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)

    class Meta:
        model = Proposal
        fields = ["q", "cycle", "opd", "status", "kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(object__icontains=value))
