"""The form the law prescribes: the Garuda Pancasila on the Bupati's documents, the regency's lambang on
the Setda's, uploaded as PNG or JPEG; the name printed under a decree as the Pemda writes it."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from registry import official
from registry.errors import ServiceError
from registry.forms import PemdaProfileForm
from registry.models import DocumentKind, OfficialDocument, PemdaProfile
from registry.tests.official_data import keputusan_data, surat_data


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text().replace("\u2010\n", "") for page in PdfReader(io.BytesIO(content)).pages)


def images_on_first_page(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages[0].images)


def image_upload(image_format: str, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "gold").save(out, format=image_format)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def without_garuda(profile):
    PemdaProfile.objects.filter(pk=1).update(garuda_emblem="")


@pytest.mark.django_db
def test_a_decree_is_not_issued_without_the_garuda(without_garuda, decree, pimpinan):
    assert official.missing_emblem(decree)
    with pytest.raises(ServiceError, match="Garuda Pancasila"):
        official.issue_document(decree, actor=pimpinan)
    decree.refresh_from_db()
    assert decree.is_draft and not decree.number


@pytest.mark.django_db
def test_the_preview_and_the_page_say_why(without_garuda, decree, client, pimpinan):
    assert "belum diunggah di Profil Pemda" in " ".join(pdf_text(official.preview_pdf(decree)).split())
    client.force_login(pimpinan)
    page = client.get(reverse("registry:official_detail", args=[decree.pk])).content.decode()
    assert 'data-testid="missing-emblem"' in page and "Garuda Pancasila" in page


@pytest.mark.django_db
def test_a_setda_letter_needs_no_garuda(without_garuda, letter, pimpinan, issue):
    assert official.missing_emblem(letter) is None
    assert issue(letter, actor=pimpinan).status == OfficialDocument.Status.ISSUED


@pytest.mark.django_db
def test_a_letter_under_the_bupatis_heading_needs_the_garuda(without_garuda, tkksd, letter_series):
    draft = official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="Surat", data=surat_data() | {"kop": "head"}
    )
    assert official.missing_emblem(draft)


@pytest.mark.django_db
def test_the_issued_decree_carries_the_garuda_and_the_printed_name(profile, decree, pimpinan, issue):
    PemdaProfile.objects.filter(pk=1).update(head_decree_name="Dr. H. HARJONO PRAWIRO, M.Si.")
    data = keputusan_data()
    data.pop("signer_name", None)
    decree.draft_data = data
    decree.save(update_fields=["draft_data"])
    issued = issue(decree, actor=pimpinan, issue_date=date(2026, 11, 23))
    content = official.read_issued(issued)
    assert images_on_first_page(content) >= 1
    # As the Pemda writes it, not upper-cased into "DR. H. … M.SI.".
    assert "Dr. H. HARJONO PRAWIRO, M.Si." in pdf_text(content)


@pytest.mark.parametrize(
    ("field", "upload", "valid"),
    [
        ("garuda_emblem", lambda: image_upload("PNG", "garuda.png"), True),
        ("garuda_emblem", lambda: image_upload("JPEG", "garuda.jpg"), True),
        ("logo", lambda: image_upload("GIF", "lambang.png"), False),
        (
            "garuda_emblem",
            lambda: SimpleUploadedFile("garuda.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            False,
        ),
    ],
)
@pytest.mark.django_db
def test_emblems_are_png_or_jpeg_by_content(profile, field, upload, valid):
    instance = PemdaProfile.current()
    data = {
        "regency": instance.regency_id,
        "capital": "Sleman",
        "head_title": "Bupati",
        "head_name": "Harjono Prawiro",
        "head_decree_name": "HARJONO PRAWIRO",
        "secretary_name": "Bambang",
        "address": "Jalan",
        "decree_invocation": "on",
        "edition": PemdaProfileForm(instance=instance)["edition"].initial,
    }
    form = PemdaProfileForm(data, {field: upload()}, instance=instance)
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert field in form.errors
