"""No setting in settings.py stays unread: each of the project's own settings is read somewhere in
the code (Django's and the libraries' settings are read by them)."""

import re
from pathlib import Path

from django.conf import global_settings

ROOT = Path(__file__).resolve().parents[2]
# Read by the libraries that own these prefixes (their documented settings).
LIBRARY_PREFIXES = (
    "CELERY_",
    "AXES_",
    "CRISPY_",
    "WHITENOISE_",
    "RATELIMIT_",
    "FILTERS_",
    "SESSION_",
    "CSRF_",
    "SECURE_",
)
# Django reads these though global_settings does not name them.
DJANGO_SETTINGS = {"ROOT_URLCONF", "MAILERS"}


def project_settings() -> list[str]:
    text = (ROOT / "kerjasama" / "settings.py").read_text()
    return sorted(set(re.findall(r"^([A-Z][A-Z0-9_]+)\s*=", text, re.M)))


def project_code() -> str:
    parts = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or ".venv" in path.parts or "tests" in path.parts:
            continue
        if path.name == "settings.py" or "migrations" in path.parts:
            continue
        parts.append(path.read_text(errors="ignore"))
    return "\n".join(parts)


def used_within_settings(name: str) -> bool:
    """Read by settings.py itself to build another setting (BASE_DIR, BROKER_TIMEOUT_SECONDS)."""
    text = (ROOT / "kerjasama" / "settings.py").read_text()
    return len(re.findall(rf"\b{name}\b", text)) > 1


def test_every_project_setting_is_read_somewhere():
    code = project_code()
    unread = [
        name
        for name in project_settings()
        if not hasattr(global_settings, name)
        and name not in DJANGO_SETTINGS
        and not name.startswith(LIBRARY_PREFIXES)
        and not used_within_settings(name)
        and not re.search(rf"\b{name}\b", code)
    ]
    assert unread == []


def test_the_domain_settings_are_among_them():
    names = project_settings()
    for name in ("EVALUATIONS_PER_YEAR", "KSD_MAX_TERM_YEARS", "DPRD_RECEIPT_REMINDER_WORKDAYS", "JOB_LEASE_SECONDS"):
        assert name in names
