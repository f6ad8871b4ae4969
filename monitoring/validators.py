"""Evidence attached to a report: a PDF or a photo, recognised by its content, never its name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from registry.validators import starts_like_pdf, validate_pdf_upload, validate_upload_size

# Pillow's format name → the content type the file is stored and served with.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Larger pictures are refused rather than decoded (decompression bombs).
MAX_IMAGE_PIXELS = 50_000_000


def evidence_content_type(upload) -> str:
    """Check an uploaded piece of evidence and return its content type.

    A PDF goes through the registry's PDF check (readable, not encrypted, has pages); an image
    must open and verify as JPEG, PNG or WebP. Anything else, whatever its name or the type
    the browser claims, raises ValidationError.
    """
    validate_upload_size(upload)
    if starts_like_pdf(upload):
        validate_pdf_upload(upload)
        return "application/pdf"
    return _image_type(upload)


def _image_type(upload) -> str:
    refused = ValidationError(_("Only PDF files and photos (JPEG, PNG, WebP) are accepted."), code="not_evidence")
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in IMAGE_TYPES:
                raise refused
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The picture is too large; reduce its resolution."), code="too_many_pixels")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise refused from error
    finally:
        upload.seek(0)
    return IMAGE_TYPES[image_format]
