"""The Admin's user management: rules of roles and OPD, the last Admin, history, pages by role."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from kerjasama.concurrency import StaleEdit, edition_of
from registry import history, people
from registry.errors import ServiceError
from registry.models import User
from registry.people import EDITION_FIELDS
from registry.roles import Role, has_role

NUL = "Nama\x00tamu"
LONG = "x" * 100_000


def _create(actor, **kwargs):
    values = {"username": "baru", "first_name": "Sri", "email": "sri@example.go.id", "roles": {Role.TKKSD}}
    return people.create_user(actor=actor, **{**values, **kwargs})


# --- services -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_creates_a_user_with_roles_and_a_history_entry_naming_them(admin_user):
    user = _create(admin_user, roles={Role.TKKSD, Role.PIMPINAN}, password="Kata-sandi-panjang-1")
    assert has_role(user, Role.TKKSD, Role.PIMPINAN)
    assert user.check_password("Kata-sandi-panjang-1")
    record = user.history.get()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert {row.group.name for row in record.groups.all()} == {Role.TKKSD, Role.PIMPINAN}


@pytest.mark.django_db
def test_a_user_created_without_password_cannot_log_in_until_they_set_it(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin_user)
        people.send_password_link(user, actor=admin_user)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sri@example.go.id"]
    assert user.username in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TKKSD, Role.PPKSD, Role.DPRD, Role.PIMPINAN])
def test_only_an_admin_manages_users(make_user, role, opd):
    actor = make_user(role, username="pelaku", opd=opd)
    with pytest.raises(PermissionDenied):
        _create(actor)
    target = make_user(Role.TKKSD, username="sasaran")
    with pytest.raises(PermissionDenied):
        people.set_active(target, actor=actor, active=False)
    with pytest.raises(PermissionDenied):
        people.update_user(target, actor=actor, changes={}, roles={Role.TKKSD})


@pytest.mark.django_db
def test_a_ppksd_needs_an_opd(admin_user, opd):
    with pytest.raises(ServiceError):
        _create(admin_user, roles={Role.PPKSD})
    user = _create(admin_user, roles={Role.PPKSD}, opd=opd)
    assert user.opd == opd
    with pytest.raises(ServiceError):
        people.update_user(user, actor=admin_user, changes={"opd": None}, roles={Role.PPKSD})


@pytest.mark.django_db
def test_other_roles_may_name_their_opd(admin_user, opd):
    assert _create(admin_user, roles={Role.TKKSD}, opd=opd).opd == opd


@pytest.mark.django_db
def test_a_taken_username_is_refused_whatever_its_case(admin_user, tkksd):
    with pytest.raises(ServiceError):
        _create(admin_user, username="TKKSD")


@pytest.mark.django_db
def test_an_admin_cannot_deactivate_themself(admin_user, make_user):
    make_user(Role.ADMIN, username="admin2")
    with pytest.raises(ServiceError):
        people.set_active(admin_user, actor=admin_user, active=False)
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_the_last_active_admin_keeps_the_role_and_stays_active(make_user):
    only = make_user(Role.ADMIN, username="satu")
    other = make_user(Role.ADMIN, username="dua")
    people.set_active(other, actor=only, active=False)
    # With `other` deactivated, `only` is the last active Admin.
    with pytest.raises(ServiceError):
        people.update_user(only, actor=only, changes={}, roles={Role.TKKSD})
    assert has_role(User.objects.get(pk=only.pk), Role.ADMIN)
    people.set_active(other, actor=only, active=True)
    people.update_user(only, actor=other, changes={}, roles={Role.TKKSD})
    assert not has_role(User.objects.get(pk=only.pk), Role.ADMIN)
    with pytest.raises(ServiceError):
        people.update_user(other, actor=other, changes={}, roles={Role.DPRD})


@pytest.mark.django_db
def test_deactivating_the_last_admin_is_refused_even_by_a_superuser_of_no_group(make_user):
    only = make_user(Role.ADMIN, username="satu")
    # A superuser acts as Admin; a deactivated one is not counted among the active Admins.
    root = make_user(username="root", is_superuser=True, is_active=False)
    with pytest.raises(ServiceError):
        people.set_active(only, actor=root, active=False)


@pytest.mark.django_db
def test_an_edit_is_one_history_entry_with_the_roles(admin_user, tkksd, opd):
    people.update_user(
        tkksd,
        actor=admin_user,
        changes={"first_name": "Budi", "opd": opd},
        roles={Role.TKKSD, Role.PIMPINAN},
        edition=edition_of(tkksd, EDITION_FIELDS),
    )
    tkksd.refresh_from_db()
    assert tkksd.first_name == "Budi"
    assert tkksd.version == 2
    latest = tkksd.history.order_by("-history_id").first()
    assert latest.history_user == admin_user
    described = history.entries(tkksd.history.order_by("-history_date", "-history_id"), User)[0]
    labels = {change.label: (change.old, change.new) for change in described.changes}
    roles = sorted(str(Role(role).label) for role in (Role.TKKSD, Role.PIMPINAN))
    assert labels[gettext("Roles")] == (str(Role.TKKSD.label), ", ".join(roles))
    assert labels[capfirst(gettext("OPD"))] == ("—", str(opd))


@pytest.mark.django_db
def test_a_stale_edit_is_refused(admin_user, tkksd):
    stale = edition_of(tkksd, EDITION_FIELDS)
    people.update_user(tkksd, actor=admin_user, changes={"first_name": "Baru"}, roles={Role.TKKSD})
    with pytest.raises(StaleEdit):
        people.update_user(tkksd, actor=admin_user, changes={"first_name": "Lain"}, roles={Role.TKKSD}, edition=stale)


@pytest.mark.django_db
def test_a_role_change_meanwhile_makes_an_edit_stale(admin_user, tkksd):
    stale = edition_of(tkksd, EDITION_FIELDS)
    people.update_user(tkksd, actor=admin_user, changes={}, roles={Role.DPRD})
    with pytest.raises(StaleEdit):
        people.update_user(tkksd, actor=admin_user, changes={}, roles={Role.TKKSD}, edition=stale)


@pytest.mark.django_db
def test_a_login_is_not_a_history_entry(client, tkksd):
    before = tkksd.history.count()
    assert client.post(reverse("login"), {"username": "tkksd", "password": "password"}).status_code == 302
    assert User.objects.get(pk=tkksd.pk).last_login is not None
    assert tkksd.history.count() == before


@pytest.mark.django_db
def test_the_admin_role_brings_the_admin_pages_and_losing_it_takes_them(admin_user, tkksd):
    people.update_user(tkksd, actor=admin_user, changes={}, roles={Role.ADMIN})
    tkksd.refresh_from_db()
    assert tkksd.is_staff
    people.update_user(tkksd, actor=admin_user, changes={}, roles={Role.TKKSD})
    tkksd.refresh_from_db()
    assert not tkksd.is_staff and not tkksd.is_superuser


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deactivated_user_cannot_log_in_and_their_session_ends(client, admin_user, tkksd):
    client.force_login(tkksd)
    people.set_active(tkksd, actor=admin_user, active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.logout()
    response = client.post(reverse("login"), {"username": "tkksd", "password": "password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    people.set_active(tkksd, actor=admin_user, active=True)
    assert client.post(reverse("login"), {"username": "tkksd", "password": "password"}).status_code == 302


PAGES = ["user_list", "user_create", "user_edit"]
EXPECTED = {"admin": 200, "tkksd": 403, "ppksd": 403, "dprd": 403, "pimpinan": 403, "outsider": 403}


def _url(name, users):
    return reverse(f"registry:{name}", args=[users["dprd"].pk] if name == "user_edit" else [])


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("user_name", "status"), EXPECTED.items())
def test_only_the_admin_opens_the_user_pages(client, users, name, user_name, status):
    client.force_login(users[user_name])
    assert client.get(_url(name, users)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["user_create", "user_edit", "user_deactivate", "user_reactivate", "user_send_link"])
@pytest.mark.parametrize("user_name", [name for name in EXPECTED if name != "admin"])
def test_no_other_role_changes_a_user(client, users, name, user_name, django_capture_on_commit_callbacks):
    client.force_login(users[user_name])
    target = users["dprd"]
    args = [] if name == "user_create" else [target.pk]
    data = {"username": "x", "first_name": "X", "email": "x@example.go.id", "roles": [Role.ADMIN]}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse(f"registry:{name}", args=args), data).status_code == 403
    target.refresh_from_db()
    assert target.is_active and not target.is_staff
    assert not User.objects.filter(username="x").exists()
    assert not mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, users, name):
    response = client.get(_url(name, users))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_the_admin_sees_the_users_entry_in_the_menu_and_others_do_not(client, admin_user, tkksd):
    url = reverse("registry:user_list")
    client.force_login(admin_user)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    client.force_login(tkksd)
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_list_filters_by_role_opd_status_and_name(client, admin_user, ppksd, other_ppksd, tkksd, opd):
    people.set_active(tkksd, actor=admin_user, active=False)
    client.force_login(admin_user)

    def listed(**query):
        return {user.username for user in client.get(reverse("registry:user_list"), query).context["page"]}

    assert listed(role=Role.PPKSD) == {"ppksd", "ppksd.other"}
    assert listed(opd=opd.pk) == {"ppksd"}
    assert listed(active="0") == {"tkksd"}
    assert "admin" in listed(role=Role.ADMIN)
    assert listed(q=ppksd.first_name.split()[0], role=Role.PPKSD) >= {"ppksd"}
    assert listed(q="ppksd.oth") == {"ppksd.other"}


@pytest.mark.django_db
@pytest.mark.parametrize("value", [NUL, LONG, "\u202eevil\u200b", "<script>alert(1)</script>", "9" * 30])
def test_the_list_takes_any_filter(client, admin_user, value):
    client.force_login(admin_user)
    response = client.get(reverse("registry:user_list"), {"q": value, "role": value, "opd": value, "active": value})
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_adds_a_ppksd_and_a_link_is_mailed(client, admin_user, opd, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    data = {
        "username": "ppksd.baru",
        "first_name": "Ani",
        "last_name": "Lestari",
        "email": "ani@example.go.id",
        "roles": [Role.PPKSD],
        "opd": opd.pk,
        "password_mode": "link",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:user_create"), data)
    user = User.objects.get(username="ppksd.baru")
    assert response.status_code == 302
    assert has_role(user, Role.PPKSD) and user.opd == opd
    assert len(mail.outbox) == 1
    # The link in the mail is the password-reset flow's, and it sets the first password.
    link = next(line for line in mail.outbox[0].body.splitlines() if "/" in line and "://" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Kata-sandi-panjang-1", "new_password2": "Kata-sandi-panjang-1"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kata-sandi-panjang-1")


@pytest.mark.django_db
def test_admin_adds_a_user_with_an_initial_password(client, admin_user):
    client.force_login(admin_user)
    data = {
        "username": "pimpinan.baru",
        "first_name": "Ani",
        "email": "ani@example.go.id",
        "roles": [Role.PIMPINAN],
        "password_mode": "set",
        "password1": "Kata-sandi-panjang-1",
        "password2": "Kata-sandi-panjang-1",
    }
    assert client.post(reverse("registry:user_create"), data).status_code == 302
    assert not mail.outbox
    client.logout()
    login = {"username": "pimpinan.baru", "password": "Kata-sandi-panjang-1"}
    assert client.post(reverse("login"), login).status_code == 302


@pytest.mark.django_db
def test_the_form_refuses_a_ppksd_without_opd_and_a_weak_password(client, admin_user):
    client.force_login(admin_user)
    data = {
        "username": "baru",
        "first_name": "Ani",
        "email": "ani@example.go.id",
        "roles": [Role.PPKSD],
        "password_mode": "set",
        "password1": "123",
        "password2": "123",
    }
    response = client.post(reverse("registry:user_create"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"opd", "password1"}
    assert not User.objects.filter(username="baru").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [NUL, LONG])
@pytest.mark.parametrize("field", ["username", "first_name", "last_name", "email", "nip", "position", "password1"])
def test_hostile_input_to_the_new_user_form_is_a_form_error(client, admin_user, field, value):
    client.force_login(admin_user)
    data = {
        "username": "baru",
        "first_name": "Ani Baru",
        "email": "ani@example.go.id",
        "roles": [Role.TKKSD],
        "password_mode": "set",
        "password1": "Kata-sandi-panjang-1",
        "password2": "Kata-sandi-panjang-1",
        field: value,
    }
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("registry:user_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(first_name="Ani Baru").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [NUL, LONG])
@pytest.mark.parametrize("field", ["first_name", "email", "opd", "roles", "edition"])
def test_hostile_input_to_the_edit_form_is_a_form_error(client, admin_user, tkksd, field, value):
    client.force_login(admin_user)
    form = client.get(reverse("registry:user_edit", args=[tkksd.pk])).context["form"]
    data = {
        "first_name": "Ani Baru",
        "email": "ani@example.go.id",
        "roles": [Role.TKKSD],
        "edition": form["edition"].value(),
    }
    data[field] = value
    response = client.post(reverse("registry:user_edit", args=[tkksd.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    tkksd.refresh_from_db()
    assert tkksd.first_name != "Ani Baru"


@pytest.mark.django_db
def test_admin_edits_roles_and_opd_and_the_page_shows_the_history(client, admin_user, tkksd, opd):
    client.force_login(admin_user)
    url = reverse("registry:user_edit", args=[tkksd.pk])
    form = client.get(url).context["form"]
    data = {
        "first_name": "Budi",
        "last_name": "Santoso",
        "email": "budi@example.go.id",
        "roles": [Role.PPKSD],
        "opd": opd.pk,
        "edition": form["edition"].value(),
    }
    assert client.post(url, data).status_code == 302
    tkksd.refresh_from_db()
    assert has_role(tkksd, Role.PPKSD) and not has_role(tkksd, Role.TKKSD)
    assert tkksd.opd == opd and tkksd.get_full_name() == "Budi Santoso"
    page = client.get(url).content.decode()
    assert gettext("Roles") in page and str(Role.PPKSD.label) in page
    # The same (now stale) form again: refused, the input kept.
    data["first_name"] = "Lain"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_admin_deactivates_and_reactivates_a_user_from_the_page(client, admin_user, tkksd):
    client.force_login(admin_user)
    response = client.post(reverse("registry:user_deactivate", args=[tkksd.pk]))
    assert response.status_code == 302
    tkksd.refresh_from_db()
    assert not tkksd.is_active
    client.post(reverse("registry:user_reactivate", args=[tkksd.pk]))
    tkksd.refresh_from_db()
    assert tkksd.is_active
    assert client.get(reverse("registry:user_deactivate", args=[tkksd.pk])).status_code == 405


@pytest.mark.django_db
def test_the_admin_cannot_deactivate_themself_from_the_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("registry:user_deactivate", args=[admin_user.pk]), follow=True)
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert any("sendiri" in str(message) or "own" in str(message) for message in response.context["messages"])


@pytest.mark.django_db
def test_groups_are_the_roles(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
def test_admin_sends_a_new_link_but_not_to_a_deactivated_user(
    client, admin_user, tkksd, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("registry:user_send_link", args=[tkksd.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[tkksd.email]]
    people.set_active(tkksd, actor=admin_user, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == 1
    assert list(response.context["messages"])
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_the_last_admin_cannot_drop_their_own_role_from_the_page(client, admin_user):
    client.force_login(admin_user)
    url = reverse("registry:user_edit", args=[admin_user.pk])
    form = client.get(url).context["form"]
    data = {"first_name": "Admin", "email": "admin@example.go.id", "roles": [Role.TKKSD]}
    response = client.post(url, {**data, "edition": form["edition"].value()})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert has_role(User.objects.get(pk=admin_user.pk), Role.ADMIN)


@pytest.mark.django_db
def test_the_user_list_costs_the_same_queries_for_many_users(client, admin_user, make_user, opd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    url = reverse("registry:user_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        make_user(Role.PPKSD, Role.TKKSD, username=f"banyak{n}", opd=opd)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
