"""Home pages per role, the navigation, error pages and bad input."""

import pytest
from django.urls import reverse

from kerjasama.navigation import labels_of

HOME_TITLES = {
    "tkksd": "Ruang kerja TKKSD",
    "ppksd": "Ruang kerja pejabat penghubung",
    "dprd": "Meja persetujuan DPRD",
    "pimpinan": "Ikhtisar pimpinan",
    "admin": "Administrasi",
}

# The navigation entries (by their Indonesian label) each role must and must not see.
NAV_EXPECTED = {
    "tkksd": ({"Beranda", "OPD"}, {"Profil Pemda", "Administrasi"}),
    "ppksd": ({"Beranda", "OPD"}, {"Profil Pemda", "Administrasi"}),
    "dprd": ({"Beranda"}, {"OPD", "Profil Pemda", "Administrasi"}),
    "pimpinan": ({"Beranda", "OPD"}, {"Profil Pemda", "Administrasi"}),
    "admin": ({"Beranda", "OPD", "Profil Pemda", "Administrasi"}, set()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOME_TITLES))
def test_each_role_lands_on_its_own_home_page(client, users, name):
    client.force_login(users[name])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert HOME_TITLES[name] in html
    labels = labels_of(response.context["nav_menu"].items)
    must, must_not = NAV_EXPECTED[name]
    assert must <= labels
    assert not must_not & labels


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOME_TITLES))
def test_each_home_page_names_the_government_once_its_profile_is_filled_in(client, users, name):
    from registry.models import Regency
    from registry.tests.factories import PemdaProfileFactory

    client.force_login(users[name])
    before = client.get(reverse("home")).content.decode()
    assert "Pemerintah " not in before and "Selamat datang" in before
    PemdaProfileFactory(regency=Regency.objects.get(code="34.04"))
    page = client.get(reverse("home")).content.decode()
    assert "Pemerintah Kabupaten Sleman ·" in page


@pytest.mark.django_db
def test_user_without_role_is_told_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "belum memiliki peran" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_ppksd_home_names_their_opd_and_colleagues(client, ppksd, opd, make_user):
    colleague = make_user("PPKSD", username="ppksd.colleague", opd=opd, first_name="Dewi", last_name="Anggraini")
    client.force_login(ppksd)
    html = client.get(reverse("home")).content.decode()
    assert opd.name in html
    assert str(colleague) in html


@pytest.mark.django_db
def test_unknown_url_gets_indonesian_404(client, tkksd):
    client.force_login(tkksd)
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_post_without_csrf_token_gets_indonesian_403(tkksd):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(tkksd)
    response = client.post(reverse("monitoring:notification_read_all"))
    assert response.status_code == 403
    assert "Formulir tidak dapat diterima" in response.content.decode()


@pytest.mark.django_db
def test_oversized_request_gets_400_not_500(client, tkksd, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(tkksd)
    response = client.post(reverse("password_change"), {"old_password": "a" * 5000})
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()


@pytest.mark.django_db
def test_responses_carry_a_strict_content_security_policy(client, tkksd):
    client.force_login(tkksd)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_indonesian_even_for_an_english_browser(client, tkksd):
    client.force_login(tkksd)
    response = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Ruang kerja TKKSD" in response.content.decode()


@pytest.mark.django_db
def test_english_is_available_from_the_language_switcher(client, tkksd):
    client.force_login(tkksd)
    html = client.get(reverse("home")).content.decode()
    assert '<option value="id" selected>Bahasa Indonesia</option>' in html
    assert ">Ganti</button>" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "TKKSD workspace" in html
    # The switcher is rendered once per process and language (templatetags/layout.py).
    assert '<option value="en" selected>English</option>' in html
    assert '<option value="id" >Bahasa Indonesia</option>' in html
    assert ">Change</button>" in html
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in html


@pytest.mark.django_db
def test_logout_and_password_change(client, tkksd):
    client.force_login(tkksd)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "password",
            "new_password1": "Sleman-Sembada-2026",
            "new_password2": "Sleman-Sembada-2026",
        },
    )
    assert response.status_code == 302
    tkksd.refresh_from_db()
    assert tkksd.check_password("Sleman-Sembada-2026")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
