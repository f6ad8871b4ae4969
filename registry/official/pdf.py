"""The PDF engine: print templates in, PDF/A-3b bytes out (docs/architecture.md "Documents").

Templates in ``templates/documents/`` render from plain values only (strings, numbers, dates, lists and
dicts of them), never from model objects, so that an issued document can be rendered again from the
snapshot stored with it (conventions.md rule 15). ``render_pdf`` refuses any other value.

WeasyPrint loads stylesheets, fonts and images through ``LocalFetcher``, which serves bundled static
files (``static:`` URLs), files of the media storage (``media:`` URLs) and ``data:`` URIs, and refuses
everything else without touching the network or the file system. User text is autoescaped by the
templates; the fetcher is the second wall, should markup ever slip through.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import threading
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypedDict
from urllib import request
from urllib.parse import unquote, unquote_to_bytes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData, mark_safe
from PIL import Image, UnidentifiedImageError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kerjasama.formatting import zone_label
from kerjasama.media_storage import STORAGE_ERRORS

__all__ = [
    "PAPER_SIZES",
    "Letterhead",
    "LocalFetcher",
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

# The PDF variant of every document: archival, with embedded fonts and XMP metadata.
PDF_VARIANT = "pdf/a-3b"

# Largest file the fetcher serves. Fonts are under 0.5 MB and a logo far less; anything bigger is a
# mistake or an attack on memory.
MAX_RESOURCE_BYTES = 8 * 1024 * 1024

# Media files are only ever the Pemda logo (an ImageField), so only raster image types are served.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})

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


class LocalFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves local resources only.

    - ``static:fonts/x.otf`` → the file Django's staticfiles finders find (``static/fonts/x.otf``),
    - ``media:pemda/logo.png`` → a raster image of the media storage (under ``MEDIA_ROOT``, or in
      object storage),
    - ``data:…`` → the decoded payload.

    Anything else (http, https, ftp, file, relative references, ``..`` segments, absolute or
    backslashed paths, encoded traversal) raises ``ResourceRefused`` before any network or file
    system access; WeasyPrint then logs the failure and renders without the resource.
    """

    SCHEMES = ("static", "media", "data")

    def __init__(self) -> None:
        # URLFetcher.__init__ is skipped on purpose: it installs urllib's HTTP, FTP and file handlers
        # (and builds an SSL context, a costly step on every render). With a bare OpenerDirector no
        # handler exists that could reach a network or a file, even if `open` were ever called.
        request.OpenerDirector.__init__(self)
        # Read by weasyprint.urls.fetch: a refused resource is logged and skipped, not fatal.
        self._fail_on_errors = False
        self._allowed_protocols = self.SCHEMES

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` or raise ``ResourceRefused``."""
        scheme, colon, rest = url.partition(":")
        scheme = scheme.lower()
        if not colon or scheme not in self.SCHEMES:
            raise self._refuse(url, "scheme not allowed")
        if scheme == "data":
            body, content_type = _decode_data_uri(url, rest)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        relative = self._relative_path(url, rest)
        if scheme == "static":
            body = self._read_local(url, self._static_file(url, relative))
        else:
            body = self._media_bytes(url, relative)
        content_type = mimetypes.guess_type(relative.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _read_local(self, url: str, path: Path) -> bytes:
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise self._refuse(url, "file too large")
        return path.read_bytes()

    def _refuse(self, url: str, reason: str) -> ResourceRefused:
        # Logged because a refusal in a rendered document means a template bug or hostile input.
        logger.warning("PDF resource refused (%s): %.200r", reason, url)
        return ResourceRefused(f"{reason}: {url[:200]}")

    def _relative_path(self, url: str, rest: str) -> PurePosixPath:
        """The path after the scheme, checked to stay inside its root."""
        if "?" in rest or "#" in rest:
            raise self._refuse(url, "query or fragment")
        raw = unquote(rest)
        if not raw or raw.startswith("/") or "\\" in raw or "\x00" in raw or ":" in raw:
            raise self._refuse(url, "not a plain relative path")
        parts = raw.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise self._refuse(url, "path traversal")
        return PurePosixPath(raw)

    def _static_file(self, url: str, relative: PurePosixPath) -> Path:
        found = finders.find(str(relative))
        if not found:
            raise self._refuse(url, "no such static file")
        path = Path(found).resolve()
        if not path.is_file():
            raise self._refuse(url, "not a file")
        return path

    def _media_bytes(self, url: str, relative: PurePosixPath) -> bytes:
        """A media file's bytes: under MEDIA_ROOT on disk, or read through the media storage
        (object storage, MEDIA_STORAGE_URL), which has no local path."""
        if relative.suffix.lower() not in MEDIA_SUFFIXES:
            raise self._refuse(url, "media type not served")
        if isinstance(default_storage, FileSystemStorage):
            root = Path(settings.MEDIA_ROOT).resolve()
            path = (root / relative).resolve()
            # resolve() follows symbolic links: a link pointing out of MEDIA_ROOT is refused here.
            if not path.is_relative_to(root) or not path.is_file():
                raise self._refuse(url, "no such media file")
            return self._read_local(url, path)
        try:
            with default_storage.open(str(relative), "rb") as stored:
                body = stored.read(MAX_RESOURCE_BYTES + 1)
        except FileNotFoundError:
            raise self._refuse(url, "no such media file") from None
        except STORAGE_ERRORS:
            logger.exception("PDF resource unreadable: %.200r", url)
            raise self._refuse(url, "media file unreadable") from None
        if len(body) > MAX_RESOURCE_BYTES:
            raise self._refuse(url, "file too large")
        return body


def _decode_data_uri(url: str, rest: str) -> tuple[bytes, str]:
    """Decode the part of a data: URI after "data:" (RFC 2397)."""
    header, comma, payload = rest.partition(",")
    if not comma:
        raise ResourceRefused(f"malformed data URI: {url[:60]}")
    params = header.split(";")
    is_base64 = params[-1].strip().lower() == "base64"
    if is_base64:
        params = params[:-1]
    content_type = params[0].strip().lower() or "text/plain"
    try:
        body = base64.b64decode(unquote(payload), validate=False) if is_base64 else unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as error:
        raise ResourceRefused(f"malformed data URI: {url[:60]}") from error
    if len(body) > MAX_RESOURCE_BYTES:
        raise ResourceRefused("data URI too large")
    return body, content_type


# Rendering ---------------------------------------------------------------------------------------------

#: The print stylesheet of every document, a static file loaded through ``LocalFetcher``.
STYLESHEET = "documents/print.css"

# One font configuration and one parsed print stylesheet per thread. WeasyPrint registers the
# @font-face fonts in the configuration when it parses the stylesheet, so reusing both saves
# reading the fonts, re-registering them with Fontconfig and parsing the CSS on every render (a
# third of the time of a three-page document). They are not shared across threads because
# Fontconfig objects are not thread-safe.
_thread_state = threading.local()


def _font_config() -> FontConfiguration:
    config = getattr(_thread_state, "font_config", None)
    if config is None:
        config = _thread_state.font_config = FontConfiguration()
    return config


def _stylesheet(font_config: FontConfiguration) -> CSS:
    """The parsed print stylesheet, parsed again only when the file changes (an edit in development)."""
    found = finders.find(STYLESHEET)
    if not found:
        raise ImproperlyConfigured(f"the print stylesheet static/{STYLESHEET} is missing")
    version = Path(found).stat().st_mtime_ns
    cached = getattr(_thread_state, "stylesheet", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    stylesheet = CSS(url=f"static:{STYLESHEET}", url_fetcher=LocalFetcher(), font_config=font_config)
    _thread_state.stylesheet = (version, stylesheet)
    return stylesheet


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
    font_config = _font_config()
    document = HTML(string=html, base_url=None, url_fetcher=LocalFetcher())
    return document.write_pdf(stylesheets=[_stylesheet(font_config)], pdf_variant=PDF_VARIANT, font_config=font_config)


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
