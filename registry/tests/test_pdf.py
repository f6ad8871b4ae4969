"""The PDF engine: structure of each document, paper, drafts, PDF/A, fonts, and what it may fetch."""

import base64
import dataclasses
import io
import json
import re
import socket
import threading
from datetime import date, time
from pathlib import Path

import pytest
import segno
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from registry.official import engine
from registry.official import pdf as printing
from registry.official.documents import (
    Attendee,
    BeritaAcara,
    DecreeAttachment,
    Keputusan,
    Meeting,
    Signature,
    Surat,
    Table,
    Verification,
    document_context,
    render_document,
)
from registry.official.engine import LocalFetcher
from registry.official.pdf import ResourceRefused, pdf_response, pemda_letterhead, render_pdf

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
MM = 72 / 25.4  # PDF points per millimetre


def png_bytes(color=(20, 110, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 48), color).save(buffer, "PNG")
    return buffer.getvalue()


LOGO = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()

LETTERHEAD = printing.Letterhead(
    government="PEMERINTAH KABUPATEN SLEMAN",
    unit="SEKRETARIAT DAERAH",
    head_title="BUPATI SLEMAN",
    head_office="Bupati",
    regency="Kabupaten Sleman",
    regency_short="Sleman",
    province="PROVINSI DAERAH ISTIMEWA YOGYAKARTA",
    capital="Sleman",
    address="Jalan Parasamya Nomor 1, Beran, Tridadi, Sleman",
    postal_code="55511",
    phone="(0274) 868405",
    email="setda@slemankab.go.id",
    website="www.slemankab.go.id",
    logo=LOGO,
    emblem="",
    head_name="Harjono Prawiro",
    secretary_name="Bambang Wicaksono",
    secretary_nip="196905171994031006",
    decree_invocation=True,
    time_zone="WIB",
    time_zone_name="Asia/Jakarta",
)


def lampiran_table(rows: int) -> Table:
    return Table(
        columns=["No", "Urusan", "Objek", "Jenis KSD", "Calon Mitra", "OPD Pelaksana", "Keterangan"],
        rows=[
            [str(n), "Perhubungan", f"Angkutan perkotaan koridor {n}", "KSDD", "Kota Yogyakarta", "Dishub", "-"]
            for n in range(1, rows + 1)
        ],
    )


def make_keputusan(*, rows: int = 0, **changes) -> Keputusan:
    doc = Keputusan(
        letterhead=LETTERHEAD,
        number="100.3.3/012/KS/2026",
        date=date(2026, 11, 23),
        title="PENETAPAN RENCANA KERJA SAMA DAERAH KABUPATEN SLEMAN TAHUN 2027",
        menimbang=[
            "bahwa kerja sama daerah meningkatkan kesejahteraan masyarakat;",
            "bahwa hasil Rapat Pleno Tim Koordinasi Kerja Sama Daerah telah dituangkan dalam Berita Acara;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu "
            "menetapkan Keputusan Bupati;",
        ],
        mengingat=[
            "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;",
            "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah;",
        ],
        diktum=[
            "Menetapkan Rencana Kerja Sama Daerah sebagaimana tercantum dalam Lampiran.",
            "Rencana sebagaimana dimaksud dalam Diktum KESATU menjadi pedoman bagi Perangkat Daerah.",
            "Keputusan Bupati ini mulai berlaku pada tanggal ditetapkan.",
        ],
        tembusan=["Gubernur Daerah Istimewa Yogyakarta;", "Ketua DPRD Kabupaten Sleman."],
        lampiran=DecreeAttachment(table=lampiran_table(rows), heading="DAFTAR RENCANA KERJA SAMA") if rows else None,
    )
    return dataclasses.replace(doc, **changes)


def make_berita_acara(**changes) -> BeritaAcara:
    doc = BeritaAcara(
        letterhead=LETTERHEAD,
        number="100.3.3/011/KS/2026",
        subtitle="RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN",
        meeting=Meeting(
            date=date(2023, 7, 21),
            start=time(9, 0),
            place="Ruang Rapat Sekretariat Daerah",
            chair="Sekretaris Daerah selaku Ketua TKKSD",
            purpose="telah dilaksanakan Rapat Pleno Tim Koordinasi Kerja Sama Daerah Kabupaten Sleman",
        ),
        agenda=["Pembahasan usulan kerja sama dari Perangkat Daerah;"],
        decisions=["Usulan angkutan perkotaan dinyatakan layak;", "Usulan pengelolaan sampah perlu perbaikan."],
        follow_up=["Bagian Kerja Sama menyusun rancangan Keputusan Bupati."],
        secretary=Signature(
            title="Sekretaris TKKSD,",
            position="Kepala Bagian Kerja Sama",
            name="Rina Kusumawati",
            nip="197803122005012008",
        ),
        chair=Signature(
            title="Ketua TKKSD,", position="Sekretaris Daerah", name="Bambang Wicaksono", nip="196905171994031006"
        ),
        attendees=[Attendee(name="Agus Santoso", position="Kepala Dinas Perhubungan")],
        tables=[
            Table(
                title="DAFTAR USULAN DAN HASIL PENILAIAN",
                columns=["No", "Usulan", "Hasil"],
                rows=[["1", "Angkutan perkotaan", "Layak"]],
            )
        ],
    )
    return dataclasses.replace(doc, **changes)


def make_surat(**changes) -> Surat:
    doc = Surat(
        letterhead=LETTERHEAD,
        number="100.3.3/015/KS/2026",
        date=date(2026, 11, 23),
        nature="Segera",
        attachment="1 (satu) berkas",
        subject="Permohonan Persetujuan DPRD",
        recipient="Ketua DPRD Kabupaten Sleman",
        recipient_place="Sleman",
        body=[
            "Bersama ini kami sampaikan rencana kerja sama daerah.",
            "Demikian, atas perhatiannya kami ucapkan terima kasih.",
        ],
        signature=Signature(title="Sekretaris Daerah,", name="Bambang Wicaksono", nip="196905171994031006"),
        tembusan=["Bupati Sleman (sebagai laporan)."],
    )
    return dataclasses.replace(doc, **changes)


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (justified lines break anywhere)."""
    return [" ".join(page.extract_text().replace("\u2010\n", "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def assert_in_order(text: str, *parts: str) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"{part!r} missing or out of order in: {text}"
        position = found


@pytest.fixture
def fresh_engine(monkeypatch):
    """Forget the per-thread fonts and stylesheet so that the next render loads them again."""
    monkeypatch.setattr(engine, "_thread_state", threading.local())


@pytest.fixture
def fetch_log(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for, and the outcome."""
    log: list[tuple[str, str]] = []
    original = LocalFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except ResourceRefused:
            log.append((url, "refused"))
            raise
        log.append((url, "served"))
        return response

    monkeypatch.setattr(LocalFetcher, "fetch", spy)
    return log


@pytest.fixture
def no_network(monkeypatch):
    """Record any attempt to open a socket or resolve a name; the test asserts the list stays empty."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# Keputusan ---------------------------------------------------------------------------------------------


def test_keputusan_prints_its_parts_in_the_legal_order():
    text = text_of(render_document(make_keputusan(rows=3)))
    assert_in_order(
        text,
        "BUPATI SLEMAN",
        "PROVINSI DAERAH ISTIMEWA YOGYAKARTA",
        "KEPUTUSAN BUPATI SLEMAN",
        "NOMOR 100.3.3/012/KS/2026",
        "TENTANG",
        "PENETAPAN RENCANA KERJA SAMA DAERAH KABUPATEN SLEMAN TAHUN 2027",
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "BUPATI SLEMAN,",
        "Menimbang : a. bahwa kerja sama daerah",
        "b. bahwa hasil Rapat Pleno",
        "c. bahwa berdasarkan pertimbangan",
        "Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014",
        "2. Peraturan Pemerintah Nomor 28 Tahun 2018",
        "MEMUTUSKAN:",
        "Menetapkan :",
        "KESATU : Menetapkan Rencana",
        "KEDUA : Rencana sebagaimana",
        "KETIGA : Keputusan Bupati ini mulai berlaku",
        "Ditetapkan di Sleman",
        "pada tanggal 23 November 2026",
        "BUPATI SLEMAN,",
        "HARJONO PRAWIRO",
        "Tembusan",
        "1. Gubernur Daerah Istimewa Yogyakarta;",
        "LAMPIRAN",
        "KEPUTUSAN BUPATI SLEMAN",
        "NOMOR : 100.3.3/012/KS/2026",
        "TANGGAL : 23 November 2026",
        "TENTANG : PENETAPAN RENCANA KERJA SAMA",
        "DAFTAR RENCANA KERJA SAMA",
        "Calon Mitra",
        "Angkutan perkotaan koridor 3",
        "BUPATI SLEMAN,",
        "HARJONO PRAWIRO",
    )
    assert "KEEMPAT" not in text
    # The lampiran ends with the office and the name only: the place and date are the decree's.
    assert text.count("Ditetapkan di") == 1


def test_lampiran_starts_on_its_own_page():
    pages = pages_text(render_document(make_keputusan(rows=3)))
    lampiran_pages = [number for number, page in enumerate(pages) if page.startswith("LAMPIRAN")]
    assert lampiran_pages and lampiran_pages[0] > 0
    assert "MEMUTUSKAN" not in pages[lampiran_pages[0]]


def test_invocation_follows_the_pemda_toggle():
    letterhead = {**LETTERHEAD, "decree_invocation": False}
    text = text_of(render_document(make_keputusan(letterhead=letterhead)))
    assert "DENGAN RAHMAT TUHAN" not in text
    assert_in_order(text, "TENTANG", "PENETAPAN RENCANA", "BUPATI SLEMAN,", "Menimbang")


def test_unnumbered_undated_decree_prints_blanks_to_fill_in():
    text = text_of(render_document(make_keputusan(number=None, date=None)))
    assert "NOMOR ……" in text
    assert "pada tanggal ……" in text


def test_long_lampiran_runs_over_pages_repeating_its_header_row():
    pdf = render_document(make_keputusan(rows=70))
    pages = pages_text(pdf)
    lampiran = [page for page in pages if "Angkutan perkotaan koridor" in page]
    assert len(pages) >= 4
    assert len(lampiran) >= 2
    for page in lampiran:
        assert "No Urusan Objek Jenis KSD Calon Mitra OPD Pelaksana Keterangan" in page
    assert "koridor 70" in pages[-1] or "koridor 70" in pages[-2]
    assert "HARJONO PRAWIRO" in pages[-1]
    # Every row printed exactly once.
    text = " ".join(pages)
    assert all(text.count(f"koridor {n} ") == 1 for n in range(1, 71))


def test_many_diktum_are_named_in_words():
    doc = make_keputusan(diktum=[f"Ketentuan nomor {n}." for n in range(1, 13)])
    text = text_of(render_document(doc))
    assert_in_order(text, "KESEPULUH : Ketentuan nomor 10.", "KESEBELAS : Ketentuan nomor 11.", "KEDUA BELAS :")


def test_salinan_label():
    assert text_of(render_document(make_keputusan(salinan=True))).startswith("SALINAN")
    assert "SALINAN" not in text_of(render_document(make_keputusan()))


# Berita Acara -----------------------------------------------------------------------------------------


def test_berita_acara_structure():
    pdf = render_document(make_berita_acara())
    pages = pages_text(pdf)
    text = " ".join(pages)
    assert_in_order(
        text,
        "PEMERINTAH KABUPATEN SLEMAN",
        "SEKRETARIAT DAERAH",
        "Jalan Parasamya Nomor 1",
        "Telepon (0274) 868405",
        "BERITA ACARA",
        "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN",
        "NOMOR: 100.3.3/011/KS/2026",
        "Pada hari ini Jumat tanggal dua puluh satu bulan Juli tahun dua ribu dua puluh tiga (21-07-2023), "
        "pukul 09.00 WIB, bertempat di Ruang Rapat Sekretariat Daerah, telah dilaksanakan Rapat Pleno",
        "yang dipimpin oleh Sekretaris Daerah selaku Ketua TKKSD dan dihadiri oleh anggota TKKSD "
        "sebagaimana daftar hadir terlampir, dengan agenda:",
        "1. Pembahasan usulan kerja sama",
        "Setelah dilakukan pembahasan, rapat menyepakati:",
        "1. Usulan angkutan perkotaan dinyatakan layak;",
        "2. Usulan pengelolaan sampah perlu perbaikan.",
        "Tindak lanjut:",
        "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
        "Sekretaris TKKSD,",
        "Rina Kusumawati",
        "NIP 19780312 200501 2 008",
        "DAFTAR HADIR",
        "No Nama Jabatan/Instansi Tanda Tangan",
        "1 Agus Santoso Kepala Dinas Perhubungan",
        "DAFTAR USULAN DAN HASIL PENILAIAN",
        "1 Angkutan perkotaan Layak",
    )
    assert "Ketua TKKSD," in text and "NIP 19690517 199403 1 006" in text
    # The daftar hadir is a lampiran: a page of its own after the signatures.
    assert "DAFTAR HADIR" not in pages[0]
    assert any(page.startswith("LAMPIRAN") and "DAFTAR HADIR" in page for page in pages)


def test_berita_acara_time_carries_the_pemda_zone():
    letterhead = {**LETTERHEAD, "time_zone": "WITA", "time_zone_name": "Asia/Makassar"}
    text = text_of(render_document(make_berita_acara(letterhead=letterhead, resolution="memutuskan")))
    assert "(21-07-2023), pukul 09.00 WITA, bertempat" in text
    assert "rapat memutuskan:" in text


def test_berita_acara_without_lampiran_is_one_document_without_daftar_hadir():
    text = text_of(render_document(make_berita_acara(attendees=(), tables=())))
    assert "DAFTAR HADIR" not in text
    assert "LAMPIRAN" not in text


# Surat -------------------------------------------------------------------------------------------------


def test_surat_structure():
    text = text_of(render_document(make_surat()))
    assert_in_order(
        text,
        "PEMERINTAH KABUPATEN SLEMAN",
        "SEKRETARIAT DAERAH",
        "Sleman, 23 November 2026",
        "Nomor : 100.3.3/015/KS/2026",
        "Sifat : Segera",
        "Lampiran : 1 (satu) berkas",
        "Hal : Permohonan Persetujuan DPRD",
        "Yth. Ketua DPRD Kabupaten Sleman",
        "di Sleman",
        "Bersama ini kami sampaikan",
        "Sekretaris Daerah,",
        "Bambang Wicaksono",
        "NIP 19690517 199403 1 006",
        "Tembusan:",
        "1. Bupati Sleman (sebagai laporan).",
    )


def test_surat_signed_by_the_bupati_carries_the_heading_of_the_office():
    signature = Signature(title="BUPATI SLEMAN,", name="HARJONO PRAWIRO")
    text = text_of(render_document(make_surat(kop="head", signature=signature)))
    assert text.startswith("BUPATI SLEMAN PROVINSI DAERAH ISTIMEWA YOGYAKARTA")
    assert "PEMERINTAH KABUPATEN SLEMAN" not in text


# Drafts, paper, PDF/A, fonts -------------------------------------------------------------------------


def test_draft_watermark_on_every_page_and_only_on_drafts():
    doc = make_keputusan(rows=40)
    draft = pages_text(render_document(doc, draft=True))
    final = pages_text(render_document(doc))
    assert len(draft) >= 3
    assert all("DRAF" in page for page in draft)
    assert not any("DRAF" in page for page in final)


@pytest.mark.parametrize(("paper", "width_mm", "height_mm"), [("A4", 210, 297), ("F4", 215, 330)])
def test_paper_size(paper, width_mm, height_mm):
    reader = PdfReader(io.BytesIO(render_document(make_keputusan(rows=3), paper=paper)))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width_mm * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height_mm * MM, abs=0.5)


@pytest.mark.parametrize("landscape", [False, True])
def test_pages_are_numbered_at_the_top_and_a_lampiran_on_its_own(landscape):
    """Tata Naskah Dinas: "- 2 -" centred at the top, no number on the first page (it bears the kop);
    the lampiran restarts, its first page (headed LAMPIRAN) unnumbered."""
    doc = make_keputusan(rows=120)
    doc = dataclasses.replace(doc, lampiran=dataclasses.replace(doc.lampiran, landscape=landscape))
    pages = pages_text(render_document(doc))
    numbers = [re.search(r" - (\d+) -$", page) for page in pages]
    first_lampiran = next(index for index, page in enumerate(pages) if page.startswith("LAMPIRAN"))
    assert numbers[0] is None and numbers[first_lampiran] is None
    assert [int(match[1]) for match in numbers[1:first_lampiran]] == list(range(2, first_lampiran + 1))
    assert len(pages) - first_lampiran >= 2
    assert [int(match[1]) for match in numbers[first_lampiran + 1 :]] == list(range(2, len(pages) - first_lampiran + 1))
    assert not any("Halaman" in page for page in pages)


def test_landscape_lampiran_turns_only_its_own_pages():
    doc = make_keputusan(rows=3)
    doc = dataclasses.replace(doc, lampiran=dataclasses.replace(doc.lampiran, landscape=True))
    reader = PdfReader(io.BytesIO(render_document(doc, paper="F4")))
    sizes = [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in reader.pages]
    assert sizes[0] == (215, 330)
    assert sizes[-1] == (330, 215)


def test_unknown_paper_is_refused():
    with pytest.raises(ValueError):
        render_pdf("surat.html", {}, paper="Letter")


def test_pdf_is_pdf_a_3b():
    pdf = render_document(make_surat())
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp)
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title.startswith("Surat Nomor 100.3.3/015/KS/2026")


def bundled_postscript_names() -> set[str]:
    return {TTFont(path)["name"].getDebugName(6) for path in [*FONT_DIR.glob("*/*.otf"), *FONT_DIR.glob("*/*.ttf")]}


def embedded_fonts(pdf: bytes):
    """(BaseFont, font descriptor) of every font used on any page."""
    seen = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            seen[font["/BaseFont"]] = descendant["/FontDescriptor"].get_object()
    return seen


@pytest.mark.parametrize(
    "doc", [make_keputusan(rows=3), make_berita_acara(), make_surat()], ids=["keputusan", "berita_acara", "surat"]
)
def test_only_the_bundled_fonts_are_embedded(doc):
    fonts = embedded_fonts(render_document(doc))
    names = bundled_postscript_names()
    assert {"TeXGyreBonum-Regular", "LiberationSans"} <= names
    assert fonts
    for base_font, descriptor in fonts.items():
        # Subset prefix, then the private family of print.css: never a system family.
        assert re.fullmatch(r"/[A-Z]{6}\+KS-(Serif|Sans)(-\w+)?", base_font), base_font
        files = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
        assert files, f"{base_font} is not embedded"
        program = TTFont(io.BytesIO(descriptor[files[0]].get_object().get_data()))
        assert program["name"].getDebugName(6) in names, base_font
    families = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    # One serif face throughout, letterhead and lampiran tables included.
    assert {"KS-Serif", "KS-Serif-Bold"} <= families
    assert not [family for family in families if "Sans" in family]


# Verification slot -------------------------------------------------------------------------------------


def test_verification_code_and_qr_on_every_page(fetch_log):
    url = "https://kerjasama.slemankab.go.id/v/ABCD-1234"
    verification = Verification(code="ABCD-1234", url=url, qr_svg_data_uri=segno.make(url).svg_data_uri(border=0))
    pages = pages_text(render_document(make_keputusan(rows=40, verification=verification)))
    assert len(pages) >= 3
    for page in pages:
        assert f"Kode verifikasi: ABCD-1234 {url}" in page
    # The QR image is the inline SVG, served from the data URI and nothing else.
    assert any(fetched.startswith("data:image/svg+xml") and outcome == "served" for fetched, outcome in fetch_log)


def test_qr_code_must_be_an_inline_image():
    with pytest.raises(ValueError):
        Verification(code="X", url="https://x", qr_svg_data_uri="https://example.invalid/qr.svg")


# Hostile input and the fetcher -----------------------------------------------------------------------

HOSTILE = (
    'Judul <b>x</b> <img src="http://example.invalid/x.png"> url(file:///etc/passwd) '
    "\u202eabc\u200bdef <style>@import 'https://example.invalid/a.css';</style>"
)


def test_hostile_title_prints_as_literal_text_and_fetches_nothing(fresh_engine, fetch_log, no_network):
    pdf = render_document(make_keputusan(title=HOSTILE, rows=2))
    text = text_of(pdf)
    # A line may break inside the long title (after "https://"): compare without whitespace.
    squeezed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", '<b>x</b> <img src="http://example.invalid/x.png"> url(file:///etc/passwd)') in squeezed
    assert "<style>@import'https://example.invalid/a.css';</style>" in squeezed
    # The direction override and the zero-width space are dropped: "abcdef" reads as typed.
    assert "abcdef" in text
    assert "\u202e" not in text and "\u200b" not in text
    # The fonts and the stylesheet were loaded (the spy works) and nothing else was asked for.
    assert fetch_log
    assert all(url.startswith(("static:", "data:")) for url, _ in fetch_log), fetch_log
    assert all(outcome == "served" for _, outcome in fetch_log)
    assert no_network == []


def test_markup_that_escaped_the_templates_still_fetches_nothing(fetch_log, no_network, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    html = f"""
        <link rel="stylesheet" href="https://example.invalid/a.css">
        <style>
          @import url("ftp://example.invalid/b.css");
          body {{ background: url("file:///etc/passwd"); }}
          p {{ background: url("{secret.as_uri()}"); }}
        </style>
        <img src="http://example.invalid/x.png">
        <img src="file:///etc/passwd">
        <img src="/static/../../etc/passwd">
        <img src="static:../../../../etc/passwd">
        <img src="static:%2e%2e/%2e%2e/etc/passwd">
        <img src="media:../../{secret.name}">
        <p>teks</p>
    """
    HTML(string=html, base_url=None, url_fetcher=LocalFetcher()).write_pdf()
    assert fetch_log, "the fetcher was not consulted"
    assert all(outcome == "refused" for _, outcome in fetch_log), fetch_log
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/print.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "/static/../../etc/passwd",
        "/static/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "fonts/liberation-sans/LiberationSans-Regular.ttf",
        "static:../../etc/passwd",
        "static:/etc/passwd",
        "static://etc/passwd",
        "static:fonts/../../../etc/passwd",
        "static:%2e%2e/%2e%2e/etc/passwd",
        "static:fonts/..%2f..%2f..%2fetc/passwd",
        "static:fonts\\..\\..\\etc\\passwd",
        "static:fonts//liberation-sans/LiberationSans-Regular.ttf",
        "static:fonts/liberation-sans/LiberationSans-Regular.ttf?x=1",
        "static:fonts/missing.ttf",
        "media:../kerjasama/settings.py",
        "media:pemda/logo.svg",
        "javascript:alert(1)",
        "",
    ],
)
def test_fetcher_refuses_anything_but_local_resources(url, monkeypatch):
    reads: list[Path] = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or b"")
    with pytest.raises(ResourceRefused):
        LocalFetcher().fetch(url)
    assert reads == []


def test_fetcher_serves_a_bundled_font():
    response = LocalFetcher().fetch("static:fonts/liberation-sans/LiberationSans-Regular.ttf")
    assert response.read() == (FONT_DIR / "liberation-sans" / "LiberationSans-Regular.ttf").read_bytes()
    assert response.content_type.startswith("font/")


def test_fetcher_serves_the_print_stylesheet():
    response = LocalFetcher().fetch("static:documents/print.css")
    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()


def test_fetcher_serves_images_under_media_root_only(tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "pemda").mkdir(parents=True)
    (media / "pemda" / "logo.png").write_bytes(png_bytes())
    outside = tmp_path / "outside.png"
    outside.write_bytes(png_bytes())
    (media / "pemda" / "link.png").symlink_to(outside)

    response = LocalFetcher().fetch("media:pemda/logo.png")
    assert response.read() == png_bytes()
    assert response.content_type == "image/png"
    with pytest.raises(ResourceRefused):
        LocalFetcher().fetch("media:pemda/link.png")


def test_fetcher_decodes_data_uris():
    assert LocalFetcher().fetch("data:text/plain;base64,aGFsbw==").read() == b"halo"
    response = LocalFetcher().fetch("data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E")
    assert response.read() == b"<svg/>"
    assert response.content_type == "image/svg+xml"
    with pytest.raises(ResourceRefused):
        LocalFetcher().fetch("data:text/plain;base64")


# Contexts, snapshots, responses ------------------------------------------------------------------------


def test_a_document_renders_again_from_its_json_snapshot_byte_for_byte():
    doc = make_berita_acara()
    snapshot = json.loads(json.dumps(document_context(doc)))
    assert render_pdf(doc.template_name, snapshot) == render_document(doc)


def test_print_contexts_take_plain_values_only():
    from registry.models import PemdaProfile

    with pytest.raises(TypeError, match="plain values"):
        render_pdf("surat.html", {"letterhead": PemdaProfile(capital="Sleman")})
    with pytest.raises(ValueError):
        render_pdf("../base.html", {})


def test_table_rows_must_match_the_columns():
    with pytest.raises(ValueError, match="row 2"):
        Table(columns=["No", "Nama"], rows=[["1", "A"], ["2"]])


@pytest.mark.django_db
def test_pemda_letterhead_is_a_snapshot_of_the_printed_values(settings):
    from registry.tests.factories import PemdaProfileFactory

    settings.TIME_ZONE = "Asia/Makassar"
    profile = PemdaProfileFactory(
        phone="(0274) 868405",
        email="setda@slemankab.go.id",
        website="www.slemankab.go.id",
        postal_code="55511",
        decree_invocation=False,
        logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    )
    letterhead = pemda_letterhead(profile)

    assert letterhead["government"] == "PEMERINTAH KABUPATEN SLEMAN"
    assert letterhead["unit"] == "SEKRETARIAT DAERAH"
    assert letterhead["head_title"] == "BUPATI SLEMAN"
    assert letterhead["province"] == "PROVINSI DAERAH ISTIMEWA YOGYAKARTA"
    assert letterhead["capital"] == "Sleman"
    assert letterhead["head_name"] == "Harjono Prawiro"
    assert letterhead["secretary_nip"] == "196905171994031006"
    assert letterhead["postal_code"] == "55511"
    assert letterhead["decree_invocation"] is False
    assert (letterhead["time_zone"], letterhead["time_zone_name"]) == ("WITA", "Asia/Makassar")
    assert base64.b64decode(letterhead["logo"].removeprefix("data:image/png;base64,")) == png_bytes()
    assert json.loads(json.dumps(letterhead)) == letterhead

    # Later edits of the profile (or of the logo file) leave the snapshot as it was.
    profile.head_name = "Nama Lain"
    profile.save()
    Path(profile.logo.path).write_bytes(png_bytes((200, 0, 0)))
    assert letterhead["head_name"] == "Harjono Prawiro"
    assert base64.b64decode(letterhead["logo"].split(",", 1)[1]) == png_bytes()


@pytest.mark.django_db
def test_pemda_letterhead_of_a_kota():
    from registry.models import Regency
    from registry.tests.factories import PemdaProfileFactory

    profile = PemdaProfileFactory(regency=Regency.objects.get(code="34.71"), head_title="Wali Kota")
    letterhead = pemda_letterhead(profile)
    assert letterhead["government"] == "PEMERINTAH KOTA YOGYAKARTA"
    assert letterhead["head_title"] == "WALI KOTA YOGYAKARTA"
    assert letterhead["logo"] == ""
    text = text_of(render_document(make_keputusan(letterhead=letterhead)))
    assert_in_order(text, "WALI KOTA YOGYAKARTA", "KEPUTUSAN WALI KOTA YOGYAKARTA", "Ditetapkan di")


@pytest.mark.django_db
def test_pemda_letterhead_skips_a_logo_that_is_not_an_image():
    from registry.tests.factories import PemdaProfileFactory

    profile = PemdaProfileFactory(logo=SimpleUploadedFile("logo.png", b"<svg/>", content_type="image/png"))
    assert pemda_letterhead(profile, unit="Bagian Kerja Sama")["logo"] == ""
    assert pemda_letterhead(profile, unit="Bagian Kerja Sama")["unit"] == "BAGIAN KERJA SAMA"


def test_pdf_response_headers():
    response = pdf_response("Keputusan Bupati Sleman 100.3.3/012 — Tahun 2026.pdf", b"%PDF-1.7")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''" in disposition
    assert "/" not in disposition.split("filename*=")[1].replace("%2F", "/").split("100.3.3")[0]
    assert "100.3.3-012" in disposition
    assert response["Content-Length"] == "8"
    assert response.content == b"%PDF-1.7"

    download = pdf_response("berita-acara.pdf", b"%PDF", inline=False)
    assert download["Content-Disposition"] == 'attachment; filename="berita-acara.pdf"'
    assert pdf_response("\u202ekop", b"%PDF", inline=False)["Content-Disposition"] == ('attachment; filename="kop.pdf"')
