"""The client's address, the same for the login lock-out and every rate limit."""

from django.conf import settings


def client_address(request) -> str:
    """Behind the TLS proxy (BEHIND_PROXY), the right-most address of X-Forwarded-For: the one our
    proxy appended. Every address left of it was sent by the client and may be forged. With one
    proxy such as Caddy, which replaces a client's own header, the header holds just that address.
    Without the proxy, the address of the connection."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - an address to count, not to bind
