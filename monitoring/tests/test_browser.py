"""In Debian's Chromium: a PPKSD files a monthly report with evidence, the TKKSD accepts it, and
the dashboard draws its charts under the Content Security Policy."""

from datetime import date

import pytest
from playwright.sync_api import expect

from monitoring.models import ImplementationReport, ReportStatus
from registry.tests.factories import pdf_bytes

from .helpers import running


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("password")
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_test_id("home-title")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ppksd_files_a_report_and_tkksd_accepts_it(page, live_server, tkksd, ppksd, opd, tmp_path):
    agreement = running(tkksd, opd=opd, title="Angkutan Perkotaan Lintas Batas", start=date(2024, 1, 1))
    evidence = tmp_path / "notulen-rapat.pdf"
    evidence.write_bytes(pdf_bytes("Notulen rapat koordinasi"))
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    log_in(page, live_server, "ppksd")
    page.goto(f"{live_server.url}/monitoring/laporan/")
    owing = page.get_by_test_id("owing")
    expect(owing).to_contain_text("Angkutan Perkotaan Lintas Batas")
    owing.get_by_role("link").first.click()
    form = page.get_by_test_id("report-form")
    form.locator("textarea[name=activities]").fill("Rapat koordinasi dengan Kota Yogyakarta dan uji coba rute.")
    form.locator("input[name=progress]").fill("45")
    form.locator("input[name=budget_realised]").fill("15000000")
    form.locator("textarea[name=outputs]").fill("Rute uji coba melayani 800 penumpang per hari.")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_be_visible()
    expect(page.get_by_test_id("attachments")).to_contain_text("notulen-rapat.pdf")
    report = ImplementationReport.objects.get(agreement=agreement)
    assert report.status == ReportStatus.SUBMITTED

    log_in(page, live_server, "tkksd")
    page.goto(f"{live_server.url}/monitoring/laporan/?status=submitted")
    page.get_by_test_id("report-table").get_by_role("link").first.click()
    review = page.get_by_test_id("review-form")
    review.locator("input[name=decision][value=accept]").check()
    page.get_by_test_id("submit-review").click()
    # The reviewer stays on the report just accepted, under the success message.
    expect(page.get_by_test_id("report-status")).to_have_text("Diterima")
    expect(page.locator(".alert-success")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == tkksd

    page.goto(f"{live_server.url}/monitoring/dasbor/")
    expect(page.get_by_test_id("stat-total")).to_have_text("1")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas.dashboard-chart'))")
    assert violations == []
