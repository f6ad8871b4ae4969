"""Django admin cannot bypass the rules: lifecycle fields read-only, private drafts unlisted,
issued documents unchangeable, every change in the history."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from planning.models import ProposalStatus
from planning.tests.factories import draft_proposal, map_potential, open_cycle, submitted_proposal
from registry.models import Kind, OfficialDocument, Stage
from registry.tests.factories import make_agreement


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_form(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, response.context["adminform"].form


@pytest.mark.django_db
def test_an_agreements_kind_stage_and_number_are_read_only_in_admin(admin_client, tkksd, opd):
    agreement = make_agreement(tkksd, opd=opd)
    url, form = change_form(admin_client, agreement)
    for name in ("kind", "stage", "register_number", "parent", "relation"):
        assert name not in form.fields, name
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"title": "Judul dikoreksi", "kind": Kind.KSDPL, "stage": Stage.PELAKSANAAN, "register_number": "X"}
    data |= {"transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0"}
    data["other_opds"] = []
    response = admin_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    agreement.refresh_from_db()
    assert agreement.title == "Judul dikoreksi"
    assert (agreement.kind, agreement.stage) == (Kind.KSDD, Stage.PERSIAPAN)
    assert agreement.register_number != "X"
    entry = LogEntry.objects.get(object_id=str(agreement.pk), content_type__model="agreement")
    assert entry.action_flag == CHANGE and entry.user.username == "admin"
    assert agreement.history.first().title == "Judul dikoreksi"


@pytest.mark.django_db
def test_an_opds_draft_proposals_are_not_listed_in_admin(admin_client, tkksd, ppksd):
    cycle = open_cycle(tkksd)
    draft = draft_proposal(ppksd, map_potential(ppksd, cycle), title="Draf rahasia OPD")
    submitted = submitted_proposal(ppksd, cycle, title="Usulan yang diajukan")
    page = admin_client.get(reverse("admin:planning_proposal_changelist")).content.decode()
    assert "Usulan yang diajukan" in page and "Draf rahasia OPD" not in page
    assert admin_client.get(reverse("admin:planning_proposal_change", args=[draft.pk])).status_code == 302
    assert submitted.status == ProposalStatus.SUBMITTED


@pytest.mark.django_db
def test_a_submitted_proposal_is_locked_in_admin(admin_client, tkksd, ppksd):
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle, title="Usulan terkunci")
    url, form = change_form(admin_client, proposal)
    assert "title" not in form.fields and "object" not in form.fields
    admin_client.post(url, {"title": "Diubah diam-diam", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    proposal.refresh_from_db()
    assert proposal.title == "Usulan terkunci"


@pytest.mark.django_db
def test_issued_documents_cannot_be_changed_in_admin(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    document_admin = admin.site._registry[OfficialDocument]
    assert not document_admin.has_change_permission(request)
    assert not document_admin.has_delete_permission(request)
    assert not document_admin.has_add_permission(request)


@pytest.mark.django_db
def test_roles_and_activation_are_read_only_in_admin_so_the_last_admin_stays(admin_client, admin_user):
    roles = set(admin_user.groups.values_list("name", flat=True))
    url, form = change_form(admin_client, admin_user)
    for name in ("groups", "user_permissions", "is_active", "is_staff", "is_superuser", "date_joined"):
        assert name not in form.fields, name
    data = {name: form[name].value() or "" for name in form.fields if name != "password"}
    data |= {"first_name": "Admin Baru", "is_active": "", "is_superuser": "", "groups": []}
    response = admin_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Admin Baru"
    assert admin_user.is_active and roles and set(admin_user.groups.values_list("name", flat=True)) == roles
