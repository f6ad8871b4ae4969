"""WeasyPrint's side of the PDF engine (``registry.official.pdf``): the URL fetcher, the fonts and
the print stylesheet, and the call that writes the PDF. Imported on the first render only, so that
a process which never renders a document does not load WeasyPrint.

WeasyPrint loads stylesheets, fonts and images through ``LocalFetcher``, which serves bundled static
files (``static:`` URLs), files of the media storage (``media:`` URLs) and ``data:`` URIs, and refuses
everything else without touching the network or the file system.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import gc
import logging
import mimetypes
import threading
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from urllib import request
from urllib.parse import unquote, unquote_to_bytes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kerjasama.media_storage import STORAGE_ERRORS

from .pdf import ResourceRefused

logger = logging.getLogger(__name__)

# The PDF variant of every document: archival, with embedded fonts and XMP metadata.
PDF_VARIANT = "pdf/a-3b"

# Largest file the fetcher serves. Fonts are under 0.5 MB and a logo far less; anything bigger is a
# mistake or an attack on memory.
MAX_RESOURCE_BYTES = 8 * 1024 * 1024

# Media files are only ever the Pemda logo (an ImageField), so only raster image types are served.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


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


#: The print stylesheet of every document, a static file loaded through ``LocalFetcher``.
STYLESHEET = "documents/print.css"

# One font configuration and one parsed print stylesheet per thread. WeasyPrint registers the
# @font-face fonts in the configuration when it parses the stylesheet, so reusing both saves
# reading the fonts, re-registering them with Fontconfig and parsing the CSS on every render (a
# third of the time of a three-page document). They are not shared across threads because
# Fontconfig objects are not thread-safe.
_thread_state = threading.local()


@atexit.register
def _release_main_thread_state() -> None:
    """Free the main thread's fonts and stylesheet while Pango and Fontconfig are still loaded.

    Left to the interpreter's last clean-up, they would be released after the libraries they
    point into have been unloaded, and the process would crash on its way out.
    """
    _thread_state.__dict__.clear()
    gc.collect()


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


def write_pdf(html: str) -> bytes:
    """The PDF/A-3b bytes of a rendered print template, with the print stylesheet and bundled fonts."""
    font_config = _font_config()
    document = HTML(string=html, base_url=None, url_fetcher=LocalFetcher())
    return document.write_pdf(stylesheets=[_stylesheet(font_config)], pdf_variant=PDF_VARIANT, font_config=font_config)
