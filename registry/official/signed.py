"""The signed original of an issued document: the act the registry keeps and verification vouches for.

An issued document is numbered, frozen and rendered, but its PDF has an empty signature space:
it is what goes to the signatory. The act is the copy they signed, recorded here in one of two
ways, after which the document is `signed`:

- wet ink: the TKKSD (or the Pimpinan's office) uploads the scan of the signed paper and records
  who signed it and on which day (`record_wet_signature`);
- electronic: the signatory's own account, after re-entering its password, signs the issued PDF
  as PAdES through registry/official/esign.py (`sign_electronically`); the signature is validated before
  it is kept, so an expired or untrusted certificate is refused.

Either way the signed file is stored beside the issued one with its own SHA-256, and both stay
downloadable. Nothing else sets the `signed` status.
"""

import datetime as dt
import hashlib
import io

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from .. import official
from ..errors import AlreadyDone, ServiceError
from ..models import DEFAULT_OFFICE, OfficialDocument
from ..roles import Role, has_role
from . import esign

SIGNED_FIELDS = [
    "status",
    "signature_method",
    "signed_file",
    "signed_sha256",
    "signed_on",
    "signer_name",
    "signed_recorded_at",
    "signed_recorded_by",
    "signature_report",
    "updated_at",
]

# Where the visible signature block goes when the issued file has no marked signature space (a
# document rendered before the space was marked): the lower right of its last page, in points.
FALLBACK_BOX = (330.0, 90.0, 560.0, 160.0)
SIGNATURE_ANCHOR = "tanda-tangan"


def office_of(document: OfficialDocument) -> str:
    return document.signatory or DEFAULT_OFFICE[document.kind]


def awaits_signature(document: OfficialDocument) -> bool:
    """Issued, rendered, and its signed original not yet recorded."""
    return document.status == OfficialDocument.Status.ISSUED and document.is_rendered


def can_record_wet_signature(user, document: OfficialDocument) -> bool:
    """The TKKSD (the Bagian Kerja Sama keeps the originals) or the Pimpinan's office."""
    return awaits_signature(document) and has_role(user, Role.TKKSD, Role.PIMPINAN)


def can_sign_electronically(user, document: OfficialDocument) -> bool:
    """Only the holder of the signatory office signs with its certificate, and only when the
    office has one configured."""
    office = office_of(document)
    return awaits_signature(document) and official.holds_office(user, office) and esign.backend().available(office)


def _store_signed(
    document: OfficialDocument,
    *,
    actor,
    content: bytes,
    method: str,
    signed_on: dt.date,
    signer_name: str,
    report: dict | None = None,
) -> OfficialDocument:
    with transaction.atomic():
        locked = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == OfficialDocument.Status.SIGNED:
            raise AlreadyDone(_("The signed original of this document has already been recorded."))
        if locked.status != OfficialDocument.Status.ISSUED:
            raise ServiceError(_("Only an issued document that is not voided can be signed."))
        locked.signed_file.save(f"{locked.verification_code}-ttd.pdf", ContentFile(content), save=False)
        locked.signed_sha256 = hashlib.sha256(content).hexdigest()
        locked.status = OfficialDocument.Status.SIGNED
        locked.signature_method = method
        locked.signed_on, locked.signer_name = signed_on, signer_name[:200]
        locked.signed_recorded_at, locked.signed_recorded_by = timezone.now(), actor
        locked.signature_report = report
        locked._history_user = actor
        locked.save(update_fields=SIGNED_FIELDS)
    return locked


def record_wet_signature(
    document: OfficialDocument, *, actor, content: bytes, signed_on: dt.date, signer_name: str
) -> OfficialDocument:
    """Keep the scan of the paper the signatory signed; the document becomes `signed`.

    `content` is a PDF already checked by the form (kerjasama's PDF validator). Raises
    PermissionDenied, AlreadyDone or ServiceError (a date before the issue or in the future).
    """
    if not can_record_wet_signature(actor, document):
        if document.status == OfficialDocument.Status.SIGNED:
            raise AlreadyDone(_("The signed original of this document has already been recorded."))
        raise PermissionDenied
    if not content.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        raise ServiceError(_("Only PDF files are accepted, and this file is not a PDF."))
    if signed_on < document.issue_date:
        raise ServiceError(_("A document cannot be signed before the date it was issued."))
    if signed_on > timezone.localdate():
        raise ServiceError(_("The date of signing cannot be in the future."))
    if not signer_name.strip():
        raise ServiceError(_("Write who signed the document."))
    return _store_signed(
        document,
        actor=actor,
        content=content,
        method=OfficialDocument.SignatureMethod.WET_INK,
        signed_on=signed_on,
        signer_name=signer_name.strip(),
    )


def signature_spot(content: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """The page and box of the signature space of an issued PDF (its `tanda-tangan` anchor), where
    the visible block of an electronic signature is drawn."""
    reader = PdfReader(io.BytesIO(content))
    destination = reader.named_destinations.get(SIGNATURE_ANCHOR)
    if destination is None:
        return len(reader.pages) - 1, FALLBACK_BOX
    page = reader.get_destination_page_number(destination)
    left, top = float(destination.left), float(destination.top)
    # The space is 2.2 cm (62 pt) high; the block keeps within it and the text column.
    width = min(230.0, float(reader.pages[page].mediabox.width) - left - 20)
    return page, (left, top - 60, left + width, top - 2)


def sign_electronically(document: OfficialDocument, *, actor, password: str) -> OfficialDocument:
    """Sign the issued PDF with the signatory office's certificate (PAdES, an incremental update
    with a visible block in the signature space) and keep it as the signed original.

    The signatory confirms with their own password. The signature is validated before it is kept:
    a certificate that is expired, not yet valid or not issued under a configured trust root is
    refused (ServiceError), and nothing is stored. Raises PermissionDenied, AlreadyDone or
    ServiceError.
    """
    if not can_sign_electronically(actor, document):
        if document.status == OfficialDocument.Status.SIGNED:
            raise AlreadyDone(_("The signed original of this document has already been recorded."))
        raise PermissionDenied
    if not password or not actor.check_password(password):
        raise ServiceError(_("The password is not correct."))
    issued = official.read_issued(document)
    page, box = signature_spot(issued)
    context = (document.snapshot or {}).get("context", {})
    signature = context.get("signature") or context.get("right_signature") or {}
    place = context.get("place") or context.get("letterhead", {}).get("capital", "")
    request = esign.SignatureRequest(
        office=office_of(document),
        signer_name=signature.get("name", "") or actor.get_full_name(),
        reason=f"Penetapan {document.get_kind_display()} Nomor {document.number}",
        location=place,
        page=page,
        box=box,
    )
    try:
        signed = esign.backend().sign(issued, request)
    except esign.SigningError as error:
        raise ServiceError(error.message) from error
    report = esign.validate(signed)
    if not report.sound:
        raise ServiceError(
            _(
                "The signature was not kept: its certificate is expired, not yet valid or not issued by a "
                "trusted authority, or the signed file does not check out."
            )
        )
    if not signed.startswith(issued):
        raise ServiceError(_("The signature was not kept: the signed file is not the issued document."))
    signed_at = report.signed_at
    return _store_signed(
        document,
        actor=actor,
        content=signed,
        method=OfficialDocument.SignatureMethod.ELECTRONIC,
        signed_on=timezone.localdate(signed_at) if signed_at else timezone.localdate(),
        signer_name=report.signer,
        report=report.as_dict() | {"signs_issued": True},
    )


def read_signed(document: OfficialDocument) -> bytes:
    """The stored signed original, checked against its SHA-256; raises official.DocumentFileError."""
    if not document.is_signed:
        raise official.DocumentFileError(official.FileState.MISSING, _("This document has no signed original yet."))
    return official.read_stored(document.signed_file, document.signed_sha256)


class CopyMatch:
    """What an uploaded copy is, compared with a document's stored files."""

    SIGNED = "signed"  # byte for byte the signed original
    ISSUED = "issued"  # byte for byte the issued (unsigned) rendering
    DIFFERENT = "different"  # neither


def compare_copy(document: OfficialDocument, content: bytes) -> tuple[str, esign.SignatureReport | None]:
    """Which stored file `content` is, and, for a file that is neither but carries an electronic
    signature, what validating that signature finds (so a tampered signed copy reads invalid)."""
    digest = hashlib.sha256(content).hexdigest()
    if document.signed_sha256 and digest == document.signed_sha256:
        return CopyMatch.SIGNED, None
    if document.sha256 and digest == document.sha256:
        return CopyMatch.ISSUED, None
    report = esign.validate(content)
    return CopyMatch.DIFFERENT, report if report.signed else None
