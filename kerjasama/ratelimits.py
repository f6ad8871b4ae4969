"""Rate limits per client address (django-ratelimit, counters in the shared cache)."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage, is_ratelimited


def over_limit(request, *, group: str, rate: str, increment: bool = True) -> bool:
    """Whether the client's address (kerjasama.addresses.client_address) went over `rate` in
    `group`; with increment, this request counts."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=increment)


def used_up(request, *, group: str, rate: str) -> bool:
    """Whether the address already spent all of `rate` in `group` (this request not counted)."""
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def too_many_requests(request, template: str = "public/429.html", context=None):
    """429 in Indonesian, never cached, with the minute to wait."""
    response = render(request, template, context or {}, status=429)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def verification_limited(request) -> bool:
    """A code looked up or a copy uploaded to /verifikasi/ counts against VERIFY_RATE_LIMIT:
    guessing codes or hashing uploads one after another is stopped per address."""
    return over_limit(request, group="verify", rate=settings.VERIFY_RATE_LIMIT)
