"""In Debian's Chromium: each role logs in through the form and lands on its home page."""

import pytest

HOME_TITLES = {
    "tkksd": "Ruang kerja TKKSD",
    "ppksd": "Ruang kerja pejabat penghubung",
    "dprd": "Meja persetujuan DPRD",
    "pimpinan": "Ikhtisar pimpinan",
    "admin": "Administrasi",
}

ROLE_NAMES = {"tkksd": "TKKSD", "ppksd": "PPKSD", "dprd": "DPRD", "pimpinan": "Pimpinan", "admin": "Admin"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(HOME_TITLES))
def test_each_role_logs_in_and_sees_its_home(page, live_server, users, name):
    user = users[name]
    page.goto(f"{live_server.url}/")
    assert "/masuk/" in page.url
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("home-title").inner_text() == HOME_TITLES[name]
    # The navigation works under the CSP: Bootstrap's dropdown opens (no inline script needed).
    page.get_by_test_id("user-menu").click()
    assert page.get_by_role("button", name="Keluar").is_visible()
    assert ROLE_NAMES[name] in page.get_by_test_id("user-roles").inner_text()
