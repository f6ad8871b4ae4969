"""Electronic signatures (tanda tangan elektronik, TTE) on issued PDFs: PAdES with pyHanko.

Signing goes through a backend chosen by `settings.SIGNING_BACKEND`, so that a remote signing
service (a BSrE API client) can take the place of the local certificate without touching its
callers. The local backend signs with a PKCS#12 file per signatory office, configured from the
environment (`settings.SIGNING_CERTIFICATES`): the key and its passphrase are never stored in the
database or the repository.

A signature is added as an incremental update: the signed file begins with the exact bytes of
the issued one, so it stays PDF/A-3b (its XMP claims and embedded fonts are untouched, and the
visible signature block uses an embedded font too) and anyone can check that it signs the issued
document. Validation (`validate`) reports the signer, the signing time, the integrity, the trust
in the certificate against `settings.SIGNING_TRUST_ROOTS`, and whether the signature covers the
whole file.
"""

import datetime as dt
import io
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from kerjasama.formatting import zone_label

logger = logging.getLogger(__name__)

FIELD_NAME = "TandaTanganElektronik"
# The font of the visible signature block: the documents' own serif, embedded (PDF/A).
STAMP_FONT = "fonts/tex-gyre-bonum/texgyrebonum-regular.otf"


class SigningError(Exception):
    """Signing could not be done; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class SignatureRequest:
    office: str  # registry.models.Office value
    signer_name: str
    reason: str
    location: str
    # Where to draw the visible block: page index and (x1, y1, x2, y2) in PDF points.
    page: int = -1
    box: tuple[float, float, float, float] = (340, 120, 560, 190)


@dataclass(frozen=True)
class SignatureReport:
    """What validation found about the (last) signature of a PDF."""

    signed: bool
    signer: str = ""
    signing_time: str = ""  # ISO 8601, as the signer reported it
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature checks out
    trusted: bool = False  # the certificate chains to a configured root and was valid then
    whole_file: bool = False  # nothing was added after the signature
    error: str = ""

    @property
    def sound(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "SignatureReport | None":
        if not data:
            return None
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})

    @property
    def signed_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.signing_time) if self.signing_time else None


class SigningBackend:
    """Signs an issued PDF for an office. Subclasses implement `available` and `sign`."""

    def available(self, office: str) -> bool:
        raise NotImplementedError

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        """The signed PDF (an incremental update of `pdf`). Raises SigningError."""
        raise NotImplementedError


class LocalCertificateBackend(SigningBackend):
    """Signs with the office's PKCS#12 file (`settings.SIGNING_CERTIFICATES[office]`)."""

    def _config(self, office: str) -> dict:
        return settings.SIGNING_CERTIFICATES.get(office) or {}

    def available(self, office: str) -> bool:
        return bool(self._config(office).get("pkcs12"))

    def _signer(self, office: str):
        from pyhanko.sign import signers

        config = self._config(office)
        if not config.get("pkcs12"):
            raise SigningError(_("No signing certificate is configured for this office."))
        try:
            data = Path(config["pkcs12"]).read_bytes()
        except OSError as error:
            logger.error("The signing certificate of %s cannot be read: %s", office, error)
            raise SigningError(_("The signing certificate of this office cannot be read.")) from error
        passphrase = (config.get("passphrase") or "").encode() or None
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
        if signer is None:
            raise SigningError(_("The signing certificate of this office cannot be opened with its passphrase."))
        return signer

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from pyhanko import stamp
        from pyhanko.pdf_utils import text
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = self._signer(request.office)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        page = request.page if request.page >= 0 else int(writer.root["/Pages"]["/Count"]) - 1
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=request.reason,
            location=request.location,
            name=request.signer_name,
        )
        # The time in the Pemda's zone (WIB, WITA, WIT), whatever the server's own zone.
        now = timezone.localtime()
        when = f"{now:%d-%m-%Y %H.%M} {zone_label(settings.TIME_ZONE, now)}"
        style = stamp.TextStampStyle(
            stamp_text="Ditandatangani secara elektronik oleh\n%(signer)s\n%(when)s",
            border_width=0,
            text_box_style=text.TextBoxStyle(font=GlyphAccumulatorFactory(finders.find(STAMP_FONT), font_size=9)),
        )
        pdf_signer = signers.PdfSigner(
            metadata,
            signer=signer,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, box=request.box, on_page=page),
        )
        try:
            return pdf_signer.sign_pdf(
                writer, appearance_text_params={"signer": request.signer_name, "when": when}
            ).getvalue()
        except Exception as error:  # pyHanko raises many kinds; none may become a 500
            logger.exception("Signing failed for %s", request.office)
            raise SigningError(_("The document could not be signed: %(error)s") % {"error": error}) from error


def backend() -> SigningBackend:
    return import_string(settings.SIGNING_BACKEND)()


def trust_roots() -> list:
    """The certificates signatures must chain to (PEM or DER files named in the settings)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for path in settings.SIGNING_TRUST_ROOTS:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots.extend(asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def validate(pdf: bytes, *, moment: dt.datetime | None = None) -> SignatureReport:
    """Validate the last signature of `pdf` against the configured trust roots (no network).

    `moment` is when the certificate must have been valid (the signing time by default).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # a damaged file is reported, never raised
        return SignatureReport(signed=False, error=str(error)[:300])
    if not signatures:
        return SignatureReport(signed=False)
    signature = signatures[-1]
    try:
        context = ValidationContext(
            trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail", moment=moment
        )
        status = validate_pdf_signature(signature, context)
    except Exception as error:
        logger.info("Signature validation failed: %s", error)
        return SignatureReport(signed=True, error=str(error)[:300])
    signer = status.signing_cert.subject.native.get("common_name", "") or status.signing_cert.subject.human_friendly
    signed_at = status.signer_reported_dt
    return SignatureReport(
        signed=True,
        signer=signer,
        signing_time=signed_at.isoformat() if signed_at else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
