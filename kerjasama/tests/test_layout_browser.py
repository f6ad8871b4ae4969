"""In Debian's Chromium: no page scrolls sideways on a phone, and the navigation fits one line of a
1366-pixel office screen.

Overflow is measured as `document.documentElement.scrollWidth` against the viewport's own width:
Chromium's mobile emulation widens `innerWidth` to fit an overflowing page, so comparing with it
could never fail.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
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


def signed_in(browser, live_server, username, viewport, *, mobile=False, password="password"):  # noqa: S107 (test users)
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
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
@pytest.mark.parametrize("width", [1200, 1280, OFFICE["width"]])
def test_on_an_office_screen_the_navigation_is_one_line(browser, live_server, username, width, admin_user, tkksd, opd):
    from monitoring.models import Notification
    from registry.models import User

    # A long name, unread notifications and work waiting: everything the bar can hold at once.
    user = User.objects.get(username=username)
    user.first_name, user.last_name = "Rina", "Kusumawati Wulandari, S.Sos., M.Si."
    user.save(update_fields=["first_name", "last_name"])
    # Three-digit counts, as a busy office has them.
    Notification.objects.bulk_create(Notification(recipient=user, title=f"Pemberitahuan {n}") for n in range(646))
    make_agreement(tkksd, opd=opd, title=LONG_TITLE, stage=Stage.PENYUSUNAN_KB)
    screen = {**OFFICE, "width": width}
    context, page = signed_in(browser, live_server, username, screen)
    expect(page.get_by_test_id("nav-notifications")).to_contain_text("646")
    navigation = page.locator("nav.navbar")
    brand = page.locator(".navbar-brand")
    # One line: the bar is no taller than its brand plus the bar's own padding.
    assert navigation.bounding_box()["height"] <= brand.bounding_box()["height"] + 24
    assert scroll_width(page) <= width
    queued = page.get_by_test_id("nav-work-queue").inner_text()
    # On every other page the count arrives once the page has loaded, in the same place.
    page.goto(f"{live_server.url}{reverse('registry:agreement_list')}")
    expect(page.get_by_test_id("nav-work-queue")).to_have_text(queued)
    expect(page.locator("#nav-unread")).to_have_text("646")
    expect(page.get_by_test_id("nav-notifications")).to_contain_text("646")
    assert navigation.bounding_box()["height"] <= brand.bounding_box()["height"] + 24
    assert scroll_width(page) <= width
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_below_1200_pixels_the_menu_folds_behind_its_button(browser, live_server, tkksd):
    context, page = signed_in(browser, live_server, "tkksd", {**OFFICE, "width": 1024})
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("nav-notifications")).to_be_hidden()
    assert scroll_width(page) <= 1024
    toggler.click()
    expect(page.get_by_test_id("nav-notifications")).to_be_visible()
    context.close()


# The cells of a list's first rows that a phone must show whole: each labelled with its column's
# header and lying inside the viewport. Returns the ones that do not, as "header: text".
HIDDEN_CELLS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const tables = [...document.querySelectorAll("main table")];
  if (!tables.length) problems.push("no table");
  for (const table of tables) {
    if (!table.classList.contains("table-stack")) problems.push("not stacked: " + (table.dataset.testid || ""));
    const headers = [...table.tHead.rows[0].cells].map(cell => cell.textContent.trim());
    for (const row of [...table.tBodies[0].rows].slice(0, 3)) {
      if (row.cells.length !== headers.length) continue;
      [...row.cells].forEach((cell, index) => {
        const box = cell.getBoundingClientRect();
        if (headers[index] && cell.dataset.label !== headers[index]) problems.push("unlabelled: " + headers[index]);
        const outside = box.width === 0 || box.left < 0 || box.right > width + 0.5;
        if (outside) problems.push(headers[index] + ": " + cell.textContent.trim());
      });
    }
  }
  return problems;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_every_column_of_the_lists_is_on_screen(browser, live_server):
    call_command("seed_demo", verbosity=0)
    pages = {
        "tkksd": [
            "/",
            reverse("registry:agreement_list"),
            reverse("registry:dprd_queue"),
            reverse("monitoring:report_list"),
            reverse("monitoring:evaluation_list"),
            reverse("planning:proposal_list"),
            reverse("planning:potential_list"),
            reverse("registry:partner_list"),
        ],
        "ppksd.dishub": ["/", reverse("planning:proposal_list"), reverse("monitoring:report_list")],
        "dprd": [reverse("registry:dprd_queue")],
    }
    problems = []
    for username, paths in pages.items():
        context, page = signed_in(browser, live_server, username, PHONE, mobile=True, password="KerjaSama2026!")
        for path in paths:
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            problems += [(username, path, problem) for problem in page.evaluate(HIDDEN_CELLS)]
            if scroll_width(page) > PHONE["width"]:
                problems.append((username, path, scroll_width(page)))
            if path == reverse("registry:agreement_list"):
                # The stage, the status and the end date of the first agreement are in view.
                row = page.get_by_test_id("agreement-table").locator("tbody tr").first
                for label in ("Tahap", "Status", "Tanggal berakhir"):
                    cell = row.locator(f"td[data-label='{label}']")
                    expect(cell).to_be_visible()
                    box = cell.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
        context.close()
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_an_office_screen_lists_stay_tables(browser, live_server, tkksd):
    make_agreement(tkksd, title="Pengelolaan Sampah Regional")
    context, page = signed_in(browser, live_server, "tkksd", OFFICE)
    page.goto(f"{live_server.url}{reverse('registry:agreement_list')}")
    expect(page.get_by_test_id("agreement-table").locator("thead")).to_be_visible()
    display = (
        page.get_by_test_id("agreement-table")
        .locator("tbody tr")
        .first.evaluate("row => getComputedStyle(row).display")
    )
    assert display == "table-row"
    context.close()
