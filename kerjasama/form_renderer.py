"""How forms and their widgets render.

Django's own form and widget templates (``django/forms/…``: checkbox lists, error lists, the form
layouts) render through the Jinja2 versions Django ships beside the Django-language ones: the same
markup (kerjasama/tests/test_bootstrap_fields.py compares them on every form page), in about a third
of the time. The widgets every form is made of (an input of any type, a textarea, a select and its
options) are printed here in Python from the context Django prepares for their template, as the
Jinja2 template prints it, character for character (kerjasama/tests/test_form_renderer.py): a select
of a hundred options rendered one template per option cost more than the rest of a form's page.
Any other template a widget names (the admin's, for one) renders through the Django template
language as before.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.utils.functional import cached_property
from markupsafe import escape

JINJA2_PREFIX = "django/forms/"
WIDGETS = "django/forms/widgets/"
OPTION = f"{WIDGETS}select_option.html"
# Django's widget templates that only include ``input.html``.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _attrs(attrs: dict) -> str:
    """``attrs.html``: each attribute but those set to False, one set to True written bare."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    return f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'


def _select(widget: dict) -> str | None:
    """``select.html`` with its options, or None when an option names a template of its own."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


PRINTERS = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class FormRenderer(BaseRenderer):
    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        if template_name.startswith(JINJA2_PREFIX):
            return self.jinja2.get_template(template_name)
        return self.django.get_template(template_name)

    def render(self, template_name, context, request=None):
        printer = PRINTERS.get(template_name)
        if printer is not None and "widget" in context:
            printed = printer(context["widget"])
            if printed is not None:
                return printed.strip()
        return super().render(template_name, context, request=request)
