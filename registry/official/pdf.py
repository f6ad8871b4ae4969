"""The PDF engine: print templates in, PDF/A-3b bytes out (docs/architecture.md "Documents").

Templates in ``templates/documents/`` render from plain values only (strings, numbers, dates, lists and
dicts of them), never from model objects, so that an issued document can be rendered again from the
snapshot stored with it (conventions.md rule 15). ``render_pdf`` refuses any other value.

WeasyPrint loads stylesheets, fonts and images through ``engine.LocalFetcher``, which serves bundled
static files, files of the media storage and ``data:`` URIs, and refuses everything else without
touching the network or the file system. User text is autoescaped by the templates; the fetcher is the
second wall, should markup ever slip through.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Any, Literal, TypedDict

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData, mark_safe
from PIL import Image, UnidentifiedImageError

from kerjasama.formatting import zone_label

__all__ = [
    "PAPER_SIZES",
    "Letterhead",
    "Paper",
    "ResourceRefused",
    "pdf_response",
    "pemda_letterhead",
    "printable_text",
    "render_pdf",
]

logger = logging.getLogger(__name__)

Paper = Literal["A4", "F4"]

#: Paper sizes in millimetres (width, height), portrait. F4 is the 215 x 330 mm folio used by many
#: Pemda (domain.md §8).
PAPER_SIZES: dict[str, tuple[int, int]] = {"A4": (210, 297), "F4": (215, 330)}

# Characters removed from every string before it reaches a template: bidirectional embeddings,
# overrides and isolates (which reorder what a reader sees, e.g. U+202E turns "txt.exe" around),
# zero-width characters (which hide text or split words invisibly), the byte order mark and the C0/C1
# controls other than tab and newline. None of them has a place in an official document.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)


class Letterhead(TypedDict):
    """The printed values of the Pemda profile, copied so that a document can be rendered again.

    Every value is already in its printed form ("PEMERINTAH KABUPATEN SLEMAN", "BUPATI SLEMAN").
    """

    government: str  # "PEMERINTAH KABUPATEN SLEMAN"
    unit: str  # "SEKRETARIAT DAERAH"
    head_title: str  # "BUPATI SLEMAN"
    head_office: str  # "Bupati" or "Wali Kota", for running text
    regency: str  # "Kabupaten Sleman"
    regency_short: str  # "Sleman"
    province: str  # "PROVINSI DAERAH ISTIMEWA YOGYAKARTA"
    capital: str  # "Sleman", printed after "Ditetapkan di"
    address: str
    postal_code: str
    phone: str
    email: str
    website: str
    logo: str  # a data: URI of the logo, or "" when the profile has none
    emblem: str  # a data: URI of the Garuda Pancasila for a decree heading; "" leaves its space blank
    head_name: str  # as entered, e.g. "Harjono Prawiro"
    head_decree_name: str  # as printed under a decree, e.g. "HARJONO PRAWIRO"
    secretary_name: str
    secretary_nip: str
    decree_invocation: bool  # print "DENGAN RAHMAT TUHAN YANG MAHA ESA" on a Keputusan
    time_zone: str  # "WIB", "WITA" or "WIT"
    time_zone_name: str  # "Asia/Jakarta"


class ResourceRefused(ValueError):
    """The fetcher was asked for something it never serves."""


# Rendering ---------------------------------------------------------------------------------------------


def printable_text(value: str) -> str:
    """``value`` without invisible and direction-changing characters (bidi overrides, zero widths)."""
    return value.translate(_INVISIBLE)


def _plain(value: Any, where: str = "context") -> Any:
    """A copy of a template context holding plain values only, with every string made printable.

    Raises TypeError for anything but str, int, Decimal, bool, None, date, time, and lists, tuples
    and str-keyed dicts of those: a model instance in a print context would make the document depend
    on live data instead of its snapshot.
    """
    if isinstance(value, str):
        cleaned = printable_text(value)
        return mark_safe(cleaned) if isinstance(value, SafeData) else cleaned  # noqa: S308
    if value is None or isinstance(value, bool | int | Decimal | date | time | datetime):
        return value
    if isinstance(value, Mapping):
        plain = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be strings, not {type(key).__name__}")
            plain[key] = _plain(item, f"{where}.{key}")
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{where}: print templates take plain values, not {type(value).__name__}")


def render_pdf(template_name: str, context: Mapping[str, Any], *, paper: Paper = "A4", draft: bool = False) -> bytes:
    """Render ``templates/documents/<template_name>`` to a PDF/A-3b document and return its bytes.

    ``paper`` is "A4" (210 x 297 mm) or "F4" (215 x 330 mm). ``draft`` prints a large diagonal "DRAF"
    across every page. The context must hold plain values only (see ``_plain``); the keys ``paper``,
    ``page_size``, ``page_size_landscape`` and ``draft`` are set here. The stylesheet
    ``static/documents/print.css`` is added to every document; the fonts are the bundled ones it
    declares. Resources load through ``LocalFetcher`` only.

    Raises ValueError for an unknown paper size or a template name with a path in it, TypeError for a
    context holding anything but plain values, and TemplateDoesNotExist for an unknown template.
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, not {paper!r}")
    if "/" in template_name or "\\" in template_name or ".." in template_name:
        raise ValueError(f"not a document template name: {template_name!r}")
    width, height = PAPER_SIZES[paper]
    plain = _plain(dict(context))
    plain.update(
        paper=paper,
        page_size=f"{width}mm {height}mm",
        page_size_landscape=f"{height}mm {width}mm",
        draft=draft,
    )
    html = render_to_string(f"documents/{template_name}", plain)
    # WeasyPrint is loaded on the first render only: a web worker that never renders a document
    # does not carry it (about 50 MB resident).
    from .engine import write_pdf

    return write_pdf(html)


def pdf_response(filename: str, content: bytes, *, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying a PDF, shown in the browser (``inline``) or downloaded.

    The file name may hold any character: Django's ``content_disposition_header`` writes an ASCII
    fallback and an RFC 5987 ``filename*`` for the rest. Path separators and control characters are
    replaced first so that the name cannot point anywhere.
    """
    safe_name = printable_text(filename).replace("/", "-").replace("\\", "-").strip() or "dokumen.pdf"
    if not safe_name.lower().endswith(".pdf"):
        safe_name += ".pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, safe_name)
    response["Content-Length"] = str(len(content))
    # A document is personal data of an office: never cached by a shared proxy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Letterhead --------------------------------------------------------------------------------------------

LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_LOGO_BYTES = 2 * 1024 * 1024


def _logo_data_uri(profile: Any, field: str = "logo") -> str:
    """The Pemda logo as a data: URI, or "" when there is none or it is not a usable image.

    Embedded as data so that a snapshot keeps the logo printed on the day even if the file changes.
    """
    logo = getattr(profile, field, None)
    if not logo or not logo.name:
        return ""
    try:
        with logo.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError:
        logger.warning("Pemda logo %r cannot be read; letterhead printed without it", logo.name)
        return ""
    if len(data) > MAX_LOGO_BYTES:
        logger.warning("Pemda logo %r is larger than %d bytes; printed without it", logo.name, MAX_LOGO_BYTES)
        return ""
    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
    except (UnidentifiedImageError, OSError):
        logger.warning("Pemda logo %r is not an image; printed without it", logo.name)
        return ""
    if image_format not in LOGO_FORMATS:
        logger.warning("Pemda logo %r is %s, not PNG/JPEG/GIF/WebP", logo.name, image_format)
        return ""
    return f"data:{LOGO_FORMATS[image_format]};base64,{base64.b64encode(data).decode('ascii')}"


def head_office(profile: Any) -> str:
    """The kepala daerah's office as the profile names it ("Bupati", "Wali Kota")."""
    return " ".join(profile.head_title.split()) or "Bupati"


def head_title(profile: Any) -> str:
    """The kepala daerah's office and regency as headings and signatures print them: "BUPATI SLEMAN"."""
    return f"{head_office(profile)} {profile.regency.short_name}".upper()


def pemda_letterhead(profile: Any, *, unit: str = "Sekretariat Daerah") -> Letterhead:
    """Copy the printed values of a ``registry.PemdaProfile`` into a plain ``Letterhead``.

    ``unit`` is the organisational unit under the government name in the kop ("SEKRETARIAT DAERAH").
    The time zone is the installation's ``TIME_ZONE`` (WIB, WITA or WIT). The result holds strings
    and one boolean only, ready to be stored as a JSON snapshot.
    """
    regency = profile.regency
    return Letterhead(
        government=f"PEMERINTAH {regency.name}".upper(),
        unit=unit.upper(),
        head_title=head_title(profile),
        head_office=head_office(profile),
        regency=regency.name,
        regency_short=regency.short_name,
        province=f"PROVINSI {regency.province.name}".upper(),
        capital=profile.capital,
        address=profile.address,
        postal_code=profile.postal_code,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=_logo_data_uri(profile),
        # No emblem is bundled: the Admin uploads the Garuda Pancasila in the Pemda profile.
        emblem=_logo_data_uri(profile, "garuda_emblem"),
        head_name=profile.head_name,
        head_decree_name=getattr(profile, "head_decree_name", "") or profile.head_name.upper(),
        secretary_name=profile.secretary_name,
        secretary_nip=profile.secretary_nip,
        decree_invocation=bool(profile.decree_invocation),
        time_zone=zone_label(settings.TIME_ZONE),
        time_zone_name=settings.TIME_ZONE,
    )
