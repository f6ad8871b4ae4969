"""Operations: database settings with real passwords, the body limit, private downloads, health,
logging."""

import io
import json
import logging
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from kerjasama.tests.test_settings import PRODUCTION_ENV, run_python

HOSTILE_PASSWORD = "a/b@c:d#e+f=g$h%i?j k"

PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings;"
    "d = settings.DATABASES['default'];"
    "print(json.dumps({k: d[k] for k in ('ENGINE', 'HOST', 'PORT', 'NAME', 'USER', 'PASSWORD')}))"
)


def test_a_password_with_url_characters_works_as_separate_variables():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DATABASE_URL"}
    env |= {
        "POSTGRES_HOST": "db",
        "POSTGRES_DB": "kerjasama",
        "POSTGRES_USER": "kerjasama",
        "POSTGRES_PASSWORD": HOSTILE_PASSWORD,
    }
    result = run_python(PRINT_DATABASE, env)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "PORT": 5432,
        "NAME": "kerjasama",
        "USER": "kerjasama",
        "PASSWORD": HOSTILE_PASSWORD,
    }


def test_an_openssl_base64_password_percent_encoded_in_database_url_works():
    password = "q8/Zk+Xy@1:#Uw9r+/T0bcvQ=="
    env = PRODUCTION_ENV | {"DATABASE_URL": f"postgres://kerjasama:{quote(password, safe='')}@db:5432/kerjasama"}
    result = run_python(PRINT_DATABASE, env)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["PASSWORD"] == password
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db", "kerjasama", "kerjasama")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_separate_variables_connect_to_postgresql_with_that_password(settings):
    """With PostgreSQL at hand (CI), a role whose password holds every troublesome character
    logs in through the settings built from the separate variables."""
    assert "postgresql" in settings.DATABASES["default"]["ENGINE"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS kerjasama_password_test")
        cursor.execute("CREATE ROLE kerjasama_password_test LOGIN PASSWORD %s", [HOSTILE_PASSWORD])
    database = settings.DATABASES["default"]
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DATABASE_URL"}
    env |= {
        "POSTGRES_HOST": database["HOST"] or "127.0.0.1",
        "POSTGRES_PORT": str(database["PORT"] or 5432),
        "POSTGRES_DB": database["NAME"],
        "POSTGRES_USER": "kerjasama_password_test",
        "POSTGRES_PASSWORD": HOSTILE_PASSWORD,
        "PGSSLMODE": "disable",
    }
    try:
        result = run_python(
            "import django; django.setup(); from django.db import connection;"
            "c = connection.cursor(); c.execute('SELECT current_user'); print(c.fetchone()[0])",
            env,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP ROLE IF EXISTS kerjasama_password_test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kerjasama_password_test"


# The request body limit ---------------------------------------------------------------------


class ExplodingBody(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def _post_declaring(path: str, length: int):
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": ExplodingBody(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status
        captured["headers"] = dict(headers)

    body = b"".join(handler(environ, start_response))
    return captured, body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/masuk/", "/verifikasi/ABCD-EFGH/", "/registri/"])
def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(path, settings):
    captured, body = _post_declaring(path, 300 * 1024 * 1024)
    assert captured["status"].startswith("413")
    assert "terlalu besar" in body


@pytest.mark.django_db
def test_the_limit_fits_the_largest_upload(settings):
    assert settings.REQUEST_MAX_BYTES > settings.UPLOAD_MAX_BYTES
    assert settings.REQUEST_MAX_BYTES > settings.IMPORT_MAX_BYTES


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_view(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "x" * 1000})
    assert response.status_code == 200


# Downloads are private -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_agreement_export_is_private_and_not_stored(client, tkksd):
    client.force_login(tkksd)
    for export in ("xlsx", "csv"):
        response = client.get(reverse("registry:agreement_list"), {"export": export})
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", export


@pytest.mark.django_db
def test_the_ical_feed_is_private_and_not_stored(client, ppksd):
    from monitoring import ical

    feed = ical.feed_for(ppksd)
    response = Client().get(reverse("monitoring:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_public_open_data_keeps_its_public_caching(client):
    response = client.get(reverse("public:data_csv"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_html_pages_are_left_alone(client, tkksd):
    client.force_login(tkksd)
    response = client.get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


# The container's health check -----------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_from_inside_the_container(client, settings):
    response = client.get(settings.HEALTHCHECK_PATH, REMOTE_ADDR="127.0.0.1", HTTP_HOST="anything.invalid")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["media"] == "ok"
    assert response.json()["redis"] == "ok"


@pytest.mark.django_db
def test_health_is_not_served_through_the_proxy_or_from_outside(client, settings):
    assert client.get(settings.HEALTHCHECK_PATH, REMOTE_ADDR="203.0.113.5").status_code == 404
    through_proxy = client.get(settings.HEALTHCHECK_PATH, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert through_proxy.status_code == 404


@pytest.mark.django_db
def test_health_fails_when_media_is_not_writable(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked
    response = client.get(settings.HEALTHCHECK_PATH, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["media"] == "error" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_health_fails_when_redis_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get(settings.HEALTHCHECK_PATH, REMOTE_ADDR="::1")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"


# Logging --------------------------------------------------------------------------------------


def test_font_subsetting_and_weasyprint_print_warnings_only():
    assert logging.getLogger("fontTools.subset").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("weasyprint").getEffectiveLevel() == logging.WARNING


def test_one_handler_prints_each_line_once():
    result = run_python(
        "import django, logging; django.setup();"
        "logging.getLogger('django.request').warning('one line');"
        "logging.getLogger('registry').info('another line');"
        "logging.getLogger('fontTools.subset').info('pruned');",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("one line") == 1
    assert result.stderr.count("another line") == 1
    assert "pruned" not in result.stderr


def test_json_logs_and_the_level_come_from_the_environment():
    result = run_python(
        "import django, logging; django.setup();"
        "logging.getLogger('registry').warning('stored %s', 'x');"
        "logging.getLogger('registry').info('hidden')",
        PRODUCTION_ENV | {"LOG_FORMAT": "json", "LOG_LEVEL": "warning"},
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [("WARNING", "registry", "stored x")]
