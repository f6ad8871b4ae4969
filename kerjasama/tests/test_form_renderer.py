"""The widgets printed in Python (kerjasama/form_renderer.py) are, character for character, what
the Jinja2 templates Django ships print for them: every kind of input, a textarea, a select with
and without groups, a multiple one, a model choice list, with values and labels that need escaping."""

import datetime
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import Jinja2

from kerjasama import form_renderer
from kerjasama.form_renderer import FormRenderer
from registry.models import OPD

HOSTILE = "Dinas \"Pekerjaan\" <Umum> & Tata 'Ruang'"


class _Everything(forms.Form):
    text = forms.CharField(label="Judul", max_length=200, help_text="Singkat.")
    optional = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": HOSTILE, "autofocus": True})
    )
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"readonly": False, "data-x": 0}))
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)
    time = forms.TimeField(required=False)
    moment = forms.DateTimeField(required=False)
    flag = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", HOSTILE), ("b", "Biasa")])
    grouped = forms.ChoiceField(
        choices=[("Kelompok <1>", [("g1", "Satu"), ("g2", "Dua & tiga")]), ("h", "Lain")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True, required=False)
    opd = forms.ModelChoiceField(queryset=OPD.objects.order_by("name"), required=False)
    opds = forms.ModelMultipleChoiceField(queryset=OPD.objects.order_by("name"), required=False)


BOUND = [
    None,
    {},
    {
        "text": HOSTILE,
        "optional": "  spasi  ",
        "number": "-3",
        "decimal": "12.50",
        "email": "bukan surel",
        "url": "javascript:alert(1)",
        "password": "rahasia",
        "hidden": "<b>",
        "date": "2026-13-45",
        "time": "07:30",
        "moment": "2026-12-02 07:30",
        "flag": "on",
        "body": f"baris satu\r\n{HOSTILE}\n\nbaris tiga",
        "kind": "a",
        "grouped": "g2",
        "many": ["x", "y"],
        "disabled": "a",
    },
    {"body": "0", "kind": "tidak-ada", "number": "satu", "grouped": "zz", "many": ["z"]},
]


def _initial():
    return {
        "text": HOSTILE,
        "number": 7,
        "decimal": 1234567.5,
        "date": datetime.date(2026, 12, 2),
        "moment": datetime.datetime(2026, 12, 2, 7, 30),
        "flag": True,
        "body": "",
        "many": ["y"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("data", BOUND, ids=["initial", "empty", "filled", "wrong"])
def test_every_widget_prints_what_its_jinja2_template_prints(data, opd, other_opd):
    OPD.objects.create(name=HOSTILE, code="X-1")
    if data is not None and "opd" not in data and data:
        data = {**data, "opd": str(opd.pk), "opds": [str(opd.pk), str(other_opd.pk)]}
    initial = _initial() if data is None else None
    fast = _Everything(data=data, initial=initial, renderer=FormRenderer())
    reference = _Everything(data=data, initial=initial, renderer=Jinja2())
    printed = []

    def spy(printer):
        def printing(widget):
            printed.append(widget["name"])
            return printer(widget)

        return printing

    spies = {name: spy(printer) for name, printer in form_renderer.PRINTERS.items()}
    with mock.patch.dict(form_renderer.PRINTERS, spies):
        for field, expected in zip(fast, reference, strict=True):
            assert str(field) == str(expected), field.name
    # Every widget of the form was printed here, none through a template.
    assert sorted(printed) == sorted(_Everything.base_fields)


def test_the_form_renderer_prints_the_common_widgets_itself():
    renderer = FormRenderer()
    for name in ("text", "number", "date", "email", "hidden", "checkbox", "textarea", "select"):
        assert f"django/forms/widgets/{name}.html" in form_renderer.PRINTERS
    widget = {"name": "n", "value": None, "type": "text", "attrs": {"id": "id_n", "required": True}}
    assert renderer.render("django/forms/widgets/text.html", {"widget": widget}) == (
        '<input type="text" name="n" id="id_n" required>'
    )


def test_an_option_with_a_template_of_its_own_renders_through_the_template():
    class Odd(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    field = forms.ChoiceField(choices=[("a", "A")], widget=Odd)
    widget = field.widget
    fast = widget.render("n", "a", renderer=FormRenderer())
    assert fast == widget.render("n", "a", renderer=Jinja2()).strip()
    assert '<label><input type="select" name="n" value="a" selected> A</label>' in fast
