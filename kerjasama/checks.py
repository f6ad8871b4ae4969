"""System checks of the deployment (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_the_public_https_address(app_configs, **kwargs):
    """SITE_URL is printed in the QR code of every issued document, whose bytes never change
    afterwards: a wrong value would be permanent. In production it must be set, https, and one
    of the ALLOWED_HOSTS."""
    if settings.DEBUG:
        return []
    url = settings.SITE_URL
    parts = urlsplit(url)
    if not url:
        problem = "SITE_URL is not set."
    elif parts.scheme != "https" or not parts.hostname:
        problem = f"SITE_URL ({url}) must be an https:// address."
    elif not _allowed(parts.hostname):
        problem = f"The host of SITE_URL ({parts.hostname}) is not among ALLOWED_HOSTS."
    else:
        return []
    return [
        Error(
            problem,
            hint="Set SITE_URL to the address people reach the app at, e.g. https://kerjasama.slemankab.go.id: "
            "it is printed in the QR code of every issued document.",
            id="kerjasama.E001",
        )
    ]


def _allowed(host: str) -> bool:
    for pattern in settings.ALLOWED_HOSTS:
        if (
            pattern == "*"
            or pattern == host
            or (pattern.startswith(".") and (host.endswith(pattern) or host == pattern[1:]))
        ):
            return True
    return False
