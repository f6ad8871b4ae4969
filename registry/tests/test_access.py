"""Login lock-out, the PPKSD's OPD scope and the permission matrix of the registry's pages."""

import pytest
from django.urls import reverse

from registry.rules import is_own_opd
from registry.selectors import opds_visible_to


@pytest.mark.django_db
def test_wrong_password_gets_a_clear_indonesian_message(client, tkksd):
    response = client.post(reverse("login"), {"username": "tkksd", "password": "salah"})
    assert response.status_code == 200
    assert "dan sandi yang benar" in response.content.decode()


@pytest.mark.django_db
def test_login_with_right_password_reaches_home(client, tkksd):
    response = client.post(reverse("login"), {"username": "tkksd", "password": "password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_out(client, tkksd):
    for _ in range(5):
        client.post(reverse("login"), {"username": "tkksd", "password": "salah"})
    response = client.post(reverse("login"), {"username": "tkksd", "password": "password"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_ppksd_sees_only_their_own_opd(ppksd, opd, other_opd):
    assert list(opds_visible_to(ppksd)) == [opd]
    assert is_own_opd(ppksd, opd)
    assert not is_own_opd(ppksd, other_opd)


@pytest.mark.django_db
def test_ppksd_gets_404_for_another_opd(client, ppksd, other_opd):
    client.force_login(ppksd)
    assert client.get(reverse("registry:opd_detail", args=[other_opd.pk])).status_code == 404


@pytest.mark.django_db
def test_ppksd_opens_their_own_opd(client, ppksd, opd):
    client.force_login(ppksd)
    response = client.get(reverse("registry:opd_detail", args=[opd.pk]))
    assert response.status_code == 200
    assert str(ppksd) in response.content.decode()


# Expected status per user for each URL: 200 allowed, 403 role refused, 404 out of scope,
# 302 sent to login.
MATRIX = {
    "opd_list": {"tkksd": 200, "ppksd": 200, "dprd": 200, "pimpinan": 200, "admin": 200, "outsider": 200},
    "opd_detail_own": {
        "tkksd": 200,
        "ppksd": 200,
        "other_ppksd": 404,
        "dprd": 404,
        "pimpinan": 200,
        "admin": 200,
        "outsider": 404,
    },
    "pemda_profile": {
        "tkksd": 403,
        "ppksd": 403,
        "dprd": 403,
        "pimpinan": 403,
        "admin": 200,
        "outsider": 403,
    },
    "notifications": {
        "tkksd": 200,
        "ppksd": 200,
        "dprd": 200,
        "pimpinan": 200,
        "admin": 200,
        "outsider": 200,
    },
}


def _url(name, opd):
    return {
        "opd_list": reverse("registry:opd_list"),
        "opd_detail_own": reverse("registry:opd_detail", args=[opd.pk]),
        "pemda_profile": reverse("registry:pemda_profile"),
        "notifications": reverse("monitoring:notification_list"),
    }[name]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "expected"),
    [(url, user, status) for url, row in MATRIX.items() for user, status in row.items()],
)
def test_permission_matrix(client, users, opd, url_name, user_name, expected):
    client.force_login(users[user_name])
    assert client.get(_url(url_name, opd)).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_login_everywhere(client, opd, url_name):
    response = client.get(_url(url_name, opd))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_opd_list_shows_dprd_and_outsider_nothing(client, dprd, opd):
    client.force_login(dprd)
    response = client.get(reverse("registry:opd_list"))
    assert list(response.context["opds"]) == []


@pytest.mark.django_db
def test_admin_edits_the_pemda_profile(client, admin_user):
    from registry.models import PemdaProfile

    client.force_login(admin_user)
    response = client.post(
        reverse("registry:pemda_profile"),
        {
            "regency": "34.02",
            "capital": "Bantul",
            "head_title": "Bupati",
            "head_name": "Nama Bupati",
            "secretary_name": "Nama Sekda",
            "address": "Jalan Robert Wolter Monginsidi Nomor 1, Bantul",
            "decree_invocation": "on",
        },
    )
    assert response.status_code == 302
    profile = PemdaProfile.current()
    assert profile.regency.name == "Kabupaten Bantul"
    assert profile.government_name == "Pemerintah Kabupaten Bantul"
    assert profile.history.count() == 1
    assert profile.history.first().history_user == admin_user
    assert profile.open_data_licence == "CC-BY-4.0"


def test_admin_chooses_the_open_data_licence(client, admin_user):
    from registry.models import PemdaProfile
    from registry.tests.factories import PemdaProfileFactory

    PemdaProfileFactory()
    client.force_login(admin_user)
    page = client.get(reverse("registry:pemda_profile"))
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if name in page.context["form"].fields and value not in (None, "")
    }
    data.update(
        {"regency": "34.04", "open_data_licence": "CC0-1.0", "edition": page.context["form"]["edition"].initial}
    )
    data.pop("logo", None)
    response = client.post(reverse("registry:pemda_profile"), data)
    assert response.status_code == 302
    assert PemdaProfile.current().open_data_licence == "CC0-1.0"


@pytest.mark.django_db
def test_the_follow_up_chain_names_only_agreements_the_viewer_may_open(client, tkksd, ppksd, opd, other_opd):
    from registry.models import Agreement, Relation
    from registry.tests.factories import make_agreement

    parent = make_agreement(tkksd, opd=other_opd, title="Rahasia OPD lain")
    child = make_agreement(tkksd, opd=opd, title="Kerja sama lanjutan")
    Agreement.objects.filter(pk=child.pk).update(parent=parent, relation=Relation.ADDENDUM)
    parent.refresh_from_db()

    client.force_login(ppksd)
    page = client.get(child.get_absolute_url()).content.decode()
    chain = page[page.index('data-testid="chain"') :][:2000]
    assert "tidak dapat Anda buka" in chain
    assert parent.register_number not in page and "Rahasia OPD lain" not in page
    assert parent.get_absolute_url() not in page

    client.force_login(tkksd)
    page = client.get(child.get_absolute_url()).content.decode()
    assert parent.get_absolute_url() in page and parent.register_number in page
