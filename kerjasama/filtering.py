"""A django-filter FilterSet that does its set-up once per process instead of once per request.

For every request, django-filter deep-copies each declared filter, builds a new form field for
each copy and creates a new form class from those fields: on the agreement list, about an
eighth of a filtered request. `SharedFilterSet` keeps the filters and the form class of
each FilterSet class for the life of the process. What changes between requests stays per
request: the bound form (Django still gives each form instance its own copy of the fields) and
the FilterSet instance, on which filter methods are looked up when they run.

The shared filters must therefore hold no per-request state: a FilterSet that needs something
of the request sets it on its form (``customize_form``), not on a filter.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from django_filters.constants import EMPTY_VALUES


class SharedFilterSet(FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, minus the deep copy of the filters and their link to this instance.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    @classmethod
    def shared_form_class(cls):
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls.prepare_form_class(form_class)
            cls._shared_form_class = form_class
        return form_class

    @classmethod
    def prepare_form_class(cls, form_class) -> None:
        """Adjust the shared fields once; they are copied into every form. By default: Bootstrap's
        classes on the widgets, and "All" as the empty choice."""
        for field in form_class.base_fields.values():
            if getattr(field, "empty_label", None) is not None and hasattr(field, "choices"):
                field.empty_label = _("All")
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def get_form_class(self):
        return self.shared_form_class()

    @property
    def form(self):
        created = not hasattr(self, "_form")
        form = super().form
        if created:
            self.customize_form(form)
        return form

    def customize_form(self, form) -> None:
        """Adjust this request's form (choices that move with the date, say)."""

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if value in EMPTY_VALUES:
                continue
            filter_ = self.filters[name]
            method = filter_.method
            if method is None:
                queryset = filter_.filter(queryset, value)
            else:
                method = method if callable(method) else getattr(self, method)
                queryset = method(queryset, filter_.field_name, value)
        return queryset
