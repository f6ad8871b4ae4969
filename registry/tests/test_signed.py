"""The signed original: states, wet-ink scans, electronic signatures (PAdES), verification, waiting lists."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from registry import official
from registry.errors import AlreadyDone, ServiceError
from registry.models import DocumentKind, OfficialDocument
from registry.official import esign, signed
from registry.tests import certificates
from registry.tests.official_data import surat_data

ISSUE_DAY = date(2026, 11, 23)  # a Monday
ROLES = ["tkksd", "ppksd", "other_ppksd", "dprd", "pimpinan", "admin", "outsider"]


@pytest.fixture
def issued_letter(issue, letter, pimpinan):
    return issue(letter, actor=pimpinan, issue_date=ISSUE_DAY)


def scan_pdf(text: str = "Hasil pindaian surat yang telah ditandatangani") -> bytes:
    """A small real PDF standing in for the scan of the signed paper."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _status(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


# --- wet ink -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_issued_document_waits_for_its_signed_original(issued_letter):
    assert issued_letter.status == OfficialDocument.Status.ISSUED
    assert not issued_letter.is_signed
    assert signed.awaits_signature(issued_letter)


@pytest.mark.django_db
def test_a_wet_ink_scan_makes_the_document_signed_beside_the_issued_file(issued_letter, tkksd):
    content = scan_pdf()
    document = signed.record_wet_signature(
        issued_letter, actor=tkksd, content=content, signed_on=ISSUE_DAY + timedelta(days=1), signer_name="Budi Santoso"
    )
    document.refresh_from_db()
    assert document.status == OfficialDocument.Status.SIGNED
    assert document.signature_method == OfficialDocument.SignatureMethod.WET_INK
    assert document.signer_name == "Budi Santoso" and document.signed_on == date(2026, 11, 24)
    assert document.signed_recorded_by == tkksd and document.signed_recorded_at is not None
    assert signed.read_signed(document) == content
    # The issued rendering stays as it was, with its own fingerprint.
    assert document.sha256 and document.sha256 != document.signed_sha256
    assert official.read_issued(document).startswith(b"%PDF-")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signed_on", "signer", "message"),
    [
        (ISSUE_DAY - timedelta(days=1), "Budi", "sebelum tanggal"),
        (date(2099, 1, 1), "Budi", "masa mendatang"),
        (ISSUE_DAY, "  ", "Tuliskan"),
    ],
)
def test_a_wet_ink_scan_needs_a_plausible_day_and_a_signer(issued_letter, tkksd, signed_on, signer, message):
    with pytest.raises(ServiceError, match=message):
        signed.record_wet_signature(
            issued_letter, actor=tkksd, content=scan_pdf(), signed_on=signed_on, signer_name=signer
        )
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.ISSUED and not issued_letter.signed_file


@pytest.mark.django_db
def test_a_signed_original_is_recorded_once(issued_letter, tkksd, pimpinan):
    signed.record_wet_signature(issued_letter, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="Budi")
    issued_letter.refresh_from_db()
    with pytest.raises(AlreadyDone):
        signed.record_wet_signature(
            issued_letter, actor=pimpinan, content=scan_pdf("lain"), signed_on=ISSUE_DAY, signer_name="Budi"
        )


@pytest.mark.django_db
def test_drafts_and_voided_documents_take_no_signature(letter, issued_letter, tkksd, pimpinan):
    draft = official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter.series, title="Draf", data=surat_data()
    )
    with pytest.raises(PermissionDenied):
        signed.record_wet_signature(draft, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="B")
    voided = official.void_document(issued_letter, actor=pimpinan, reason="Salah alamat")
    with pytest.raises(PermissionDenied):
        signed.record_wet_signature(voided, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="B")


@pytest.mark.django_db
def test_a_signed_document_can_still_be_voided(issued_letter, tkksd, pimpinan):
    document = signed.record_wet_signature(
        issued_letter, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="Budi"
    )
    assert official.can_void(pimpinan, document)
    voided = official.void_document(document, actor=pimpinan, reason="Dicabut")
    assert voided.status == OfficialDocument.Status.VOIDED and voided.is_signed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ppksd", "dprd", "admin", "outsider"])
def test_only_tkksd_and_pimpinan_record_a_wet_ink_scan(issued_letter, users, role):
    with pytest.raises(PermissionDenied):
        signed.record_wet_signature(
            issued_letter, actor=users[role], content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="Budi"
        )


@pytest.mark.django_db
def test_the_wet_signature_page_by_role(client, users, issued_letter):
    url = reverse("registry:official_sign_wet", args=[issued_letter.pk])
    expected = {"tkksd": 200, "pimpinan": 200}
    for role in ROLES:
        assert _status(client, users[role], "get", url) == expected.get(role, 403), role
    assert _status(client, None, "get", url) == 302


@pytest.mark.django_db
def test_the_wet_signature_form_checks_the_file_by_content(client, tkksd, issued_letter):
    client.force_login(tkksd)
    url = reverse("registry:official_sign_wet", args=[issued_letter.pk])
    page = client.get(url)
    assert page.context["form"]["signer_name"].value()  # the printed name, to confirm
    data = {"signer_name": "Budi Santoso", "signed_on": "2026-11-24"}
    fake = SimpleUploadedFile("scan.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = client.post(url, data | {"file": fake})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = client.post(url, data | {"signer_name": "x" * 100_000, "file": SimpleUploadedFile("s.pdf", scan_pdf())})
    assert response.status_code == 200 and "signer_name" in response.context["form"].errors
    response = client.post(url, data | {"signer_name": "Bu\x00di", "file": SimpleUploadedFile("s.pdf", scan_pdf())})
    assert response.status_code == 200 and "signer_name" in response.context["form"].errors
    response = client.post(url, data | {"file": SimpleUploadedFile("s.pdf", scan_pdf())})
    assert response.status_code == 302
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.SIGNED


@pytest.mark.django_db
def test_both_files_download_and_the_page_shows_the_signed_original(client, users, issued_letter, tkksd):
    content = scan_pdf()
    signed.record_wet_signature(
        issued_letter, actor=tkksd, content=content, signed_on=ISSUE_DAY, signer_name="Budi Santoso"
    )
    signed_url = reverse("registry:official_download_signed", args=[issued_letter.pk])
    issued_url = reverse("registry:official_download", args=[issued_letter.pk])
    for role in ROLES:
        expected = {"tkksd": 200, "pimpinan": 200, "admin": 200, "dprd": 404}.get(role, 403)
        assert _status(client, users[role], "get", signed_url) == expected, role
        assert _status(client, users[role], "get", issued_url) == expected, role
    assert _status(client, None, "get", signed_url) == 302
    client.force_login(tkksd)
    assert client.get(signed_url).content == content
    detail = client.get(reverse("registry:official_detail", args=[issued_letter.pk])).content.decode()
    assert "Ditandatangani basah oleh Budi Santoso pada 23 November 2026" in detail
    assert "official_sign_wet" not in detail and "tanda-tangan-basah" not in detail


@pytest.mark.django_db
def test_an_altered_signed_original_is_not_served(client, issued_letter, tkksd):
    document = signed.record_wet_signature(
        issued_letter, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="Budi"
    )
    with open(document.signed_file.path, "ab") as stored:
        stored.write(b"%tampered")
    client.force_login(tkksd)
    response = client.get(reverse("registry:official_download_signed", args=[document.pk]))
    assert response.status_code == 409


# --- verification -----------------------------------------------------------------------------------


def _verify(client, document, content=None):
    url = reverse("verify_document", args=[document.verification_code])
    if content is None:
        return client.get(url)
    return client.post(url, {"file": SimpleUploadedFile("salinan.pdf", content, content_type="application/pdf")})


def _status_text(response) -> str:
    match = re.search(r'data-testid="verify-status">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(match.group(1).split())


@pytest.mark.django_db
def test_verification_says_plainly_when_a_document_is_issued_but_not_signed(client, issued_letter):
    response = _verify(client, issued_letter)
    assert _status_text(response) == "Terbit, belum ditandatangani: naskah asli yang ditandatangani belum dicatat."
    assert "alert-success" not in response.content.decode()


@pytest.mark.django_db
def test_verification_of_a_wet_ink_signed_document(client, issued_letter, tkksd):
    content = scan_pdf()
    signed.record_wet_signature(
        issued_letter, actor=tkksd, content=content, signed_on=date(2026, 11, 25), signer_name="Budi Santoso"
    )
    response = _verify(client, issued_letter)
    assert _status_text(response) == (
        "Ditandatangani basah oleh Budi Santoso pada 25 November 2026; salinan pindaiannya tercatat."
    )
    issued_letter.refresh_from_db()
    assert issued_letter.signed_sha256 in response.content.decode()
    # The signed original, the issued rendering, and anything else.
    assert _verify(client, issued_letter, content).context["result"] == signed.CopyMatch.SIGNED
    issued = official.read_issued(issued_letter)
    response = _verify(client, issued_letter, issued)
    assert response.context["result"] == signed.CopyMatch.ISSUED
    assert "bukan naskah asli yang ditandatangani" in response.content.decode()
    response = _verify(client, issued_letter, content + b"\n")
    assert response.context["result"] == signed.CopyMatch.DIFFERENT
    page = response.content.decode()
    # The mismatch is the headline, in red, before the status.
    assert page.index('alert alert-danger fs-5" data-testid="verify-result"') < page.index(
        'data-testid="verify-status"'
    )


@pytest.mark.django_db
def test_verification_of_a_voided_document_says_when_and_why(client, issued_letter, pimpinan):
    official.void_document(issued_letter, actor=pimpinan, reason="Salah alamat tujuan")
    text = _status_text(_verify(client, issued_letter))
    assert text.startswith("Dibatalkan pada ") and text.endswith("karena: Salah alamat tujuan")


# --- electronic signatures -------------------------------------------------------------------------------


@pytest.fixture
def authority():
    return certificates.make_authority()


@pytest.fixture
def bupati_certificate(settings, tmp_path, authority):
    certificates.configure(
        settings, tmp_path, pkcs12_data=certificates.make_pkcs12(authority, "Budi Santoso"), roots=[authority]
    )


@pytest.mark.django_db
def test_the_signatory_signs_electronically_as_pades_keeping_pdfa(bupati_certificate, issued_letter, pimpinan):
    assert signed.can_sign_electronically(pimpinan, issued_letter)
    document = signed.sign_electronically(issued_letter, actor=pimpinan, password="password")
    document.refresh_from_db()
    assert document.status == OfficialDocument.Status.SIGNED
    assert document.signature_method == OfficialDocument.SignatureMethod.ELECTRONIC
    assert document.signer_name == "Budi Santoso"
    content = signed.read_signed(document)
    issued = official.read_issued(document)
    # An incremental update: the signed file begins with the issued bytes.
    assert content.startswith(issued) and len(content) > len(issued)
    report = esign.validate(content)
    assert report.sound and report.signer == "Budi Santoso"
    assert document.signature_report["signs_issued"] is True
    # Still PDF/A-3b: the XMP claims stay, every font (the visible block's too) is embedded.
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)
    fonts = []
    for page in reader.pages:
        resources = [page.get("/Resources", {})]
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            appearance = annotation.get("/AP", {}).get("/N")
            if appearance is not None:
                resources.append(appearance.get_object().get("/Resources", {}))
        for resource in resources:
            for font in (resource.get_object().get("/Font", {}) or {}).values():
                fonts.append(font.get_object())
    assert len(fonts) > 1
    for font in fonts:
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font
    # The visible block sits in the signature space of the page the signatory signs.
    signature_page, box = signed.signature_spot(issued)
    widgets = [
        a.get_object()
        for a in reader.pages[signature_page].get("/Annots", [])
        if a.get_object().get("/FT") == "/Sig" or a.get_object().get("/Subtype") == "/Widget"
    ]
    assert widgets
    rect = [float(v) for v in widgets[0]["/Rect"]]
    assert rect == pytest.approx(list(box), abs=1)


@pytest.mark.django_db
def test_a_tampered_signed_file_is_reported_invalid(bupati_certificate, client, issued_letter, pimpinan):
    document = signed.sign_electronically(issued_letter, actor=pimpinan, password="password")
    content = signed.read_signed(document)
    # Change one byte inside the signed range (a character of the issued content).
    position = content.index(b"/Producer") + 2
    tampered = content[:position] + bytes([content[position] ^ 0x01]) + content[position + 1 :]
    report = esign.validate(tampered)
    assert report.signed and not report.sound
    response = _verify(client, document, tampered)
    assert response.context["result"] == signed.CopyMatch.DIFFERENT
    assert 'data-testid="verify-upload-signature"' in response.content.decode()
    assert "tidak sah" in response.content.decode()
    # The genuine one is the signed original, and the page says it is validly signed.
    response = _verify(client, document, content)
    assert response.context["result"] == signed.CopyMatch.SIGNED
    assert _status_text(response).startswith("Ditandatangani secara elektronik oleh Budi Santoso pada ")
    assert _status_text(response).endswith("tanda tangan sah.")


@pytest.mark.django_db
def test_signing_needs_the_signatorys_own_password(bupati_certificate, issued_letter, pimpinan):
    with pytest.raises(ServiceError, match="Kata sandi"):
        signed.sign_electronically(issued_letter, actor=pimpinan, password="salah")
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.ISSUED and not issued_letter.signed_file


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("valid_from_days", "valid_until_days", "trusted"),
    [(-400, -30, True), (30, 400, True), (-1, 365, False)],
    ids=["expired", "not-yet-valid", "untrusted"],
)
def test_an_expired_or_untrusted_certificate_is_refused(
    settings, tmp_path, authority, issued_letter, pimpinan, valid_from_days, valid_until_days, trusted
):
    roots = [authority] if trusted else [certificates.make_authority("CA Lain")]
    data = certificates.make_pkcs12(
        authority, "Budi Santoso", valid_from_days=valid_from_days, valid_until_days=valid_until_days
    )
    certificates.configure(settings, tmp_path, pkcs12_data=data, roots=roots)
    with pytest.raises(ServiceError):
        signed.sign_electronically(issued_letter, actor=pimpinan, password="password")
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.ISSUED and not issued_letter.signed_file


@pytest.mark.django_db
def test_no_certificate_no_electronic_signing(settings, issued_letter, pimpinan):
    settings.SIGNING_CERTIFICATES = {"bupati": {"pkcs12": "", "passphrase": ""}}
    assert not signed.can_sign_electronically(pimpinan, issued_letter)
    with pytest.raises(PermissionDenied):
        signed.sign_electronically(issued_letter, actor=pimpinan, password="password")


@pytest.mark.django_db
def test_electronic_signing_by_role(bupati_certificate, client, users, issued_letter):
    """Only the office's holder signs with its certificate: the Bupati's side is Pimpinan."""
    url = reverse("registry:official_sign_electronic", args=[issued_letter.pk])
    for role in ("tkksd", "ppksd", "dprd", "admin", "outsider"):
        assert _status(client, users[role], "post", url, {"password": "password"}) in (403, 404), role
    assert _status(client, None, "post", url, {"password": "password"}) == 302
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.ISSUED
    client.force_login(users["pimpinan"])
    detail = client.get(reverse("registry:official_detail", args=[issued_letter.pk]))
    assert detail.context["sign_form"] is not None
    assert client.post(url, {"password": "password"}).status_code == 302
    issued_letter.refresh_from_db()
    assert issued_letter.status == OfficialDocument.Status.SIGNED


# --- waiting for the signed original --------------------------------------------------------------------


@pytest.mark.django_db
def test_awaiting_signature_lists_issued_unsigned_documents_oldest_first(issue, letter, tkksd, pimpinan):
    documents = []
    for day in (date(2026, 11, 25), date(2026, 11, 20), date(2026, 11, 23)):
        draft = official.create_draft(
            actor=tkksd, kind=DocumentKind.SURAT, series=letter.series, title=f"Surat {day}", data=surat_data()
        )
        documents.append(issue(draft, actor=pimpinan, issue_date=day))
    signed.record_wet_signature(
        documents[2], actor=tkksd, content=scan_pdf(), signed_on=date(2026, 11, 23), signer_name="Budi"
    )
    waiting = list(official.awaiting_signature(date(2026, 11, 26)))
    assert waiting == [documents[1], documents[0]]
    assert letter not in official.awaiting_signature(date(2026, 11, 26))  # a draft
    assert list(official.awaiting_signature(date(2026, 11, 21))) == [documents[1]]


@pytest.mark.django_db
def test_a_document_is_overdue_after_signature_reminder_days_working_days(settings, issue, letter, pimpinan):
    settings.SIGNATURE_REMINDER_DAYS = 3
    document = issue(letter, actor=pimpinan, issue_date=date(2026, 11, 20))  # a Friday
    # Monday, Tuesday: two working days; Wednesday the third.
    assert official.overdue_signatures(date(2026, 11, 24)) == []
    assert official.overdue_signatures(date(2026, 11, 25)) == [document]


@pytest.mark.django_db
def test_the_document_check_reads_the_signed_original_too(issued_letter, tkksd, admin_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from monitoring import documents
    from monitoring.models import Notification

    document = signed.record_wet_signature(
        issued_letter, actor=tkksd, content=scan_pdf(), signed_on=ISSUE_DAY, signer_name="Budi Santoso"
    )
    assert list(official.damaged_documents()) == []
    with document.signed_file.open("wb") as stored:
        stored.write(b"%PDF-1.7 altered after signing")
    assert [(d.pk, state) for d, state in official.damaged_documents()] == [
        (document.pk, official.FileState.SIGNED_ALTERED)
    ]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_documents", stdout=out)
    assert "signed_altered" in out.getvalue()
    assert documents.report_damaged_documents() == 1
    assert "naskah asli bertanda tangan diubah" in Notification.objects.get(recipient=admin_user).body
