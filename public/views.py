"""The public register at /publik/: no login, Indonesian, cached, rate-limited per address.

It shows only what registry/publication.py lets the public see, and links only to its own
pages and files, never into the logged-in app.
"""

from functools import wraps

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page

from registry.models import Kind, PemdaProfile
from registry.pagination import page_of

from . import opendata, selectors
from .forms import PublicSearchForm
from .throttle import rate_limited


def public(view):
    """Indonesian whatever the visitor's language cookie, cached for everyone alike
    (PUBLIC_CACHE_SECONDS, in the shared cache and in browsers), rate-limited per address."""
    cached = cache_page(settings.PUBLIC_CACHE_SECONDS, key_prefix="publik")(view)

    @wraps(view)
    def indonesian(request, *args, **kwargs):
        # Before the cache: its key carries the request's language.
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        with translation.override(settings.LANGUAGE_CODE):
            response = cached(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return rate_limited(indonesian)


def _pemda():
    return PemdaProfile.current()


@public
def agreement_list(request):
    form = PublicSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = page_of(selectors.public_list(data), data.get("page"), per_page=25)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/agreement_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "kinds": dict(Kind.choices), "pemda": _pemda()},
    )


@public
def agreement_detail(request, register_number):
    agreement = selectors.get_public_agreement(register_number)
    return render(
        request,
        "public/agreement_detail.html",
        {"agreement": agreement, "documents": selectors.documents_of(agreement), "pemda": _pemda()},
    )


@public
def document(request, pk):
    document = selectors.get_public_document(pk)
    try:
        stored = document.file.open("rb")
    except OSError:
        raise Http404 from None
    name = f"{document.agreement.register_number}-{document.doc_type}-v{document.version}.pdf"
    return FileResponse(stored, filename=name, content_type="application/pdf")


@public
def open_data(request):
    return render(request, "public/open_data.html", {"pemda": _pemda(), "fields": opendata.FIELDS})


@public
def data_csv(request):
    # Streamed from its file (public/opendata.py), which is the cache: a streamed response is not
    # copied into the page cache.
    return FileResponse(
        opendata.open_published("csv"),
        filename="kerja-sama.csv",
        content_type="text/csv; charset=utf-8",
    )


@public
def data_json(request):
    return FileResponse(
        opendata.open_published("json"),
        filename="kerja-sama.json",
        content_type="application/json; charset=utf-8",
    )


@public
def datapackage(request):
    import json

    return HttpResponse(
        json.dumps(opendata.datapackage(), ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
