"""Checks on uploaded files: PDF by content, not by name; size limits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError


def validate_upload_size(upload) -> None:
    """Refuse an empty file and one over UPLOAD_MAX_BYTES."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


def starts_like_pdf(upload) -> bool:
    """Whether the file's first bytes are a PDF header (a byte-order mark or blank lines allowed)."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-")


def validate_pdf_upload(upload) -> None:
    """Refuse anything that is not a readable PDF within the size limit.

    The name and the browser's content type are ignored: a renamed .exe or an HTML page
    is caught by its first bytes, a damaged or password-protected PDF by parsing it.
    """
    validate_upload_size(upload)
    if not starts_like_pdf(upload):
        raise ValidationError(_("Only PDF files are accepted, and this file is not a PDF."), code="not_pdf")
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is protected by a password; upload it without the password."), code="encrypted"
            )
        if len(reader.pages) == 0:
            raise ValidationError(_("The PDF has no pages."), code="no_pages")
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ) as error:
        raise ValidationError(_("The PDF is damaged and cannot be read."), code="damaged") from error
    finally:
        upload.seek(0)
