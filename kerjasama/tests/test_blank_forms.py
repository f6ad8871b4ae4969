"""kerjasama/blank_forms.py: what an empty form's key is made of, and the forms it never keeps."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import translation

from kerjasama import blank_forms


class _Plain(forms.Form):
    name = forms.CharField(label=translation.gettext_lazy("Title"))
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    def __init__(self, *args, form_tag=False, layout=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = form_tag
        if layout is not None:
            self.helper.layout = layout


def test_the_same_empty_form_is_printed_once_and_any_change_prints_anew(printed_forms):
    first = blank_forms.printed_blank(_Plain())
    assert blank_forms.printed_blank(_Plain()) == first
    assert len(printed_forms) == 1
    # Another initial value, other choices, another attribute, another language: printed anew.
    assert 'value="Judul"' in blank_forms.printed_blank(_Plain(initial={"name": "Judul"}))
    other = _Plain()
    other.fields["kind"].choices = [("a", "A"), ("c", "C")]
    assert 'value="c"' in blank_forms.printed_blank(other)
    attributed = _Plain()
    attributed.fields["name"].widget.attrs["placeholder"] = "Tulis judul"
    assert 'placeholder="Tulis judul"' in blank_forms.printed_blank(attributed)
    with translation.override("en"):
        assert "Title" in blank_forms.printed_blank(_Plain())
    # Back in the first one's language (Indonesian, the default): the first text.
    with translation.override("id"):
        assert blank_forms.printed_blank(_Plain()) == first and "Judul" in first
    assert len(printed_forms) == 5


def test_forms_it_never_keeps(printed_forms):
    # Sent back with what the user typed, or laid out by an object with no text of its own.
    for _ in range(2):
        assert 'value="dikirim"' in blank_forms.printed_blank(_Plain({"name": "dikirim", "kind": "x"}))
        assert 'name="name"' in blank_forms.printed_blank(_Plain(layout=Layout("name", "kind")))
    # A record's edit, whose signed edition differs every second.
    edit = _Plain()
    edit.edited_record = object()
    blank_forms.printed_blank(edit)
    blank_forms.printed_blank(edit)
    assert len(printed_forms) == 6
    # A helper printed_forms the <form> tag would lose its CSRF token here: refused.
    with pytest.raises(ValueError, match="form_tag"):
        blank_forms.printed_blank(_Plain(form_tag=True))


def test_a_key_names_no_memory_address():
    with pytest.raises(blank_forms._Unkeyable):
        blank_forms._plain(object())
    save = translation.gettext_lazy("Save")
    assert blank_forms._plain({"b": [1, None], "a": save}) == (("a", ("__proxy__", str(save))), ("b", (1, None)))
