"""In Debian's Chromium: a TKKSD officer files a KSDD and takes it to implementation."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Agreement, Stage
from registry.tests.factories import pdf_bytes, region_partner


def upload(page, tmp_path, doc_label, *, signed=False):
    path = tmp_path / f"{re.sub(r'\W+', '-', doc_label)}.pdf"
    path.write_bytes(pdf_bytes(doc_label))
    form = page.get_by_test_id("upload-form")
    form.get_by_label("Jenis dokumen").select_option(label=doc_label)
    form.get_by_label("Berkas (PDF)").set_input_files(str(path))
    if signed:
        form.get_by_label("Ini pindaian yang telah ditandatangani").check()
        form.get_by_label("Nomor (pihak kita)").fill("100.3.3/021/KS/2026")
        form.get_by_label("Nomor (pihak mitra)").fill("415.4/88/2026")
        form.get_by_label("Diparaf di setiap halaman").check()
        form.get_by_label("Bermeterai (Rp10.000)").check()
        form.get_by_label("Berstempel dinas").check()
    form.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text(re.compile(r"versi \d+ telah diunggah"))).to_be_visible()


def move_on(page, stage_label):
    page.get_by_test_id("move-forward").get_by_role("button", name=f"Lanjut ke: {stage_label}").click()
    expect(page.get_by_test_id("stage")).to_have_text(stage_label)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tkksd_files_a_ksdd_and_moves_it_to_implementation(page, live_server, tkksd, opd, tmp_path):
    region_partner("34.71")
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("tkksd")
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("list", name="Navigasi utama").get_by_role("link", name="Kerja Sama").click()
    page.get_by_role("link", name="Catat kerja sama").click()

    # Fields that apply only to one kind, or only with a burden, show when they apply.
    expect(page.get_by_label("Sifat KSDD")).to_be_hidden()
    expect(page.get_by_label("Penjelasan beban")).to_be_hidden()
    page.get_by_label("Jenis*").select_option("ksdd")
    expect(page.get_by_label("Jenis KSDPK")).to_be_hidden()
    page.get_by_label("Sifat KSDD").select_option("wajib")
    page.get_by_label("Membebani masyarakat dan daerah").check()
    expect(page.get_by_label("Penjelasan beban")).to_be_visible()
    page.get_by_label("Membebani masyarakat dan daerah").uncheck()
    page.get_by_label("Judul*").fill("Pengelolaan Sampah Regional Piyungan")
    page.get_by_label("Objek*").fill("Pengelolaan sampah di TPST regional bersama Kota Yogyakarta.")
    page.get_by_label("Urusan pemerintahan*").select_option(label="Lingkungan hidup")
    page.get_by_label("OPD pengampu*").select_option(str(opd.pk))
    # Partners are searched by typing and picked by a tap, not by holding Ctrl.
    page.get_by_role("combobox", name="Mitra*").fill("yogya")
    page.get_by_role("listbox", name="Mitra*").get_by_role("option", name="Pemerintah Kota Yogyakarta").click()
    expect(page.locator("#id_partners")).to_have_values([re.compile(r"\d+")])
    page.get_by_label("Tanggal mulai").fill("2027-01-01")
    page.get_by_label("Jangka waktu (bulan)").fill("60")
    value = page.get_by_label("Nilai (Rp)")
    value.press_sequentially("1500000000")
    expect(value).to_have_value("1.500.000.000")
    page.locator("#id_rpjmd_reference").fill("RPJMD 2025-2029 Misi 4, Program Pengelolaan Persampahan")
    page.get_by_role("button", name="Catat kerja sama").click()
    expect(page.get_by_test_id("stage")).to_have_text("Persiapan")
    assert Agreement.objects.get(title="Pengelolaan Sampah Regional Piyungan").value == 1_500_000_000

    # Blocked until the TKKSD review is filed, and the page says so.
    expect(page.get_by_test_id("blocked-reasons")).to_contain_text("Unggah Kajian dan rekomendasi TKKSD")
    upload(page, tmp_path, "Kajian dan rekomendasi TKKSD")
    move_on(page, "Penawaran")
    upload(page, tmp_path, "Surat penawaran")
    move_on(page, "Penyusunan Kesepakatan Bersama (KB)")
    upload(page, tmp_path, "Draf Kesepakatan Bersama (KB)")
    move_on(page, "Penandatanganan Kesepakatan Bersama (KB)")
    upload(page, tmp_path, "Kesepakatan Bersama (KB)", signed=True)
    # No burden declared: the DPRD stage does not apply.
    move_on(page, "Penyusunan Perjanjian Kerja Sama (PKS)")
    upload(page, tmp_path, "Draf Perjanjian Kerja Sama (PKS)")
    for checkbox in page.locator("input[name=clauses]").all():
        checkbox.check()
    page.get_by_role("textbox", name="Analisis hukum").fill(
        "Telah ditelaah Bagian Hukum; tidak bertentangan dengan peraturan."
    )
    page.get_by_role("button", name="Simpan materi PKS").click()
    move_on(page, "Penandatanganan Perjanjian Kerja Sama (PKS)")
    upload(page, tmp_path, "Perjanjian Kerja Sama (PKS)", signed=True)
    move_on(page, "Pelaksanaan")

    agreement = Agreement.objects.get(title="Pengelolaan Sampah Regional Piyungan")
    assert agreement.stage == Stage.PELAKSANAAN
    assert agreement.own_number == "100.3.3/021/KS/2026"
    assert agreement.transitions.count() == 7
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(7)
    expect(page.get_by_test_id("status")).to_have_text("Aktif")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ending_asks_for_the_reason_first_then_confirms_what_cannot_be_undone(page, live_server, tkksd, opd):
    from registry.tests.factories import make_agreement

    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("tkksd")
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    end = page.get_by_test_id("move-end")
    end.get_by_role("button", name="Akhiri kerja sama").click()
    # No question while the reason is missing: the browser points at the empty field instead.
    assert questions == []
    assert end.get_by_label("Alasan*", exact=True).evaluate("input => !input.validity.valid")
    end.get_by_label("Alasan*", exact=True).fill("Tujuan kerja sama telah tercapai.")
    end.get_by_label("Alasan berakhir").select_option(index=1)
    end.get_by_role("button", name="Akhiri kerja sama").click()
    expect(page.get_by_test_id("stage")).to_have_text("Berakhir")
    assert len(questions) == 1 and "tidak dapat dibatalkan" in questions[0]
    agreement.refresh_from_db()
    assert agreement.stage == Stage.BERAKHIR


def required_mark(page, field_id):
    """Whether the field's label carries the asterisk of required fields and the browser asks for it."""
    return page.evaluate(
        """id => {
            const field = document.getElementById(id);
            const label = document.querySelector(`label[for='${id}']`);
            return {marked: !!label.querySelector('.asteriskField'), required: field.required};
        }""",
        field_id,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fields_required_only_in_some_cases_are_marked_once_they_apply(page, live_server, tkksd, opd):
    from registry.tests.factories import make_agreement

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("tkksd")
    page.get_by_label("Sandi").fill("password")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/registri/kerja-sama/baru/")
    # Before the first save, the always-required fields carry the mark, and the form says what it means.
    expect(page.locator("form .required-note")).to_have_text("Kolom bertanda * wajib diisi.")
    for label in ("Jenis", "Judul", "Objek", "Urusan pemerintahan", "OPD pengampu"):
        expect(page.locator("label.requiredField", has_text=label).locator(".asteriskField").first).to_be_visible()
    page.get_by_label("Jenis*").select_option("ksdd")
    assert required_mark(page, "id_ksdd_nature") == {"marked": True, "required": True}
    expect(page.get_by_label("Sifat KSDD*")).to_be_visible()
    page.get_by_label("Jenis*").select_option("ksdpk")
    assert required_mark(page, "id_ksdpk_type") == {"marked": True, "required": True}
    # Hidden again, the KSDD field no longer stops the form.
    assert required_mark(page, "id_ksdd_nature")["required"] is False
    page.locator("#id_not_yet_budgeted").check()
    assert required_mark(page, "id_burden_justification") == {"marked": True, "required": True}
    page.get_by_label("Jangka waktu (bulan)").fill("240")
    assert required_mark(page, "id_long_term_reason") == {"marked": True, "required": True}

    # The reason an agreement ends is marked as required as well.
    agreement = make_agreement(tkksd, opd=opd, stage=Stage.PELAKSANAAN)
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    end = page.get_by_test_id("move-end")
    expect(end.locator("label", has_text="Alasan berakhir").locator(".asteriskField")).to_be_visible()
