"""Every page a role reaches from its home page is valid HTML (the Nu HTML Checker) and has no
serious or critical accessibility violation (axe-core in Debian's Chromium).

The checkers come from npm (package.json, installed by `make test`); the Nu HTML Checker runs on
Debian's Java. A missing checker fails these tests: they never skip.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from kerjasama.tests.crawl import SKIPPED, crawl

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ("tkksd", "bupati", "dprd", "ppksd.dishub", "admin")
PAGES_PER_ROLE = 60


@pytest.mark.django_db
def test_every_page_each_role_reaches_is_valid_html(client, tmp_path):
    from registry.models import User

    assert VNU.exists(), "run `make test` (npm ci) to install the Nu HTML Checker"
    call_command("seed_demo", verbosity=0)
    files = {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        for page in crawl(client, "/", limit=PAGES_PER_ROLE):
            if page.html:
                path = tmp_path / f"page-{len(files):04d}.html"
                path.write_text(page.html)
                files[path.name] = (username, page.path)
        client.logout()
    assert len(files) >= 100
    pages = sorted(str(path) for path in tmp_path.glob("*.html"))
    java = shutil.which("java")
    assert java, "install Java (default-jre-headless) for the Nu HTML Checker"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = sorted(
        {(files[Path(urlparse(m["url"]).path).name][1], m["message"]) for m in messages if m.get("type") == "error"}
    )
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_accessibility_violation_on_pages_each_role_reaches(browser, live_server):
    assert AXE.exists(), "run `make test` (npm ci) to install axe-core"
    call_command("seed_demo", verbosity=0)
    axe = AXE.read_text()
    problems, visited = [], 0
    for username in ("tkksd", "dprd", "ppksd.dishub", "bupati"):
        # The page's CSP forbids injected scripts; the checker is the one script let in.
        context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Sandi").fill("KerjaSama2026!")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        seen, queue = set(), ["/"]
        while queue and len(seen) < 25:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(f"{live_server.url}{path}")
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            visited += 1
            page.evaluate(axe)
            violations = page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => v.id + ": " + v.nodes[0].target.join(" "))"""
            )
            problems += [(username, path, violation) for violation in violations]
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
                url = urlparse(urljoin(f"{live_server.url}{path}", href))
                if url.netloc == urlparse(live_server.url).netloc and not SKIPPED.search(url.path):
                    queue.append(re.sub(r"/+$", "/", url.path))
        context.close()
    assert visited >= 60
    assert problems == []


# The pages people open most, as a phone shows them (tables stacked, filters folded).
PHONE_PAGES = {
    "tkksd": [
        "/",
        "/registri/kerja-sama/",
        "first-agreement",
        "/registri/dprd/",
        "/monitoring/dasbor/",
        "/monitoring/laporan/",
        "/monitoring/evaluasi/",
        "/perencanaan/usulan/",
        "/registri/mitra/",
        "/registri/kerja-sama/baru/",
    ],
    "ppksd.dishub": ["/", "/perencanaan/usulan/", "/monitoring/laporan/"],
    "dprd": ["/", "/registri/dprd/"],
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_accessibility_violation_on_a_phone(browser, live_server):
    assert AXE.exists(), "run `make test` (npm ci) to install axe-core"
    from registry.models import Agreement

    call_command("seed_demo", verbosity=0)
    first_agreement = Agreement.objects.order_by("pk").first().get_absolute_url()
    axe = AXE.read_text()
    problems, visited = [], 0
    for username, paths in PHONE_PAGES.items():
        context = browser.new_context(
            bypass_csp=True, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Sandi").fill("KerjaSama2026!")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            path = first_agreement if path == "first-agreement" else path
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path)
            visited += 1
            page.evaluate(axe)
            violations = page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => v.id + ": " + v.nodes[0].target.join(" "))"""
            )
            problems += [(username, path, violation) for violation in violations]
        context.close()
    assert visited == sum(len(paths) for paths in PHONE_PAGES.values())
    assert problems == []
