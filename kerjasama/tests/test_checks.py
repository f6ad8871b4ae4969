"""`check --deploy` refuses a production environment whose SITE_URL would print wrong QR codes."""

import pytest

from kerjasama.tests.test_settings import PRODUCTION_ENV, run_python

CHECK = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='ERROR')"
)


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        (None, "SITE_URL is not set"),
        ("http://kerjasama.example.go.id", "must be an https:// address"),
        ("https://kerjasama.lain.go.id", "is not among ALLOWED_HOSTS"),
    ],
)
def test_check_deploy_fails_on_a_missing_plain_or_foreign_site_url(site_url, problem):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = run_python(CHECK, env)
    assert result.returncode != 0
    assert "kerjasama.E001" in result.stderr and problem in result.stderr


def test_check_deploy_accepts_the_public_https_address():
    result = run_python(CHECK, PRODUCTION_ENV)
    assert "kerjasama.E001" not in result.stderr, result.stderr
