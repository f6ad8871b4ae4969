"""Typography of the issued documents: Indonesian hyphenation, numbers that never break, grouped NIP,
one serif face, and a QR code that decodes from a 100 dpi rendering."""

import io
import re
import shutil
import subprocess
from datetime import date

import pyphen
import pytest
from pypdf import PdfReader

from kerjasama.formatting import grouped_nip
from registry import official
from registry.models import DocumentKind, TkksdMember
from registry.tests.official_data import berita_acara_data, surat_data

LONG_BODY = [
    "Dengan hormat, bersama ini kami sampaikan permohonan persetujuan Dewan Perwakilan Rakyat Daerah atas "
    "rencana kerja sama penyelenggaraan angkutan perkotaan terintegrasi antardaerah, pengelolaan persampahan "
    "regional, penyediaan air minum lintas wilayah, dan pengembangan kawasan perbatasan yang berkelanjutan "
    "sebagaimana tercantum dalam rencana kerja sama terlampir."
] * 3


def raw_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def issued_documents(issue, profile, tkksd, pimpinan, letter_series, decree):
    TkksdMember.objects.create(name="Ketua", position="Sekretaris Daerah", team_role="ketua", user=tkksd)
    letter = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.SURAT,
        series=letter_series,
        title="Permohonan",
        data=surat_data() | {"body": LONG_BODY},
    )
    minutes_data = berita_acara_data()
    minutes_data["secretary"]["nip"] = "197803122005012008"
    minutes_data["chair"]["nip"] = "196905171994031006"
    minutes_data["subtitle"] = "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH KABUPATEN SLEMAN"
    minutes = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.BERITA_ACARA,
        series=official.series_for("berita-acara-tkksd"),
        title="BA",
        data=minutes_data,
    )
    day = date(2026, 11, 23)
    return [
        issue(letter, actor=pimpinan, issue_date=day),
        issue(decree, actor=pimpinan, issue_date=day),
        issue(minutes, actor=tkksd, issue_date=day),
    ]


@pytest.mark.django_db
def test_justified_text_is_hyphenated_the_indonesian_way(issued_documents):
    dictionary = pyphen.Pyphen(lang="id_ID")
    text = "\n".join(raw_pages(official.read_issued(issued_documents[0])))
    breaks = re.findall(r"(\w+)\u2010\n(\w+)", text)
    assert breaks, "a long justified paragraph is hyphenated"
    for head, tail in breaks:
        assert len(head) in dictionary.positions(head + tail), (head, tail)


@pytest.mark.django_db
def test_numbers_and_nip_never_break_across_lines(issued_documents):
    for document in issued_documents:
        pages = raw_pages(official.read_issued(document))
        lines = [line for page in pages for line in page.splitlines()]
        assert any(document.number in line for line in lines), document.number
        assert not any(line.rstrip().endswith(document.number.split("/")[0] + "/") for line in lines)
    minutes = raw_pages(official.read_issued(issued_documents[2]))[0]
    nips = re.findall(r"NIP [\d ]+", minutes)
    assert len(nips) == 2 and all(re.fullmatch(r"NIP \d{8} \d{6} \d \d{3}", nip.strip()) for nip in nips), nips


def test_a_nip_is_grouped_as_printed():
    assert grouped_nip("197001011990031001") == "19700101 199003 1 001"
    assert grouped_nip(" 19700101 199003 1 001 ") == "19700101 199003 1 001"
    assert grouped_nip("-") == "-"


@pytest.mark.django_db
def test_one_serif_face_throughout(issued_documents):
    for document in issued_documents:
        reader = PdfReader(io.BytesIO(official.read_issued(document)))
        families = {
            str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert families and all(family.startswith("KS-Serif") for family in families), families


@pytest.mark.django_db
def test_the_qr_code_decodes_from_a_100_dpi_rendering(issued_documents, tmp_path):
    # Installed by .ci/run and `make test` (poppler-utils, zbar-tools); missing tools fail the test.
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    assert pdftoppm and zbarimg, "install poppler-utils and zbar-tools"
    for document in issued_documents:
        pdf = tmp_path / f"{document.pk}.pdf"
        pdf.write_bytes(official.read_issued(document))
        subprocess.run(
            [pdftoppm, "-r", "100", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / f"p{document.pk}")],
            check=True,
            timeout=60,
        )
        image = next(tmp_path.glob(f"p{document.pk}*.png"))
        decoded = subprocess.run(
            [zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True, timeout=60, check=False
        )
        assert decoded.stdout.strip() == official.verification_url(document), decoded.stderr


@pytest.mark.django_db
def test_a_lampiran_ends_with_the_office_and_name_only(issued_documents):
    decree = issued_documents[1]
    assert decree.draft_data.get("lampiran")
    text = "\n".join(raw_pages(official.read_issued(decree)))
    assert text.count("Ditetapkan di") == 1
    assert text.count("BUPATI SLEMAN,") >= 2


@pytest.mark.django_db
def test_the_berita_acara_heading_never_leaves_the_regency_alone(issued_documents):
    lines = raw_pages(official.read_issued(issued_documents[2]))[0].splitlines()
    start = next(index for index, line in enumerate(lines) if "RAPAT PLENO" in line)
    heading = lines[start : start + 2]
    last = next(line for line in heading if line.rstrip().endswith("SLEMAN"))
    assert "DAERAH KABUPATEN SLEMAN" in last, heading


def test_keep_tail_binds_the_last_words_and_escapes():
    from kerjasama.templatetags.indonesian import keep_tail

    assert keep_tail("RAPAT <b> KABUPATEN SLEMAN", 2) == 'RAPAT &lt;b&gt; <span class="doc-no">KABUPATEN SLEMAN</span>'
    assert keep_tail("SLEMAN") == "SLEMAN"
