"""crispy-forms' Bootstrap 5 field (``bootstrap5/field.html``) written out in Python for the fields
the forms here are made of: a label, the widget with Bootstrap's classes, its help text and errors.

crispy's template costs about half a millisecond a field in the Django template language, more than
the widget itself, and a form of twenty fields spent most of its page's time there. The markup is
the template's own, to the attribute (kerjasama/tests/test_bootstrap_fields.py renders every form
of the project both ways and compares them); a field the template lays out otherwise (a
horizontal form, a table cell, a file) is rendered by crispy's own template, which
``templates/bootstrap5/field.html`` stands in front of. A list of checkboxes or radios laid out
plainly is written out here too, as ``layout/radio_checkbox_select.html`` prints it: its template
spends most of a page's time on the agreement page's list of PKS clauses.
"""

import functools
from pathlib import Path

import crispy_bootstrap5
from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms, template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

ASTERISK = mark_safe('<span class="asteriskField">*</span>')

CRISPY_FIELD = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5" / "field.html"


@functools.cache
def crispy_field_template() -> template.Template:
    """crispy's own ``bootstrap5/field.html``, which the project's template of that name hides."""
    return template.engines["django"].engine.from_string(CRISPY_FIELD.read_text(encoding="utf-8"))


def _plain_layout(context) -> bool:
    """Whether the form lays its fields out the plain way: labelled, not horizontal, no extra classes."""
    return not (
        context.get("tag")
        or context.get("label_class")
        or context.get("field_class")
        or context.get("wrapper_class")
        or "form-horizontal" in (context.get("form_class") or "")
        or not context.get("form_show_labels")
    )


def _plain(context, field) -> bool:
    """Whether the field is laid out the plain way this module writes out."""
    widget = field.field.widget
    return _plain_layout(context) and not (
        field.use_fieldset
        or isinstance(widget, forms.FileInput | forms.MultiWidget | forms.RadioSelect)
        or hasattr(widget, "widget")
    )


def _plain_choices(context, field) -> bool:
    """Whether the field is a list of checkboxes or radios laid out the plain way."""
    return (
        isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
        and _plain_layout(context)
        and not (context.get("inline_class") or context.get("flat_attrs"))
    )


def _option_attrs(attrs: dict) -> str:
    """crispy's ``layout/attrs.html``: each attribute but the false ones, a true one bare (escaped,
    as format_html would: the options of a long list are printed by the hundred)."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _errors_block(context, field, tag: str = "p") -> str:
    """crispy's ``layout/field_errors_block.html`` (each error in a <p>, or a <span> inline)."""
    if not (context.get("form_show_errors") and field.errors):
        return ""
    errors = format_html_join(
        "",
        '<{0} id="error_{1}_{2}"><strong>{3}</strong></{0}>',
        ((tag, number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.errors.field_id, errors)


def _choices(context, field) -> str:
    """crispy's ``bootstrap5/field.html`` for a list of checkboxes or radios, with its
    ``layout/radio_checkbox_select.html``."""
    invalid = " is-invalid" if field.errors else ""
    name = conditional_escape(field.html_name)
    groups = optgroups(field)
    items = []
    for group_number, (group, options, _index) in enumerate(groups):
        if group:
            items.append(f"<strong>{conditional_escape(group)}</strong>")
        for number, option in enumerate(options):
            last = field.errors and number == len(options) - 1 and group_number == len(groups) - 1
            # format_html's escaping of each value, without its cost per call.
            items.append(
                f'<div class="form-check"><input type="{conditional_escape(option["type"])}"'
                f' class="form-check-input{invalid}" name="{name}"'
                f' value="{conditional_escape(unlocalize(option["value"]))}"{_option_attrs(option["attrs"])}>'
                f'<label for="{conditional_escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(unlocalize(option['label']))}</label>"
                f"{_errors_block(context, field) if last else ''}</div>"
            )
    body = format_html(
        "<div>{}</div>{}",
        mark_safe("".join(items)),  # noqa: S308 (every value is escaped above)
        _help_text(field, inline=bool(context.get("help_text_inline"))),
    )
    if field.label:
        described = format_html(' aria-describedby="{}"', field.aria_describedby) if field.aria_describedby else ""
        body = format_html(
            "<fieldset{}>{}{}</fieldset>", described, _label(field, "form-label", tag="legend", extra=" fs-6"), body
        )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}</div>', field.auto_id, f" {css_classes}" if css_classes else "", body
    )


def _add_classes(widget, extra: str) -> None:
    """Bootstrap's classes on the widget, as crispy's ``{% crispy_field %}`` adds them."""
    class_name = widget.__class__.__name__.lower()
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in extra.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _help_and_errors(context, field) -> str:
    """crispy's ``layout/help_text_and_errors.html``."""
    help_inline = context.get("help_text_inline")
    error_inline = context.get("error_text_inline")
    parts = []
    if help_inline and not error_inline:
        parts.append(_help_text(field, inline=True))
    parts.append(_errors_block(context, field, "span" if error_inline else "p"))
    if not help_inline:
        parts.append(_help_text(field, inline=False))
    return format_html_join("", "{}", ((part,) for part in parts))


def _help_text(field, *, inline: bool) -> str:
    """crispy's ``layout/help_text.html`` (the help text is the form's own markup, as there)."""
    if not field.help_text:
        return ""
    text = mark_safe(field.help_text)  # noqa: S308 (help texts are written in the code, as crispy prints them)
    if inline:
        return format_html('<span id="{}_helptext" class="form-text">{}</span>', field.auto_id, text)
    if field.auto_id:
        return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, text)
    return format_html('<div class="form-text">{}</div>', text)


def _label(field, css: str, *, tag: str = "label", extra: str = "") -> str:
    """The field's <label> (a list of choices has a <legend>), with crispy's mark of a required one."""
    required = " requiredField" if field.field.required else ""
    mark = ASTERISK if field.field.required else ""
    target = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
    return format_html(
        '<{0}{1} class="{2}{3}{4}">{5}{6}</{0}>',
        tag,
        target,
        css,
        required,
        extra,
        conditional_escape(field.label),
        mark,
    )


@register.simple_tag(takes_context=True)
def bootstrap5_field(context):
    """The field in ``context`` as crispy's ``bootstrap5/field.html`` prints it."""
    field = context["field"]
    if field.is_hidden:
        return str(field)
    _read_choices_once(field)
    if _plain_choices(context, field):
        return _choices(context, field)
    if not _plain(context, field):
        return crispy_field_template().render(context)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    css_classes = field.css_classes()
    extra = f" {css_classes}" if css_classes else ""
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, "form-check-input" + invalid)
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            extra,
            str(field),
            _label(field, "form-check-label"),
            _help_and_errors(context, field),
        )
    _add_classes(widget, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid)
    label = _label(field, "form-label") if field.label else ""
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id,
        extra,
        label,
        str(field),
        _help_and_errors(context, field),
    )


def choices_of(formfield):
    """The field's (value, label) pairs. A model choice list is read in one plain query, where
    Django's ModelChoiceIterator reads it through a server-side cursor (declare, fetch, close) on
    PostgreSQL, and again for each further pass (a required select looks at its first option).
    The field's own queryset (each form has its copy) is iterated, so that rows a view has read
    already, to see whether there is anything to choose, are not read again."""
    if not isinstance(formfield, forms.ModelChoiceField):
        return formfield.choices
    iterator = formfield.iterator(formfield)
    head = [] if formfield.empty_label is None else [("", formfield.empty_label)]
    return head + [iterator.choice(instance) for instance in formfield.queryset]


def _read_choices_once(field) -> None:
    """A model choice widget's options read once, before the widget renders them."""
    widget = field.field.widget
    if isinstance(field.field, forms.ModelChoiceField) and hasattr(widget, "choices"):
        widget.choices = choices_of(field.field)


@register.simple_tag
def light_field(field):
    """A list page's filter field without Django's per-option widget templates, which cost more than
    the rest of a list page: a select with its options, or a number input."""
    value = field.value()
    current = "" if value is None else f"{value}"
    if field.field.widget.input_type == "select":
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, " selected" if f"{choice}" == current else "", label)
                for choice, label in choices_of(field.field)
            ),
        )
        return format_html(
            '<select name="{}" id="{}" class="form-select">{}</select>', field.html_name, field.id_for_label, options
        )
    return format_html(
        '<input type="number" name="{}" id="{}" value="{}" class="form-control" min="0">',
        field.html_name,
        field.id_for_label,
        current,
    )
