"""The agreement list's rows: the partners' names kept on the agreement, the row values and
their escaping, and the navigation menu rendered once per role and language."""

import importlib
import json
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import dateformat, translation

from kerjasama.tests.markup import flat
from registry import services
from registry.models import Agreement, Partner, Stage
from registry.rows import LIST_VALUES, agreement_rows
from registry.status import status_of

from .factories import make_agreement, make_partner, region_partner


def names_of(agreement):
    agreement.refresh_from_db()
    return agreement.partner_names


def list_html(client, **params):
    response = client.get(reverse("registry:agreement_list"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_partner_names_follow_every_change_of_the_partners(tkksd, opd):
    zeta, alpha = make_partner("PT Zeta Abadi"), make_partner("CV Alpha Karya")
    agreement = make_agreement(tkksd, opd=opd, partners=[zeta, alpha], stage=Stage.PELAKSANAAN)
    assert names_of(agreement) == "CV Alpha Karya · PT Zeta Abadi"

    services.update_agreement(agreement, actor=tkksd, changes={}, partners=[zeta])
    assert names_of(agreement) == "PT Zeta Abadi"

    services.update_partner(zeta, actor=tkksd, changes={"name": "PT Zeta Abadi Jaya"})
    assert names_of(agreement) == "PT Zeta Abadi Jaya"
    assert "Zeta Abadi Jaya" in Agreement.objects.get(pk=agreement.pk).search_document

    follow_up = services.create_follow_up(agreement, actor=tkksd, relation="addendum", title="Adendum I")
    assert names_of(follow_up) == "PT Zeta Abadi Jaya"


@pytest.mark.django_db
def test_admin_edits_refresh_the_derived_text(admin_user, tkksd, opd):
    partner = make_partner("PT Lama Sentosa")
    agreement = make_agreement(tkksd, opd=opd, partners=[partner], title="Judul lama")
    request = RequestFactory().post("/")
    request.user = admin_user

    partner_admin = admin.site._registry[Partner]
    partner_form = partner_admin.get_form(request, partner)
    data = {**model_to_dict(partner, fields=partner_form.base_fields), "name": "PT Baru Sentosa"}
    form = partner_form(data={key: value for key, value in data.items() if value is not None}, instance=partner)
    assert form.is_valid(), form.errors
    partner_admin.save_model(request, partner_admin.save_form(request, form, change=True), form, change=True)
    assert names_of(agreement) == "PT Baru Sentosa"

    model_admin = admin.site._registry[Agreement]
    form_class = model_admin.get_form(request, agreement)
    data = {**model_to_dict(agreement, fields=form_class.base_fields), "title": "Judul baru dari admin"}
    data = {key: value for key, value in data.items() if value is not None}
    data["pks_clauses"] = json.dumps(agreement.pks_clauses)
    form = form_class(data=data, instance=agreement)
    assert form.is_valid(), form.errors
    saved = model_admin.save_form(request, form, change=True)
    model_admin.save_model(request, saved, form, change=True)
    model_admin.save_related(request, form, [], change=True)
    agreement.refresh_from_db()
    assert "Judul baru dari admin" in agreement.search_document
    assert agreement.partner_names == "PT Baru Sentosa"


@pytest.mark.django_db
def test_the_migration_fills_partner_names_from_the_links(tkksd, opd):
    first = make_agreement(tkksd, opd=opd, partners=[make_partner("PT Satu"), region_partner()])
    second = make_agreement(tkksd, opd=opd, partners=[make_partner("PT Dua")])
    expected = {first.pk: names_of(first), second.pk: names_of(second)}
    Agreement.objects.update(partner_names="")

    migration = importlib.import_module("registry.migrations.0007_agreement_partner_names")

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    # The part of a schema editor the data migration uses (a real one cannot open inside a test's transaction).
    migration.fill_partner_names(apps, SimpleNamespace(connection=connection, execute=execute))
    assert dict(Agreement.objects.values_list("pk", "partner_names")) == expected


@pytest.mark.django_db
def test_rows_print_what_the_model_says(tkksd, opd):
    today = date(2026, 11, 23)
    agreements = [
        make_agreement(tkksd, opd=opd, title=f"Kerja sama {month}", stage=Stage.PELAKSANAAN) for month in range(1, 13)
    ]
    for month, agreement in enumerate(agreements, start=1):
        Agreement.objects.filter(pk=agreement.pk).update(
            start_date=date(2020, 1, 1), end_date=date(2026 + month % 3, month, 17)
        )
    queryset = Agreement.objects.filter(pk__in=[a.pk for a in agreements]).order_by("pk")
    with translation.override("id"):
        rows = agreement_rows(queryset.values(*LIST_VALUES), today)
        for row, agreement in zip(rows, queryset, strict=True):
            status = status_of(agreement, today)
            assert row.url == agreement.get_absolute_url()
            assert row.title == agreement.title
            assert row.kind == agreement.kind.upper()
            assert row.lead_opd == str(agreement.lead_opd)
            assert row.partners == agreement.partner_names
            assert row.stage == agreement.get_stage_display()
            assert (row.status, row.status_label) == (status.value, str(status.label))
            # The same text as Django's date filter with "j M Y", in Indonesian ("17 Agu 2026").
            assert row.end_date == dateformat.format(agreement.end_date, "j M Y")
    assert {row.end_date.split()[1] for row in rows} >= {"Mei", "Agu", "Des"}


@pytest.mark.django_db
def test_list_escapes_hostile_titles_and_partner_names(client, tkksd, opd):
    make_agreement(
        tkksd,
        opd=opd,
        title='<script>alert("judul")</script>',
        partners=[make_partner("<img src=x onerror=alert(1)> & Rekan")],
    )
    client.force_login(tkksd)
    html = list_html(client)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;judul&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; Rekan" in html


@pytest.mark.django_db
def test_empty_list_says_so(client, tkksd):
    client.force_login(tkksd)
    assert "Tidak ada kerja sama yang cocok" in list_html(client, q="tidak-ada-yang-cocok")


@pytest.mark.django_db
def test_menu_differs_per_role_and_language_and_marks_the_page(client, tkksd, ppksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    client.force_login(tkksd)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert 'href="/registri/dokumen-resmi/"' in html
    active = re.findall(r'<a class="nav-link active"\s+href="([^"]+)"\s+aria-current="page"', html)
    assert active == ["/registri/kerja-sama/"]

    client.force_login(ppksd)
    html = list_html(client)
    assert 'href="/registri/dokumen-resmi/"' not in html
    assert "Kerja Sama" in html and "Beranda" in html

    client.cookies["django_language"] = "en"
    english = list_html(client)
    assert ">Home<" in english and ">Beranda<" not in english


# The rows templates/registry/opd_list.html printed before registry/rows.py did.
_TEMPLATE_OPD_ROWS = """{% load i18n %}{% for opd in opds %}
<tr><td><a href="{{ opd.get_absolute_url }}">{{ opd.name }}</a></td>
<td>{{ opd.abbreviation }}</td>
<td class="text-end">{{ opd.ppksd_count }}</td></tr>
{% empty %}<tr><td colspan="3" class="text-body-secondary">{% translate "No OPD to show." %}</td></tr>
{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_opd_rows_print_what_the_template_printed(client, admin_user, ppksd, opd, language):
    from django.template import Context, Template

    from registry.models import OPD
    from registry.rows import opd_rows
    from registry.tests.factories import OPDFactory

    OPDFactory(name='Badan <Perencanaan> & "Riset"', abbreviation="<b>Bappeda</b>")
    client.force_login(admin_user)
    client.cookies["django_language"] = language
    response = client.get(reverse("registry:opd_list"))
    opds = list(response.context["opds"])
    assert len(opds) >= 2 and any(item.ppksd_count for item in opds)
    with translation.override(language):
        expected = Template(_TEMPLATE_OPD_ROWS).render(Context({"opds": opds}))
        printed = opd_rows(opds)
        assert flat(printed) == flat(expected)
        assert flat(opd_rows(OPD.objects.none())) == flat(Template(_TEMPLATE_OPD_ROWS).render(Context({"opds": []})))
    assert flat(printed) in flat(response.content.decode())
    assert "<b>" not in printed and "&lt;Perencanaan&gt; &amp; &quot;Riset&quot;" in printed


# The rows templates/registry/partner_detail.html printed before registry/rows.py did.
_TEMPLATE_PARTNER_ROWS = """{% load i18n %}{% for agreement, status in agreements %}
<tr>
<td class="small">{{ agreement.register_number }}</td>
<td><a href="{{ agreement.get_absolute_url }}">{{ agreement.title }}</a></td>
<td class="small" data-testid="stage">
{% if agreement.ended_on %}
{% blocktranslate trimmed with date=agreement.ended_on|date:"j M Y" %}Ended {{ date }}{% endblocktranslate %}
{% if agreement.end_reason %}<div class="text-body-secondary" data-testid="end-reason">
{{ agreement.get_end_reason_display }}</div>{% endif %}
{% else %}{{ agreement.get_stage_display }}{% endif %}
</td>
<td>{% include "includes/status_badge.html" %}</td>
</tr>
{% empty %}<tr><td colspan="4" class="text-body-secondary">
{% translate "No agreement with this partner yet." %}</td></tr>
{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_partner_rows_print_what_the_template_printed(client, tkksd, opd, language):
    from datetime import datetime, timedelta

    from django.template import Context, Template
    from django.utils import timezone

    from registry.models import EndReason
    from registry.rows import partner_rows

    partner = make_partner('PT <Mitra> & "Rekan"')
    today = timezone.localdate()
    running = make_agreement(tkksd, opd=opd, partners=[partner], title='<script>alert("x")</script>')
    Agreement.objects.filter(pk=running.pk).update(
        stage=Stage.PELAKSANAAN, start_date=date(2024, 1, 1), end_date=today + timedelta(days=20)
    )
    ended = make_agreement(tkksd, opd=opd, partners=[partner], title="Angkutan Perkotaan & Perbatasan")
    Agreement.objects.filter(pk=ended.pk).update(
        stage=Stage.BERAKHIR,
        start_date=date(2023, 1, 1),
        end_date=date(2026, 8, 17),
        end_reason=EndReason.MUTUAL_AGREEMENT,
        stage_changed_at=timezone.make_aware(datetime(2026, 8, 17, 23, 30)),
    )
    make_agreement(tkksd, opd=opd, partners=[partner], title="Masih disiapkan")
    client.force_login(tkksd)
    client.cookies["django_language"] = language
    response = client.get(partner.get_absolute_url())
    assert response.status_code == 200
    agreements = [
        (agreement, status_of(agreement, today))
        for agreement in Agreement.objects.filter(partners=partner).order_by("-start_date", "-pk")
    ]
    with translation.override(language):
        expected = Template(_TEMPLATE_PARTNER_ROWS).render(Context({"agreements": agreements}))
        empty = Template(_TEMPLATE_PARTNER_ROWS).render(Context({"agreements": []}))
        assert flat(response.context["rows_html"]) == flat(expected)
        assert flat(partner_rows([])) == flat(empty)
    page = flat(response.content.decode())
    assert flat(expected) in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert ("Berakhir 17 Agu 2026" if language == "id" else "Ended 17 Aug 2026") in page
