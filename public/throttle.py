"""Rate limits for anonymous requests to the public register (django-ratelimit), per address."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def rate_limited(view):
    """Answer 429 (in Indonesian, with Retry-After) once an address has made more than
    PUBLIC_RATE_LIMIT requests to the public pages; logged-in users are not limited."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and is_ratelimited(
            request, group="public", key="ip", rate=settings.PUBLIC_RATE_LIMIT, increment=True
        ):
            response = render(request, "public/429.html", status=429)
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        return view(request, *args, **kwargs)

    return wrapped
