"""Planning pages: the permission matrix of every URL for every role, the forms, and pinned
query counts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from kerjasama.tests.markup import flat
from planning import programme, services
from planning.models import Appointment, Cycle, Decision, Plenary, Potential, Proposal, ProposalStatus
from registry.models import OPD, TkksdMember, Urusan
from registry.tests.factories import region_partner

from .factories import draft_proposal, map_potential, open_cycle, prioritise, schedule, submitted_proposal, the_team

USERS = ["tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"]


@pytest.fixture
def world(users, opd):
    """An open cycle; the PPKSD's OPD with a potential, a submitted proposal on a scheduled
    plenary's agenda, a draft, and an appointment; a closed plenary with a drafted SK."""
    the_team(chair=users["tkksd"])
    tkksd, ppksd = users["tkksd"], users["ppksd"]
    cycle = open_cycle(tkksd)
    potential = map_potential(ppksd, cycle)
    submitted = submitted_proposal(ppksd, cycle, title="Diajukan")
    decided = submitted_proposal(ppksd, cycle, title="Diprioritaskan")
    draft = draft_proposal(ppksd, potential, title="Draf")
    closed = schedule(tkksd, cycle)
    prioritise(tkksd, closed, [decided])
    services.close_plenary(closed, actor=tkksd)
    programme.draft_programme(cycle, actor=tkksd)
    plenary = schedule(tkksd, cycle)
    services.add_to_agenda(plenary, actor=tkksd, proposals=[submitted])
    guest = services.add_guest(plenary, actor=tkksd, name="Tamu", position="Instansi")
    appointment = services.record_appointment(
        actor=tkksd, user=ppksd, letter_number="800/1/Dishub", letter_date=timezone.localdate()
    )
    return {
        "cycle": cycle,
        "potential": potential,
        "submitted": submitted,
        "draft": draft,
        "plenary": plenary,
        "item": plenary.agenda.get(),
        "guest": guest,
        "appointment": appointment,
    }


def url_for(name, world):
    cycle, plenary = world["cycle"], world["plenary"]
    return {
        "cycle_list": reverse("planning:cycle_list"),
        "cycle_create": reverse("planning:cycle_create"),
        "cycle_detail": cycle.get_absolute_url(),
        "cycle_edit": reverse("planning:cycle_edit", args=[cycle.pk]),
        "plenary_create": reverse("planning:plenary_create", args=[cycle.pk]),
        "appointments": reverse("planning:appointments"),
        "potential_list": reverse("planning:potential_list"),
        "potential_create": reverse("planning:potential_create"),
        "potential_detail": world["potential"].get_absolute_url(),
        "potential_edit": reverse("planning:potential_edit", args=[world["potential"].pk]),
        "proposal_list": reverse("planning:proposal_list"),
        "proposal_create": reverse("planning:proposal_create"),
        "proposal_detail": world["submitted"].get_absolute_url(),
        "draft_detail": world["draft"].get_absolute_url(),
        "proposal_edit": reverse("planning:proposal_edit", args=[world["draft"].pk]),
        "plenary_detail": plenary.get_absolute_url(),
        "plenary_edit": reverse("planning:plenary_edit", args=[plenary.pk]),
        # Actions (POST only).
        "programme_draft": reverse("planning:programme_draft", args=[cycle.pk]),
        "programme_issue": reverse("planning:programme_issue", args=[cycle.pk]),
        "appointment_end": reverse("planning:appointment_end", args=[world["appointment"].pk]),
        "proposal_submit": reverse("planning:proposal_submit", args=[world["draft"].pk]),
        "proposal_return": reverse("planning:proposal_return", args=[world["submitted"].pk]),
        "agenda_add": reverse("planning:agenda_add", args=[plenary.pk]),
        "agenda_remove": reverse("planning:agenda_remove", args=[plenary.pk, world["item"].pk]),
        "decision_record": reverse("planning:decision_record", args=[plenary.pk]),
        "attendance_record": reverse("planning:attendance_record", args=[plenary.pk]),
        "guest_add": reverse("planning:guest_add", args=[plenary.pk]),
        "guest_remove": reverse("planning:guest_remove", args=[plenary.pk, world["guest"].pk]),
        "plenary_close": reverse("planning:plenary_close", args=[plenary.pk]),
    }[name]


# GET status per URL, users in the order of USERS: 200 allowed, 302 sent elsewhere with a message,
# 403 role refused, 404 not theirs (or hidden: another OPD's records, drafts of an OPD).
GET_MATRIX = {
    "cycle_list": [200, 200, 200, 403, 200, 200, 403],
    "cycle_create": [200, 403, 403, 403, 403, 403, 403],
    "cycle_detail": [200, 200, 200, 403, 200, 200, 403],
    "cycle_edit": [200, 403, 403, 403, 403, 403, 403],
    "plenary_create": [200, 403, 403, 403, 403, 403, 403],
    "appointments": [200, 200, 200, 403, 200, 200, 403],
    "potential_list": [200, 200, 200, 403, 200, 200, 403],
    "potential_create": [403, 200, 200, 403, 403, 403, 403],
    "potential_detail": [200, 200, 404, 403, 200, 200, 403],
    "potential_edit": [403, 200, 404, 403, 403, 403, 403],
    "proposal_list": [200, 200, 200, 403, 200, 200, 403],
    # The other OPD has mapped nothing yet: it is sent to map a potential first.
    "proposal_create": [403, 200, 302, 403, 403, 403, 403],
    "proposal_detail": [200, 200, 404, 403, 200, 200, 403],
    "draft_detail": [404, 200, 404, 403, 404, 404, 403],
    "proposal_edit": [403, 200, 404, 403, 403, 403, 403],
    "plenary_detail": [200, 403, 403, 403, 200, 200, 403],
    "plenary_edit": [200, 403, 403, 403, 403, 403, 403],
}

# POST status per action: 302 done (or refused with a message), 403 role refused, 404 not theirs.
POST_MATRIX = {
    "programme_draft": [302, 403, 403, 403, 403, 403, 403],
    "programme_issue": [403, 403, 403, 403, 302, 403, 403],
    "appointment_end": [302, 302, 404, 403, 403, 302, 403],
    "proposal_submit": [403, 302, 404, 403, 403, 403, 403],
    "proposal_return": [302, 403, 403, 403, 403, 403, 403],
    "agenda_add": [302, 403, 403, 403, 403, 403, 403],
    "agenda_remove": [302, 403, 403, 403, 403, 403, 403],
    "decision_record": [302, 403, 403, 403, 403, 403, 403],
    "attendance_record": [302, 403, 403, 403, 403, 403, 403],
    "guest_add": [302, 403, 403, 403, 403, 403, 403],
    "guest_remove": [302, 403, 403, 403, 403, 403, 403],
    "plenary_close": [302, 403, 403, 403, 403, 403, 403],
}


def post_data(name, world):
    return {
        "programme_draft": {"proposals": [p.pk for p in programme.programme_candidates(world["cycle"])]},
        "appointment_end": {"ended_on": timezone.localdate().isoformat(), "reason": "Mutasi"},
        "proposal_return": {"note": "Lengkapi rujukan RPJMD"},
        "decision_record": {"proposal": world["submitted"].pk, "decision": "prioritised", "rank": "1"},
        "attendance_record": {"members": [m.pk for m in TkksdMember.objects.all()]},
        "guest_add": {"name": "Tamu lain", "position": "Instansi"},
    }.get(name, {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in GET_MATRIX.items() for user, status in zip(USERS, row, strict=True)],
)
def test_planning_pages_permission_matrix(client, users, world, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.get(url_for(url_name, world)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in POST_MATRIX.items() for user, status in zip(USERS, row, strict=True)],
)
def test_planning_actions_permission_matrix(client, users, world, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.post(url_for(url_name, world), post_data(url_name, world)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(GET_MATRIX) + sorted(POST_MATRIX))
def test_planning_urls_send_anonymous_users_to_login(client, world, url_name):
    response = (
        client.post(url_for(url_name, world)) if url_name in POST_MATRIX else client.get(url_for(url_name, world))
    )
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_actions_answer_only_post(client, users, world, url_name):
    client.force_login(users["tkksd"])
    assert client.get(url_for(url_name, world)).status_code == 405


@pytest.mark.django_db
def test_refused_roles_change_nothing(client, users, world):
    for name in ("ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"):
        client.force_login(users[name])
        for action in ("proposal_return", "decision_record", "plenary_close", "programme_draft"):
            client.post(url_for(action, world), post_data(action, world))
    world["submitted"].refresh_from_db()
    world["item"].refresh_from_db()
    world["plenary"].refresh_from_db()
    assert world["submitted"].status == ProposalStatus.SUBMITTED
    assert world["item"].decision == ""
    assert world["plenary"].status == Plenary.Status.SCHEDULED


@pytest.mark.django_db
def test_allowed_actions_do_what_they_say(client, users, world):
    client.force_login(users["tkksd"])
    client.post(url_for("decision_record", world), post_data("decision_record", world))
    world["item"].refresh_from_db()
    assert (world["item"].decision, world["item"].rank) == (Decision.PRIORITISED, 1)
    client.post(url_for("attendance_record", world), post_data("attendance_record", world))
    assert world["plenary"].attendees.count() == TkksdMember.objects.count() + 1
    client.post(url_for("plenary_close", world))
    world["plenary"].refresh_from_db()
    assert world["plenary"].status == Plenary.Status.CLOSED
    client.force_login(users["ppksd"])
    client.post(url_for("proposal_submit", world))
    world["draft"].refresh_from_db()
    assert world["draft"].status == ProposalStatus.SUBMITTED
    client.post(url_for("appointment_end", world), post_data("appointment_end", world))
    assert Appointment.objects.get().ended_on == timezone.localdate()


# --- forms ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tkksd_opens_a_cycle_through_the_form_and_bad_dates_are_explained(english_client, tkksd):
    english_client.force_login(tkksd)
    today = timezone.localdate()
    data = {
        "year": today.year + 1,
        "socialisation_date": (today + timedelta(days=1)).strftime("%d-%m-%Y"),
        "coordination_start": (today + timedelta(days=10)).strftime("%d/%m/%Y"),
        "coordination_end": (today + timedelta(days=20)).isoformat(),
        "submission_deadline": (today + timedelta(days=5)).isoformat(),
        "plenary_date": (today + timedelta(days=40)).isoformat(),
    }
    response = english_client.post(reverse("planning:cycle_create"), data)
    assert response.status_code == 200
    assert "The schedule must run in order" in response.content.decode()
    data["submission_deadline"] = (today + timedelta(days=30)).isoformat()
    response = english_client.post(reverse("planning:cycle_create"), data)
    cycle = Cycle.objects.get()
    assert response["Location"] == cycle.get_absolute_url()
    assert cycle.coordination_start == today + timedelta(days=10)
    response = english_client.post(reverse("planning:cycle_create"), data)
    assert "already exists" in response.content.decode()


@pytest.mark.django_db
def test_ppksd_maps_a_potential_and_proposes_from_it_through_the_forms(english_client, tkksd, ppksd):
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    partner = region_partner("34.71")
    english_client.force_login(ppksd)
    response = english_client.post(
        reverse("planning:potential_create"),
        {
            "cycle": cycle.pk,
            "urusan": Urusan.objects.get(code="2.15").pk,
            "title": "Angkutan perbatasan",
            "description": "Halte di koridor perbatasan.",
            "problem": "Kemacetan komuter.",
            "strategic_issue": "lainnya",
            "candidate_partners": "Kota Yogyakarta",
            "expected_benefit": "Perjalanan lebih cepat.",
            "mandatory_basis": "efficiency",
            "candidate_kind": "ksdpk",
        },
    )
    content = response.content.decode()
    assert "Name the strategic issue." in content
    assert "A mandatory cooperation is one with another region (KSDD)." in content
    response = english_client.post(
        reverse("planning:potential_create"),
        {
            "cycle": cycle.pk,
            "urusan": Urusan.objects.get(code="2.15").pk,
            "title": "Angkutan perbatasan",
            "description": "Halte di koridor perbatasan.",
            "problem": "Kemacetan komuter.",
            "strategic_issue": "kawasan_perbatasan",
            "candidate_partners": "Kota Yogyakarta",
            "expected_benefit": "Perjalanan lebih cepat.",
            "mandatory_basis": "efficiency",
            "candidate_kind": "ksdd",
        },
    )
    potential = Potential.objects.get()
    assert response["Location"] == potential.get_absolute_url()
    assert (potential.opd, potential.created_by) == (ppksd.opd, ppksd)
    # The proposal form starts from the potential.
    response = english_client.get(reverse("planning:proposal_create") + f"?potensi={potential.pk}")
    form = response.context["form"]
    assert (form["title"].value(), form["kind"].value(), form["ksdd_nature"].value()) == (
        "Angkutan perbatasan",
        "ksdd",
        "wajib",
    )
    data = {
        "potential": potential.pk,
        "title": "Angkutan Lintas Batas",
        "kind": "ksdd",
        "ksdd_nature": "wajib",
        "urusan": potential.urusan_id,
        "object": "Trayek angkutan perkotaan lintas batas.",
        "partners": [partner.pk],
        "benefit": "Perjalanan lebih cepat.",
        "cost_estimate": "750000000",
        "not_yet_budgeted": "on",
        "duration_months": "36",
    }
    response = english_client.post(reverse("planning:proposal_create"), data)
    assert "Explain the burden: the DPRD will read it." in response.content.decode()
    data["burden_justification"] = "Belum dianggarkan pada APBD tahun berjalan."
    response = english_client.post(reverse("planning:proposal_create"), data)
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.DRAFT and proposal.dprd_required
    assert list(proposal.partners.all()) == [partner]
    english_client.post(reverse("planning:proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    # Locked now: the edit page sends the PPKSD back with the reason.
    response = english_client.get(reverse("planning:proposal_edit", args=[proposal.pk]), follow=True)
    assert "A submitted proposal is locked unless the TKKSD returns it for revision." in response.content.decode()


@pytest.mark.django_db
def test_tkksd_records_a_decision_for_a_proposal_not_on_the_agenda_gets_the_rule(english_client, tkksd, ppksd):
    the_team(chair=tkksd)
    cycle = open_cycle(tkksd)
    proposal = submitted_proposal(ppksd, cycle)
    plenary = schedule(tkksd, cycle)
    english_client.force_login(tkksd)
    response = english_client.post(
        reverse("planning:decision_record", args=[plenary.pk]),
        {"proposal": proposal.pk, "decision": "prioritised", "rank": "1"},
        follow=True,
    )
    assert "A decision can only be recorded for a proposal on this plenary" in response.content.decode()
    response = english_client.post(reverse("planning:plenary_close", args=[plenary.pk]), follow=True)
    assert "The agenda is empty" in response.content.decode()


@pytest.mark.django_db
def test_the_agreement_page_shows_the_proposal_it_came_from_to_those_who_may_read_it(client, users, world):
    cycle = world["cycle"]
    cycle.refresh_from_db()
    programme.issue_programme(cycle, actor=users["pimpinan"])
    proposal = Proposal.objects.get(status=ProposalStatus.ADOPTED)
    agreement = proposal.agreement
    for name, shown in [("tkksd", True), ("ppksd", True), ("pimpinan", True), ("admin", True)]:
        client.force_login(users[name])
        content = client.get(agreement.get_absolute_url()).content.decode()
        assert ('data-testid="from-proposal"' in content) is shown
        assert proposal.get_absolute_url() in content
    # The proposal page links to the agreement.
    client.force_login(users["ppksd"])
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert agreement.get_absolute_url() in content


# --- query counts ----------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_list_and_detail_query_counts_do_not_grow_with_the_data(client, users, world):
    tkksd, ppksd = users["tkksd"], users["ppksd"]
    pages = [
        reverse("planning:proposal_list"),
        reverse("planning:potential_list"),
        world["cycle"].get_absolute_url(),
        world["plenary"].get_absolute_url(),
        reverse("planning:appointments"),
        world["submitted"].get_absolute_url(),
    ]
    submitted_proposal(ppksd, world["cycle"], title="Menunggu agenda")
    client.force_login(tkksd)
    for url in pages:  # the first view of a list also fills its cached option lists
        client.get(url)
    before = [count_queries(client, url) for url in pages]
    more = [submitted_proposal(ppksd, world["cycle"], title=f"Usulan {n}") for n in range(6)]
    services.add_to_agenda(world["plenary"], actor=tkksd, proposals=more[:4])
    after = [count_queries(client, url) for url in pages]
    assert after == before
    assert max(before) <= 30


@pytest.mark.django_db
def test_home_pages_and_navigation_lead_to_planning_except_for_the_dprd(client, users, world):
    for name, shown in [("tkksd", True), ("ppksd", True), ("pimpinan", True), ("admin", False), ("dprd", False)]:
        client.force_login(users[name])
        content = client.get(reverse("home")).content.decode()
        assert ('data-testid="planning-card"' in content) is shown, name
        assert (f'href="{reverse("planning:cycle_list")}"' in content) is (name != "dprd"), name


@pytest.mark.django_db
def test_lists_filter_and_ignore_unreadable_values(client, users, world):
    client.force_login(users["tkksd"])
    listed = lambda url, **query: [row.pk for row in client.get(url, query).context["page"]]  # noqa: E731
    proposals, potentials = reverse("planning:proposal_list"), reverse("planning:potential_list")
    assert listed(proposals, status="submitted") == [world["submitted"].pk]
    assert world["draft"].pk not in listed(proposals)
    assert listed(proposals, q=world["submitted"].number) == [world["submitted"].pk]
    assert listed(proposals, opd=users["other_ppksd"].opd_id) == []
    assert len(listed(proposals, status="nonsense", page="x")) == len(listed(proposals))
    mandatory = map_potential(users["ppksd"], world["cycle"], title="Wajib", mandatory_basis="externality")
    assert listed(potentials, mandatory="1") == [mandatory.pk]
    assert mandatory.pk not in listed(potentials, mandatory="0")
    content = client.get(proposals, {"status": "submitted"}).content.decode()
    assert '<option value="submitted" selected>' in content


# --- small fixes in the handoff flows -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_plenary_cannot_be_moved_before_the_deadline_for_proposals(client, tkksd):
    deadline = timezone.localdate() + timedelta(days=10)
    cycle = open_cycle(tkksd, deadline=deadline)
    plenary = schedule(tkksd, cycle, deadline + timedelta(days=5))
    client.force_login(tkksd)
    data = {
        "date": (deadline - timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "place": plenary.place,
        "chair": plenary.chair,
        "follow_up": "",
    }
    data["edition"] = client.get(reverse("planning:plenary_edit", args=[plenary.pk])).context["form"]["edition"].value()
    response = client.post(reverse("planning:plenary_edit", args=[plenary.pk]), data)
    plenary.refresh_from_db()
    assert plenary.date == deadline + timedelta(days=5)
    assert response.status_code == 200
    assert "sebelum batas waktu pengajuan usulan" in response.content.decode()
    with pytest.raises(services.ServiceError):
        services.update_plenary(plenary, actor=tkksd, changes={"date": deadline - timedelta(days=1)})
    services.update_plenary(plenary, actor=tkksd, changes={"date": deadline})
    plenary.refresh_from_db()
    assert plenary.date == deadline


@pytest.mark.django_db
def test_without_an_open_cycle_a_ppksd_is_told_so_when_creating_a_proposal(client, tkksd, ppksd):
    client.force_login(ppksd)
    response = client.get(reverse("planning:proposal_create"), follow=True)
    page = response.content.decode()
    assert "Tidak ada siklus pemetaan yang dibuka" in page
    assert "petakan satu potensi" not in page.lower()


@pytest.mark.django_db
def test_the_home_planning_card_shows_the_plenarys_real_date(client, tkksd, pimpinan):
    cycle = open_cycle(tkksd)
    moved = cycle.plenary_date + timedelta(days=7)
    schedule(tkksd, cycle, moved)
    for user in (tkksd, pimpinan):
        client.force_login(user)
        card = client.get(reverse("home")).content.decode()
        assert formats.date_format(moved, "j F Y") in card
        assert formats.date_format(cycle.plenary_date, "j F Y") not in card.split('data-testid="planning-card"')[1]


# The markup the proposal list's template printed for its rows before planning/rows.py did.
_TEMPLATE_ROWS = """{% for proposal in page %}<tr>
<td class="text-nowrap small">{{ proposal.number }}</td>
<td><a href="{{ proposal.get_absolute_url }}">{{ proposal.title }}</a></td>
<td class="small">{{ proposal.opd }}</td>
<td class="text-nowrap small">{{ proposal.kind|upper }}</td>
<td><span class="badge text-bg-{{ proposal.badge }}" data-testid="status">{{ proposal.get_status_display }}</span>
{% if proposal.rank %}<span class="small">#{{ proposal.rank }}</span>{% endif %}</td>
<td>{{ proposal.cycle.year }}</td>
</tr>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_proposal_rows_print_what_the_template_printed_escaped(world, users, language):

    from django.template import Context, Template
    from django.utils import translation

    from planning import rows, selectors

    Proposal.objects.filter(pk=world["draft"].pk).update(title="<script>alert('x')</script> & \"Sampah\"")
    proposals = list(selectors.proposal_list(users["ppksd"]))
    assert any(proposal.rank for proposal in proposals) and any(not proposal.rank for proposal in proposals)

    with translation.override(language):
        expected = Template(_TEMPLATE_ROWS).render(Context({"page": proposals}))
        printed = rows.proposal_rows(proposals)
        assert flat(printed) == flat(expected)
    assert "<script>" not in printed and "&lt;script&gt;" in printed


# The markup the cycle page's template printed for its progress per OPD before planning/rows.py did.
_TEMPLATE_PROGRESS = """{% load i18n %}{% for row in progress %}<tr>
<td>{{ row.opd.name }}</td>
<td class="text-end">{{ row.ppksd_accounts }}</td>
<td class="text-end">{{ row.appointed }}
{% if row.short_of_ppksd %}
<span class="badge text-bg-warning" data-testid="short-of-ppksd">{% translate "too few" %}</span>
{% endif %}</td>
<td class="text-end">{{ row.potentials }}</td>
<td class="text-end">{{ row.submitted }}</td>
<td class="text-end">{{ row.prioritised }}</td>
</tr>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_progress_rows_print_what_the_template_printed_escaped(client, world, users, opd, language):
    from django.template import Context, Template
    from django.utils import translation

    from planning import rows, selectors

    OPD.objects.filter(pk=opd.pk).update(name="<script>alert('x')</script> & \"Dinas\"")
    OPD.objects.create(name="Dinas Tanpa PPKSD", abbreviation="DTP", code="9.99")
    progress = selectors.cycle_progress(world["cycle"], users["tkksd"])
    # Rows with counts and without, short of liaison officers and not.
    assert any(row.submitted for row in progress) and any(not row.submitted for row in progress)
    assert any(row.short_of_ppksd for row in progress)

    with translation.override(language):
        expected = Template(_TEMPLATE_PROGRESS).render(Context({"progress": progress}))
        printed = rows.progress_rows(progress)
        assert flat(printed) == flat(expected)
    assert "<script>" not in printed and "&lt;script&gt;" in printed
    client.force_login(users["tkksd"])
    page = client.get(world["cycle"].get_absolute_url())
    assert flat(page.context["progress_html"]) in flat(page.content.decode())
    assert 'data-testid="short-of-ppksd"' in page.content.decode()


@pytest.mark.django_db
def test_the_filters_option_lists_are_read_once_per_list_language_and_query(client, world, users):
    client.force_login(users["tkksd"])
    proposals, potentials = reverse("planning:proposal_list"), reverse("planning:potential_list")
    first = client.get(proposals).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(proposals).content.decode()
    # The cycles and the OPD of the option lists are not read again; the fields print the same.
    read = [q["sql"] for q in queries.captured_queries]
    assert not any('FROM "planning_cycle"' in sql or 'FROM "registry_opd"' in sql for sql in read), read
    fields = re.compile(r'id="more-filters".*?</form>', re.S)
    assert fields.search(again).group() == fields.search(first).group()
    assert f'<option value="{world["cycle"].pk}">{world["cycle"]}</option>' in again
    # The potentials' list has fields of its own, and a chosen value is printed as chosen.
    assert 'name="status"' in first and 'name="status"' not in client.get(potentials).content.decode()
    chosen = client.get(proposals, {"cycle": world["cycle"].pk}).content.decode()
    assert f'<option value="{world["cycle"].pk}" selected>' in chosen
    assert f'<option value="{world["cycle"].pk}" selected>' not in client.get(proposals).content.decode()
    # In English, the labels of the other language.
    client.cookies["django_language"] = "en"
    assert ">All</option>" in client.get(proposals).content.decode()
    assert ">Semua</option>" in first
