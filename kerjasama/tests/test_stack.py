"""The production stack's files agree with the app: limits, health path, migrations, media."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_migrations_run_once_before_web_worker_and_beat():
    services = compose()["services"]
    assert "migrate" in services[("migrate")]["command"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in str(services[name]["command"])


def test_web_has_a_healthcheck_on_the_internal_path_and_the_proxy_waits_for_it():
    services = compose()["services"]
    assert settings.HEALTHCHECK_PATH in " ".join(services["web"]["healthcheck"]["test"])
    assert services["caddy"]["depends_on"]["web"] == {"condition": "service_healthy"}
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert f"respond /{settings.HEALTHCHECK_PATH.strip('/').split('/')[0]}/* 404" in caddyfile


def test_the_proxy_limit_is_the_apps_limit():
    services = compose()["services"]
    default = re.search(r"\$\{REQUEST_MAX_BYTES:-(\d+)\}", services["caddy"]["environment"]["REQUEST_MAX_BYTES"])
    assert int(default.group(1)) == settings.REQUEST_MAX_BYTES
    assert services["web"]["environment"]["REQUEST_MAX_BYTES"] == services["caddy"]["environment"]["REQUEST_MAX_BYTES"]
    assert "max_size {$REQUEST_MAX_BYTES}" in (ROOT / "Caddyfile").read_text()


def test_the_database_password_is_never_pasted_into_a_url():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "DATABASE_URL" not in text
    environment = compose()["services"]["web"]["environment"]
    assert environment["POSTGRES_HOST"] == "db"


def test_media_backups_and_open_data_belong_to_the_apps_user_in_the_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "install -d -o kerjasama -g kerjasama /app/media /app/backups /app/open-data" in dockerfile
    assert dockerfile.index("install -d -o kerjasama") < dockerfile.index("USER kerjasama")
    services = compose()["services"]
    assert "media:/app/media" in services["web"]["volumes"]
    # The worker writes the open data files that web serves: one directory for both.
    for name in ("web", "worker"):
        assert "open-data:/app/open-data" in services[name]["volumes"]
        assert services[name]["environment"]["OPEN_DATA_DIR"] == "/app/open-data"


def test_the_image_has_the_libraries_weasyprint_and_backups_need():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "postgresql-client-16"):
        assert package in dockerfile
