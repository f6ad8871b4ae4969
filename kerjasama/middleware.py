from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.utils import translation
from django.utils.translation import check_for_language


class LanguageMiddleware:
    """Indonesian for everyone unless the user picked another language.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: staff
    machines often run an English browser, and the app is an Indonesian government system.
    The choice made with the switcher (django.views.i18n.set_language) sits in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) and check_for_language(chosen) else None
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over REQUEST_MAX_BYTES before reading a byte of it.

    Django would otherwise read a multipart body to its end before any form said it was too
    large: an anonymous 300 MB POST to the login page would be received whole. The proxy (Caddy's
    request_body max_size) refuses the same bodies first; this answers when there is no proxy, and
    a body sent without Content-Length is cut by Django's own limits as it is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request):
        from django.shortcuts import render

        with translation.override(settings.LANGUAGE_CODE):
            response = render(
                request,
                "413.html",
                {"limit": settings.REQUEST_MAX_BYTES, "upload_limit": settings.UPLOAD_MAX_BYTES},
                status=413,
            )
        response["Cache-Control"] = "no-store"
        return response


class PrivateDownloadsMiddleware:
    """Every download and export answers `Cache-Control: private, no-store`: a PDF, a spreadsheet or
    a calendar of the back office must stay out of shared caches and the browser's disk. Responses
    that say they are public (the public register's open data) keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_download(response) and "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


def _is_download(response) -> bool:
    if response.has_header("Content-Disposition") or getattr(response, "streaming", False):
        return True
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return bool(content_type) and content_type not in ("text/html", "application/json", "text/plain")


class QueryCountMiddleware:
    """For `make bench` only (BENCHMARK_VIEWS): the number of SQL queries a request ran, in the
    X-Query-Count header, counted on every database connection."""

    HEADER = "X-Query-Count"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[self.HEADER] = str(count)
        return response
