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


@register()
def evaluations_fit_the_year(app_configs, **kwargs):
    """EVALUATIONS_PER_YEAR cuts the year into parts of whole months (monitoring/opd_evaluations.py)."""
    if 12 % settings.EVALUATIONS_PER_YEAR == 0 and settings.EVALUATIONS_PER_YEAR > 0:
        return []
    return [
        Error(
            f"EVALUATIONS_PER_YEAR is {settings.EVALUATIONS_PER_YEAR}; it must divide twelve (1, 2, 3, 4, 6 or 12).",
            id="kerjasama.E002",
        )
    ]
