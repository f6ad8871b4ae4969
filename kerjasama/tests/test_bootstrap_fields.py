"""The forms' fields print the markup crispy-forms and Django's own templates print
(kerjasama/templatetags/bootstrap_fields.py, kerjasama/form_renderer.py): every page with a form
that each role reaches, empty and after a post with errors, is compared with the same page
rendered by crispy's ``bootstrap5/field.html`` and Django's widget templates."""

import re
from contextlib import contextmanager
from unittest import mock

import lxml.html
import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from kerjasama import blank_forms
from kerjasama.form_renderer import FormRenderer
from kerjasama.templatetags import bootstrap_fields
from kerjasama.tests.crawl import crawl

pytestmark = pytest.mark.django_db

ROLES = ("tkksd", "bupati", "dprd", "ppksd.dishub", "admin")
PAGES_PER_ROLE = 60
NOT_POSTED = re.compile(r"/keluar|/logout|/i18n/")


@contextmanager
def crispy_and_django_templates():
    with (
        override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"),
        mock.patch.object(bootstrap_fields, "_plain", lambda context, field: False),
        # Empty forms kept once printed (kerjasama/blank_forms.py) are printed again here.
        mock.patch.object(blank_forms, "_PRINTED", {}),
    ):
        yield


def normalised(html: str) -> str:
    """The page without what changes on every request (the CSRF token, the script nonce, the time
    an edition token was signed, messages), with whitespace next to a tag dropped and runs of it
    collapsed (a browser shows them alike)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r"\1", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken"', html)
    # An edit's edition token is signed with the time it was printed.
    html = re.sub(r'(name="edition" value="[^":]+):[^"]+"', r'\1"', html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    # Messages left by an earlier post show on whichever page comes next.
    html = re.sub(r'<div class="mb-3" role="status">\s*(<div class="alert[^"]*">[^<]*</div>\s*)*</div>', "", html)
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r" ?(/?>)", r"\1", html).strip()


def differences(fast: str, reference: str) -> str:
    """The first place the two pages differ, for the failure message."""
    fast, reference = normalised(fast), normalised(reference)
    at = next(
        (i for i, (a, b) in enumerate(zip(fast, reference, strict=False)) if a != b), min(len(fast), len(reference))
    )
    return (
        f"\n  here:      …{fast[max(0, at - 200) : at + 200]}\n  reference: …{reference[max(0, at - 200) : at + 200]}"
    )


def post_forms(page_html: str) -> list[tuple[str, dict]]:
    """Each <form method="post"> of the page with only its hidden fields filled: the rest is left
    empty, so that a form with a required field answers with its errors."""
    tree = lxml.html.fromstring(page_html)
    found = []
    for form in tree.xpath('//form[translate(@method, "POST", "post")="post"]'):
        action = form.get("action") or ""
        typed = form.xpath('.//select | .//textarea | .//input[not(@type="hidden" or @type="submit")]')
        # Leaving the session or the language, and buttons with nothing to type, are not posted.
        if NOT_POSTED.search(action) or not typed:
            continue
        data = {field.get("name"): field.get("value", "") for field in form.xpath('.//input[@type="hidden"][@name]')}
        found.append((action, data))
    return found


def test_every_form_prints_the_markup_of_crispy_and_django_templates(client):
    from registry.models import User

    call_command("seed_demo", verbosity=0)
    assert (
        FormRenderer()
        .get_template("django/forms/widgets/select.html")
        .__module__.startswith("django.template.backends.jinja2")
    )
    compared, with_errors, problems = 0, 0, []
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        for page in crawl(client, "/", limit=PAGES_PER_ROLE):
            if page.status != 200 or "<form" not in page.html:
                continue
            with crispy_and_django_templates():
                reference = client.get(page.path).content.decode()
            compared += 1
            if normalised(page.html) != normalised(reference):
                problems.append(f"{username} {page.path}:{differences(page.html, reference)}")
            for action, data in post_forms(page.html):
                target = action or page.path
                answer = client.post(target, data)
                if answer.status_code != 200 or "invalid-feedback" not in answer.content.decode():
                    continue
                with crispy_and_django_templates():
                    expected = client.post(target, data)
                with_errors += 1
                if normalised(answer.content.decode()) != normalised(expected.content.decode()):
                    problems.append(
                        f"{username} POST {target}:{differences(answer.content.decode(), expected.content.decode())}"
                    )
        client.logout()
    assert compared >= 25 and with_errors >= 5, (compared, with_errors)
    assert problems == [], "\n".join(problems[:5])


class _Choices(forms.Form):
    clauses = forms.MultipleChoiceField(
        label="Isi <PKS>",
        choices=[("a", "Hak & kewajiban"), ("b", "Jangka waktu")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Centang yang ada.",
    )
    answer = forms.ChoiceField(
        label="Rekomendasi", choices=[("1", "Dilanjutkan"), ("2", "Dihentikan")], widget=forms.RadioSelect
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Kelompok", [("g1", "Satu"), ("g2", "Dua")]), ("h", "Lain")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unlabelled = forms.ChoiceField(label="", choices=[("1", "Satu")], widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize(
    "data",
    [None, {"grouped": ["g1"], "clauses": ["tidak-ada"]}, {"clauses": ["a"], "answer": "2"}],
    ids=["empty", "errors", "chosen"],
)
def test_lists_of_checkboxes_and_radios_print_crispys_markup(data):
    form = _Choices(data, initial={"clauses": ["b"]})
    if data:
        form.is_valid()
    form.helper = FormHelper()
    form.helper.form_tag = False
    page = Template("{% load crispy_forms_tags %}{% crispy form %}")
    fast = page.render(Context({"form": form}))
    with mock.patch.object(bootstrap_fields, "_plain_choices", lambda context, field: False):
        reference = page.render(Context({"form": form}))
    assert 'class="form-check-input' in fast and "<legend" in fast
    assert normalised(fast) == normalised(reference), differences(fast, reference)


# The include the list pages' filter fields were printed with before bootstrap_fields.light_field.
_LIGHT_FIELD_TEMPLATE = """{% with current=field.value|default_if_none:""|stringformat:"s" %}
  {% if field.field.widget.input_type == "select" %}
    <select name="{{ field.html_name }}" id="{{ field.id_for_label }}" class="form-select">
      {% for value, label in field.field.choices %}
        <option value="{{ value }}" {% if value|stringformat:"s" == current %}selected{% endif %}>{{ label }}</option>
      {% endfor %}
    </select>
  {% else %}
    <input type="number" name="{{ field.html_name }}" id="{{ field.id_for_label }}" value="{{ current }}"
           class="form-control" min="0">
  {% endif %}
{% endwith %}"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"opd": "{opd}", "status": "submitted", "kind": "ksdd", "expiring_within": "30", "year": "2026"}],
    ids=["empty", "chosen"],
)
def test_filter_fields_print_what_their_template_printed(opd, other_opd, data):
    from monitoring.forms import ReportFilter
    from planning.filters import ProposalFilter
    from registry.filters import AgreementFilter

    other_opd.abbreviation = 'Badan <Perencanaan> & "Riset"'
    other_opd.save()
    data = {name: value.format(opd=opd.pk) for name, value in data.items()}
    compared = 0
    for filterset in (AgreementFilter(data or None), ReportFilter(data or None), ProposalFilter(data or None)):
        for field in filterset.form:
            if field.is_hidden or field.field.widget.input_type not in ("select", "number"):
                continue
            fast = bootstrap_fields.light_field(field)
            reference = Template(_LIGHT_FIELD_TEMPLATE).render(Context({"field": field}))
            assert normalised(fast) == normalised(reference), differences(fast, reference)
            compared += 1
    assert compared >= 10
    assert "&lt;Perencanaan&gt; &amp; &quot;Riset&quot;" in str(
        bootstrap_fields.light_field(ReportFilter(data or None).form["opd"])
    )


@pytest.mark.django_db
def test_a_model_choice_filter_reads_its_options_in_one_plain_query(opd, other_opd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monitoring.forms import ReportFilter

    with CaptureQueriesContext(connection) as queries:
        html = str(bootstrap_fields.light_field(ReportFilter({"opd": str(opd.pk)}).form["opd"]))
    assert len(queries.captured_queries) == 1
    assert "DECLARE" not in queries.captured_queries[0]["sql"].upper()
    assert f'<option value="{opd.pk}" selected>' in html and f'<option value="{other_opd.pk}">' in html
