"""The agreement page's document table, timeline and publication rows, printed from Python
(registry/rows.py), against the template markup they replace; and the page's DPRD check, which
counts the approvals the page has read instead of asking the database again."""

from datetime import date, datetime

import pytest
from django.db.models import prefetch_related_objects
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from kerjasama.tests.markup import flat
from registry import lifecycle, services
from registry.forms import PUBLICATION_CHOICES
from registry.models import Agreement, AgreementDocument, DocumentType, DprdApproval, Stage, Transition
from registry.rows import document_rows, publication_rows, timeline_items

from .factories import make_agreement, upload

# The markup templates/registry/agreement_detail.html and _publication.html printed before registry/rows.py did.
_TEMPLATE_DOCUMENTS = """{% load i18n %}{% for document in documents %}
<tr><td><a href="{{ document.get_absolute_url }}">{{ document.get_doc_type_display }}</a>
<div class="small text-body-secondary">{{ document.original_name }}</div></td>
<td>v{{ document.version }}</td>
<td class="small">{{ document.number|default:"—" }}
{% if document.partner_number %}/ {{ document.partner_number }}{% endif %}
<br>
{{ document.date|date:"j F Y"|default:"" }}</td>
<td class="small">{% if document.is_signed %}
{% if document.has_paraf %}paraf ✓{% else %}paraf ✗{% endif %}
· {% if document.has_materai %}meterai ✓{% else %}meterai ✗{% endif %}
· {% if document.has_stempel %}stempel ✓{% else %}stempel ✗{% endif %}
{% else %}{% translate "draft" %}{% endif %}</td>
<td class="small font-monospace text-truncate">{{ document.sha256|truncatechars:14 }}</td></tr>
{% empty %}<tr><td colspan="5" class="text-body-secondary">{% translate "No document filed yet." %}</td></tr>
{% endfor %}"""

_TEMPLATE_TIMELINE = """{% load i18n %}{% for transition in timeline %}
<li><div class="fw-semibold">{{ transition.get_to_stage_display }}</div>
<div class="small text-body-secondary">
{{ transition.at|date:"j F Y H.i" }} ·
{% if transition.actor %}{{ transition.actor }}{% else %}{% translate "system" %}{% endif %}
{% if transition.effective_date %}· {% translate "effective" %} {{ transition.effective_date|date:"j F Y" }}{% endif %}
</div>
{% if transition.note %}<div class="small">{{ transition.note }}</div>{% endif %}
{% if transition.document %}<div class="small">
<a href="{{ transition.document.get_absolute_url }}">{{ transition.document }}</a></div>{% endif %}
</li>{% endfor %}"""

_TEMPLATE_PUBLICATION = """{% load i18n %}{% for document, shown, choice in publication.documents %}
<tr><td>{{ document }}<div class="text-body-secondary">
{% if shown %}{% translate "shown" %}{% else %}{% translate "hidden" %}{% endif %}</div></td>
<td><form method="post" action="{% url 'registry:document_publication' document.pk %}" class="d-flex gap-1">
{% csrf_token %}
<label class="visually-hidden" for="public-{{ document.pk }}">{% translate "On the public register" %}</label>
<select id="public-{{ document.pk }}" name="public" class="form-select form-select-sm">
{% for value, label in publication.choices %}
<option value="{{ value }}" {% if value == choice %}selected{% endif %}>{{ label }}</option>
{% endfor %}</select>
<button type="submit" class="btn btn-sm btn-outline-secondary">{% translate "Save" %}</button>
</form></td></tr>{% endfor %}"""

HOSTILE = "<script>alert('x')</script> & \"kutip\""


@pytest.fixture
def documents(tkksd, opd):
    """Documents of every shape the table prints: signed and complete with both numbers and a
    date, signed without paraf and without the partner's number, a draft with a hostile name."""
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENANDATANGANAN_PKS)
    complete = upload(agreement, tkksd, DocumentType.PKS, signed=True)
    AgreementDocument.objects.filter(pk=complete.pk).update(date=date(2026, 8, 17))
    partial = upload(agreement, tkksd, DocumentType.KB, signed=True, complete=False)
    AgreementDocument.objects.filter(pk=partial.pk).update(partner_number="", number=HOSTILE)
    draft = upload(agreement, tkksd, DocumentType.KAJIAN_TKKSD)
    AgreementDocument.objects.filter(pk=draft.pk).update(original_name=f"{HOSTILE}.pdf", sha256="")
    return agreement, list(agreement.documents.order_by("doc_type", "-version"))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_document_rows_print_what_the_template_printed(documents, language):
    _agreement, rows = documents
    with translation.override(language):
        expected = Template(_TEMPLATE_DOCUMENTS).render(Context({"documents": rows}))
        printed = document_rows(rows)
        assert flat(printed) == flat(expected)
        assert flat(document_rows([])) == flat(Template(_TEMPLATE_DOCUMENTS).render(Context({"documents": []})))
    assert (
        "<script>" not in printed
        and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;kutip&quot;" in printed
    )
    assert "17 Agustus 2026" in printed or "17 August 2026" in printed
    assert "paraf ✗ · meterai ✗ · stempel ✗" in printed and "paraf ✓ · meterai ✓ · stempel ✓" in printed


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_timeline_items_print_what_the_template_printed(tkksd, documents, language):
    agreement, rows = documents
    recorded = list(agreement.transitions.select_related("actor", "document").order_by("at", "pk"))
    assert recorded and all(transition.actor for transition in recorded)
    # A move by the system, effective on a given date, with a hostile note and its document.
    by_system = Transition(
        agreement=agreement,
        from_stage=Stage.PENANDATANGANAN_PKS,
        to_stage=Stage.PELAKSANAAN,
        actor=None,
        at=timezone.make_aware(datetime(2026, 12, 31, 23, 45)),
        effective_date=date(2027, 1, 1),
        note=HOSTILE,
        document=rows[0],
    )
    tkksd.first_name, tkksd.last_name = "Sri <b>", "Rahayu & Co"
    by_person = Transition(
        agreement=agreement, to_stage=Stage.PENAWARAN, actor=tkksd, at=timezone.make_aware(datetime(2026, 3, 2, 8, 5))
    )
    timeline = [*recorded, by_system, by_person]
    with translation.override(language):
        expected = Template(_TEMPLATE_TIMELINE).render(Context({"timeline": timeline}))
        printed = timeline_items(timeline)
        assert flat(printed) == flat(expected)
    assert printed.count("<li>") == len(timeline)
    assert "<script>" not in printed and "Sri &lt;b&gt; Rahayu &amp; Co" in printed
    # Printed in the local time zone (Asia/Jakarta): 31 December 2026 23.45 WIB.
    assert "31 Desember 2026 23.45" in printed or "31 December 2026 23.45" in printed


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_publication_rows_print_what_the_template_printed(documents, language):
    _agreement, rows = documents
    triples = [(rows[0], True, "yes"), (rows[1], False, "no"), (rows[2], False, "")]
    csrf = '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">'
    context = {"publication": {"documents": triples, "choices": PUBLICATION_CHOICES}, "csrf_token": "TOKEN"}
    with translation.override(language):
        expected = Template(_TEMPLATE_PUBLICATION).render(Context(context))
        printed = publication_rows(triples, PUBLICATION_CHOICES, csrf)
    # The template left a space before ">" of each option not chosen; the rows do not.
    assert flat(printed) == flat(expected).replace('" >', '">')
    assert printed.count(" selected>") == 3
    assert printed.count(csrf) == 3


@pytest.mark.django_db
def test_the_page_prints_its_rows_for_the_publication_card_and_without_documents(client, tkksd, ppksd, documents):
    agreement, rows = documents
    client.force_login(tkksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    for document in rows:
        assert f'href="{document.get_absolute_url()}"' in page
        assert f'action="{reverse("registry:document_publication", args=[document.pk])}"' in page
    # Each row's form carries the page's CSRF token.
    assert page.count('name="csrfmiddlewaretoken"') >= len(rows) + 1
    # A PPKSD does not decide publication: no row of the card.
    client.force_login(ppksd)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "document_publication" not in page and "/publikasi/" not in page.replace(
        reverse("registry:agreement_publication", args=[agreement.pk]), ""
    )
    empty = make_agreement(tkksd, opd=agreement.lead_opd, title="Tanpa dokumen")
    assert "Belum ada dokumen" in client.get(empty.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_dprd_check_counts_the_approvals_the_page_read(tkksd, opd, django_assert_num_queries):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PERSETUJUAN_DPRD, not_yet_budgeted=True)
    approval = services.request_dprd_approval(
        agreement, actor=tkksd, request_number="100/1/KS", received_on=date(2026, 10, 1)
    )

    def read(pk):
        found = Agreement.objects.get(pk=pk)
        prefetch_related_objects([found], "dprd_approvals")
        return found

    pending = read(agreement.pk)
    with django_assert_num_queries(0):
        assert lifecycle.dprd_approval_given(pending) is False
    assert lifecycle.dprd_approval_given(Agreement.objects.get(pk=agreement.pk)) is False

    services.record_dprd_decision(
        approval, actor=tkksd, decision=DprdApproval.Decision.APPROVED, decision_date=date(2026, 10, 20)
    )
    approved = read(agreement.pk)
    with django_assert_num_queries(0):
        assert lifecycle.dprd_approval_given(approved) is True
    assert lifecycle.dprd_approval_given(Agreement.objects.get(pk=agreement.pk)) is True
    # What was read before the decision stays as it was read: only a fresh read sees the answer.
    assert lifecycle.dprd_approval_given(pending) is False


@pytest.mark.django_db
def test_the_follow_up_form_is_printed_as_crispy_prints_it_and_kept(client, tkksd, opd, printed_forms):
    from crispy_forms.utils import render_crispy_form

    from registry.forms import FollowUpForm

    running = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    other = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN, title="Kerja sama lain yang berjalan")
    client.force_login(tkksd)
    page = client.get(running.get_absolute_url()).content.decode()
    expected = render_crispy_form(FollowUpForm(choices=services.follow_up_choices(running)))
    assert flat(expected) in flat(page)
    # The next agreement at the same point prints the same text from the store.
    printed_forms.clear()
    assert flat(expected) in flat(client.get(other.get_absolute_url()).content.decode())
    assert printed_forms == []
