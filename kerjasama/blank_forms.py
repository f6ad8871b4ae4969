"""An empty form's fields printed once and kept.

A form of twenty fields costs more to print than the rest of its page, and an empty one prints the
same text whenever what it shows is the same. ``printed_blank`` keeps that text per process, keyed
on everything the fields print: each field's label, help, widget and attributes, initial value and
choices, the choices of a model field being the rows read for this very view (so a new potential or
partner makes a new key, never a stale list), and the language. A bound form, with the values and
errors a user sent, is printed afresh every time.
"""

from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.safestring import SafeString

from kerjasama.templatetags.bootstrap_fields import choices_of

# Texts kept per process; the whole store is emptied when full.
_PRINTED: dict[tuple, SafeString] = {}
_LIMIT = 256


def printed_blank(form: forms.Form) -> SafeString:
    """The form's fields as ``{% crispy form %}`` prints them (its helper prints no ``<form>`` tag,
    hence no CSRF token): from the store when the form is unbound and the same text was printed
    before in this process, else rendered (and, unbound, kept)."""
    helper = getattr(form, "helper", None)
    if helper is None or helper.form_tag:
        # render_crispy_form has no request: a <form> tag would print without its CSRF token.
        raise ValueError(f"{type(form).__name__} must have a helper with form_tag off to be printed here")
    # Printed afresh: what a user sent, a template being edited (DEBUG), and a record's edit, whose
    # signed edition differs every second.
    if form.is_bound or settings.DEBUG or getattr(form, "edited_record", None) is not None:
        return render_crispy_form(form)
    try:
        key = _key_of(form)
    except _Unkeyable:
        return render_crispy_form(form)
    printed = _PRINTED.get(key)
    if printed is None:
        if len(_PRINTED) >= _LIMIT:
            _PRINTED.clear()
        printed = _PRINTED[key] = render_crispy_form(form)
    return printed


def forget_printed() -> None:
    """Empty the store (tests)."""
    _PRINTED.clear()


def _key_of(form: forms.Form) -> tuple:
    return (
        type(form),
        translation.get_language(),
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        _plain(form.helper.__dict__),
        tuple(_field_key(form[name]) for name in form.fields),
    )


def _field_key(bound: forms.BoundField) -> tuple:
    field = bound.field
    widget = field.widget
    return (
        bound.name,
        type(field),
        field.required,
        field.disabled,
        field.localize,
        field.show_hidden_initial,
        _plain(field.label_suffix),
        _plain(field.label),
        _plain(field.help_text),
        _plain(bound.value()),
        _widget_key(widget),
        _plain(list(choices_of(field))) if hasattr(widget, "choices") else None,
    )


def _widget_key(widget: forms.Widget) -> tuple:
    return (
        type(widget),
        _plain(widget.attrs),
        tuple(_widget_key(inner) for inner in getattr(widget, "widgets", ())),
        _widget_key(widget.widget) if isinstance(getattr(widget, "widget", None), forms.Widget) else None,
    )


def _plain(value):
    """A hashable value that prints as `value` prints: lazy translations and other text as the text
    itself (never a repr that names a memory address), containers item by item."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return tuple(sorted((str(name), _plain(item)) for name, item in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = tuple(_plain(item) for item in value)
        return tuple(sorted(items, key=repr)) if isinstance(value, set | frozenset) else items
    kind = type(value)
    if isinstance(value, models.Model):
        return (kind.__name__, value.pk, str(value))
    if kind.__str__ is object.__str__ and kind.__repr__ is object.__repr__:
        # Printed as its memory address, which another object may have next: no key.
        raise _Unkeyable(kind.__name__)
    # Text, lazy text, dates, amounts, a model choice's value (its key) or a record (its name).
    return (kind.__name__, str(value))


class _Unkeyable(Exception):
    """Something the form prints has no text of its own to key it on (a layout object, say): the
    form is printed afresh."""
