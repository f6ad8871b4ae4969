"""Form fields shared by the apps."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

# "1.500.000.000" (grouped with dots), optionally ",50" for cents.
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
PLAIN = re.compile(r"^\d+([.,]\d+)?$")


def parse_amount(text: str) -> str:
    """An amount as typed in Indonesian ("1.500.000.000", "1.500.000,50") or plainly ("1500000",
    "1500000.50", "1500000,50"), as the digits a Decimal reads. Raises ValueError otherwise."""
    text = "".join(text.split()).removeprefix("Rp").removeprefix("rp")
    if GROUPED.match(text):
        return text.replace(".", "").replace(",", ".")
    if PLAIN.match(text):
        return text.replace(",", ".")
    raise ValueError(text)


class AmountInput(forms.TextInput):
    """A Rupiah amount: digits grouped with dots as the user types (static/js/app.js), a numeric
    keyboard on phones. Without the script the plain number is accepted as well."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "data-amount": "", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            return value
        amount = Decimal(value)
        whole, cents = divmod(amount, 1)
        grouped = f"{int(whole):,}".replace(",", ".")
        return grouped if not cents else f"{grouped},{str(cents.quantize(Decimal('0.01')))[2:]}"


class AmountField(forms.DecimalField):
    """A DecimalField for Rupiah that reads "1.500.000.000" as one and a half billion, never as 1.5.
    The value is stored exactly as typed: no rounding beyond the model's decimal places."""

    widget = AmountInput
    default_error_messages = {"invalid": _("Write the amount in digits, for example 1.500.000.000.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                value = parse_amount(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No min/max/step: the input is text so that it can show the grouping.
        attrs = super().widget_attrs(widget)
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return attrs


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple choice that a person searches by typing and picks by tapping (Tom Select,
    static/vendor/tom-select), not by holding Ctrl. Without the script it stays a plain list."""

    def __init__(self, attrs=None, choices=()):
        defaults = {
            "data-searchable": "",
            "data-placeholder": _("Type to search…"),
            "data-no-results": _("Nothing found."),
            "data-remove-label": _("Remove"),
            "size": 8,
        }
        super().__init__({**defaults, **(attrs or {})}, choices)


def show_if(field: forms.Field, condition: str, *, required: bool = False) -> None:
    """Show `field` in the browser only while `condition` holds (static/js/app.js): "kind=ksdd" (a
    choice), "burdens_community|not_yet_budgeted" (either checked or filled), "duration_months>60"
    (a number above). A field with an error is always shown; the server validates regardless.

    `required`: the form's clean() demands the field whenever it applies; while shown, it is marked
    required as the always-required fields are (an asterisk, and the browser asks for it)."""
    field.widget.attrs["data-show-if"] = condition
    if required:
        field.widget.attrs["data-required-if-shown"] = ""


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField for which a number no key can be (beyond the database's integer
    range) is an invalid choice like any unknown key, rather than an OverflowError in the query."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(model_field, models.IntegerField | models.AutoField):
            low, high = connections[self.queryset.db].ops.integer_field_range(model_field.get_internal_type())
            for item in value if isinstance(value, list | tuple) else ():
                try:
                    number = int(str(item))
                except ValueError:
                    continue
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)


def model_validators_first(model_field, **kwargs):
    """A ModelForm's `formfield_callback`: a model date field's validators (a plausible date) run
    with its form field, before the form's clean() computes with the date (a term in months, an
    end date) and overflows on the year 9999. Many-to-many fields refuse keys beyond the database's
    range as invalid choices (ModelMultipleChoiceField above)."""
    if isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    formfield = model_field.formfield(**kwargs)
    if formfield is not None and isinstance(model_field, models.DateField):
        formfield.validators = [*formfield.validators, *model_field.validators]
    return formfield
