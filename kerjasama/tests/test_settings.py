"""Settings are read from the environment; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "$uper-long-random-production-key-with-$-signs-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "kerjasama.example.go.id",
    "DATABASE_URL": "sqlite:////tmp/kerjasama-check-deploy.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://kerjasama.example.go.id",
    "EMAIL_URL": "smtp+tls://kerjasama%40example.go.id:secret@mail.example.go.id:587",
}


def clean_env(env: dict[str, str]) -> dict[str, str]:
    """Only what a fresh production shell would have: none of the test runner's knobs."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return {**base, **env, "DJANGO_SETTINGS_MODULE": "kerjasama.settings"}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_secret_key_with_dollar_signs_is_taken_verbatim():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION_ENV["SECRET_KEY"]


def test_debug_runs_without_secret_key_on_the_embedded_defaults():
    result = run_python(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.MAILERS['default']['BACKEND'], settings.TIME_ZONE, settings.LANGUAGE_CODE)",
        {"DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "Asia/Jakarta",
        "id",
    ]


def test_time_zone_and_broker_come_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.TIME_ZONE, settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
        {**PRODUCTION_ENV, "TIME_ZONE": "Asia/Makassar", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Asia/Makassar", "False", "True"]


def test_check_deploy_prints_no_warning_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_web_worker_loads_no_pdf_or_spreadsheet_library_until_it_needs_one():
    """WeasyPrint and openpyxl (about 70 MB resident together) load on the first document or
    spreadsheet: a worker serving pages, with every URL and view imported, carries neither."""
    result = run_python(
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "from kerjasama import wsgi;"
        "print(sorted(m for m in ('weasyprint', 'openpyxl') if m in sys.modules))",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
