"""In Debian's Chromium: a TKKSD officer imports a register through the preview and commits it."""

import pytest
from playwright.sync_api import expect

from registry.models import Agreement, ImportJob, PartnerKind
from registry.tests.factories import OPDFactory, make_partner, region_partner
from registry.tests.import_data import FIRST_DATA_ROW, messy_workbook


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tkksd_imports_a_register_through_preview_and_commit(page, live_server, tkksd, tmp_path):
    OPDFactory(name="Dinas Lingkungan Hidup", abbreviation="DLH")
    OPDFactory(name="Dinas Perhubungan", abbreviation="Dishub")
    region_partner("34.71")
    make_partner("PT Kereta Api Indonesia (Persero)", kind=PartnerKind.BUMN)
    path = tmp_path / "register-2021-2023.xlsx"
    path.write_bytes(messy_workbook())

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("tkksd")
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/registri/impor/")
    page.get_by_test_id("upload-form").get_by_label("Register (.xlsx, .ods, atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan baca").click()

    mapping = page.get_by_test_id("mapping-form")
    expect(mapping.get_by_label("Nomor Pihak II")).to_have_value("partner_number")
    mapping.get_by_label("OPD pengampu untuk baris yang tidak menyebutkannya").select_option(label="Dishub")
    mapping.get_by_label("Urusan untuk baris yang tidak menyebutkannya").select_option(label="Lingkungan hidup")
    mapping.get_by_role("button", name="Periksa baris").click()

    expect(page.get_by_test_id("count-new")).to_have_text("5")
    expect(page.get_by_test_id("count-error")).to_contain_text("5")
    expect(page.get_by_test_id(f"row-{FIRST_DATA_ROW + 9}")).to_contain_text("31-02-2021")

    partners = page.get_by_test_id("partner-form")
    partners.get_by_label("Universitas Gadjah Mada").select_option("create")
    partners.get_by_role("button", name="Simpan keputusan mitra dan periksa ulang").click()
    expect(page.get_by_test_id("count-new")).to_have_text("6")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("commit-form").get_by_role("button", name="Simpan impor").click()
    expect(page.get_by_test_id("committed")).to_contain_text("6 kerja sama dicatat")

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.COMMITTED and job.created_count == 6
    assert Agreement.objects.count() == 6
    agreement = Agreement.objects.get(title="Pengelolaan Sampah Regional")
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    expect(page.get_by_test_id("timeline")).to_contain_text("Diimpor dari register-2021-2023.xlsx, baris 7")
