"""Required fields carry their mark before the first save: the always-required ones through
crispy-forms, the ones that apply only in some cases (a KSDD's nature, a KSDPK's type, a burden's
explanation, a long term's reason) through `show_if(..., required=True)`, and the PKS checklist
names its mandatory contents."""

import re

import pytest
from django.urls import reverse

from planning.tests.factories import map_potential, open_cycle
from registry.clauses import CLAUSES
from registry.models import Stage
from registry.tests.factories import make_agreement

AGREEMENT_CONDITIONAL = (
    "ksdd_nature",
    "ksdpk_type",
    "burden_justification",
    "plan_exception_basis",
    "long_term_reason",
)
PROPOSAL_CONDITIONAL = ("ksdd_nature", "ksdpk_type", "burden_justification", "plan_exception_basis")


def tag_of(html: str, name: str) -> str:
    match = re.search(rf'<(?:select|textarea|input)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def required_labels(html: str) -> set[str]:
    labels = re.findall(
        r'<label\s+for="id_(\w+)"\s+class="form-label requiredField">\s*[^<]*<span class="asteriskField">\*', html
    )
    return set(labels)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["tkksd", "ppksd", "admin_user"])
def test_agreement_form_marks_required_and_conditionally_required_fields(client, request, username, opd):
    client.force_login(request.getfixturevalue(username))
    html = client.get(reverse("registry:agreement_create")).content.decode()
    assert {"kind", "title", "object", "urusan", "lead_opd"} <= required_labels(html)
    for name in AGREEMENT_CONDITIONAL:
        assert "data-required-if-shown" in tag_of(html, name), name
    # Optional fields stay unmarked.
    assert "data-required-if-shown" not in tag_of(html, "scope")
    assert "scope" not in required_labels(html)


@pytest.mark.django_db
def test_proposal_form_marks_conditionally_required_fields(client, tkksd, ppksd):
    map_potential(ppksd, open_cycle(tkksd))
    client.force_login(ppksd)
    response = client.get(reverse("planning:proposal_create"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in PROPOSAL_CONDITIONAL:
        assert "data-required-if-shown" in tag_of(html, name), name


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dprd", "pimpinan", "outsider"])
def test_roles_that_cannot_file_get_no_agreement_form(client, request, username):
    client.force_login(request.getfixturevalue(username))
    assert client.get(reverse("registry:agreement_create")).status_code in (403, 404)


def test_anonymous_is_sent_to_sign_in_before_the_form(client, db):
    response = client.get(reverse("registry:agreement_create"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.django_db
def test_pks_checklist_being_edited_names_the_mandatory_contents(client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PENYUSUNAN_PKS)
    client.force_login(tkksd)
    html = client.get(agreement.get_absolute_url()).content.decode()
    for clause in CLAUSES:
        label = re.search(rf'value="{clause.code}"[^>]*>\s*<label[^>]*>\s*([^<]+?)\s*</label>', html)
        assert label, clause.code
        assert label.group(1).endswith("(wajib)") is clause.mandatory, label.group(1)
