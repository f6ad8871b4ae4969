"""In Debian's Chromium: no page scrolls sideways on a phone, and the navigation fits one line of a
1366-pixel office screen.

Overflow is measured as `document.documentElement.scrollWidth` against the viewport's own width:
Chromium's mobile emulation widens `innerWidth` to fit an overflowing page, so comparing with it
could never fail.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registry.models import Stage
from registry.tests.factories import OPDFactory, make_agreement
from registry.tests.test_dprd import open_request, waiting_agreement

PHONE = {"width": 375, "height": 812}
OFFICE = {"width": 1366, "height": 768}
LONG_TITLE = (
    "Penyelenggaraan Angkutan Perkotaan Lintas Batas Kabupaten Sleman, Kota Yogyakarta dan Kabupaten Bantul "
    "dengan Skema Pembelian Layanan (Buy the Service) Tahun Anggaran 2026-2030"
)


def signed_in(browser, live_server, username, viewport, *, mobile=False):
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_no_page_scrolls_sideways(browser, live_server, tkksd, dprd):
    opd = OPDFactory(name="Dinas Pekerjaan Umum, Perumahan dan Kawasan Permukiman")
    agreement = make_agreement(tkksd, opd=opd, title=LONG_TITLE, stage=Stage.PELAKSANAAN)
    waiting = waiting_agreement(tkksd, opd, title=LONG_TITLE + " (DPRD)")
    open_request(waiting, tkksd, date.today() - timedelta(days=3))
    pages = {
        "tkksd": [
            reverse("registry:agreement_list"),
            agreement.get_absolute_url(),
            reverse("monitoring:dashboard"),
            reverse("registry:dprd_queue"),
        ],
        "dprd": [reverse("registry:dprd_queue"), waiting.get_absolute_url()],
    }
    overflowing = []
    for username, paths in pages.items():
        context, page = signed_in(browser, live_server, username, PHONE, mobile=True)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            if scroll_width(page) > PHONE["width"]:
                overflowing.append((username, path, scroll_width(page)))
        if username == "tkksd":
            # The filters beyond the search box fold behind one button on a phone.
            page.goto(f"{live_server.url}{reverse('registry:agreement_list')}")
            more = page.locator("#more-filters")
            expect(more).to_be_hidden()
            page.get_by_role("button", name="Saringan lainnya").click()
            expect(more).to_be_visible()
        context.close()
    assert overflowing == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["admin", "tkksd"])
def test_on_an_office_screen_the_navigation_is_one_line(browser, live_server, username, admin_user, tkksd):
    context, page = signed_in(browser, live_server, username, OFFICE)
    navigation = page.locator("nav.navbar")
    brand = page.locator(".navbar-brand")
    # One line: the bar is no taller than its brand plus the bar's own padding.
    assert navigation.bounding_box()["height"] <= brand.bounding_box()["height"] + 24
    assert scroll_width(page) <= OFFICE["width"]
    context.close()
