"""In Debian's Chromium: the TKKSD records the signed scan of an issued letter; the public page vouches for it."""

import pytest
from playwright.sync_api import expect

from registry.tests.factories import pdf_bytes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_signed_scan_is_recorded_and_verified(page, live_server, tkksd, pimpinan, letter, issue, tmp_path):
    from datetime import date

    issued = issue(letter, actor=pimpinan, issue_date=date(2026, 11, 23))
    page.goto(f"{live_server.url}/verifikasi/{issued.verification_code}/")
    expect(page.get_by_test_id("verify-status")).to_contain_text("Terbit, belum ditandatangani")

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("tkksd")
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}{issued.get_absolute_url()}")
    expect(page.get_by_test_id("awaiting-signature")).to_be_visible()
    page.get_by_test_id("record-wet-signature").click()
    scan = tmp_path / "pindaian.pdf"
    scan.write_bytes(pdf_bytes("Surat yang telah ditandatangani"))
    form = page.get_by_test_id("wet-signature-form")
    form.get_by_label("Pindaian dokumen yang telah ditandatangani (PDF)").set_input_files(str(scan))
    form.get_by_label("Ditandatangani oleh").fill("Budi Santoso")
    form.get_by_label("Tanggal penandatanganan").fill("2026-11-24")
    form.get_by_role("button", name="Catat naskah asli yang ditandatangani").click()
    expect(page.get_by_test_id("official-status")).to_have_text("Ditandatangani")
    expect(page.get_by_test_id("signed-original")).to_contain_text("Budi Santoso")
    page.screenshot(path=str(tmp_path / "signed.png"), full_page=True)

    page.goto(f"{live_server.url}/verifikasi/{issued.verification_code}/")
    expect(page.get_by_test_id("verify-status")).to_contain_text(
        "Ditandatangani basah oleh Budi Santoso pada 24 November 2026"
    )
    page.get_by_label("PDF yang Anda pegang").set_input_files(str(scan))
    page.get_by_role("button", name="Bandingkan").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("naskah asli dokumen ini yang telah ditandatangani")
