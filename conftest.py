"""Fixtures shared by every app's tests: one user per role plus an outsider, Celery mode."""

import os
import sys

import pytest
from django.conf import settings

from registry.roles import Role


def pytest_sessionstart(session):
    """Remove a SQLite test database left by an interrupted run, with its WAL files.

    Django deletes the old file before creating the test database, but a stale -wal or
    -shm beside a new file makes SQLite report "disk I/O error" or missing tables.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = str(database.get("TEST", {}).get("NAME") or "")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if name and os.path.exists(name + suffix):
                os.remove(name + suffix)


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need the real PostgreSQL and Redis.

    In CI (CI=true) they always run, so a missing service fails them. On a laptop without
    those services configured they are reported as skipped with the reason.
    """
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    have_services = bool(settings.CELERY_BROKER_URL) and "postgresql" in settings.DATABASES["default"]["ENGINE"]
    if in_ci or have_services:
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in-process unless a test asks for the real broker."""
    from kerjasama.celery import app

    if "services" in request.keywords:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _broker_backoff_reset():
    """A broker failure in one test must not make the next one skip publishing."""
    from kerjasama import jobs

    jobs.reset_backoff()
    yield
    jobs.reset_backoff()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; the next test starts in Indonesian."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


# The project's own apps, whose rows are written through services.
_GUARDED_APPS = {"registry", "planning", "monitoring"}
_PROJECT = os.path.dirname(os.path.abspath(__file__))


def _first_project_frame():
    """The innermost frame of the project's code (not Django's, a library's or this file's)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        own = name.startswith(_PROJECT) and "/.venv/" not in name and not name.endswith("conftest.py")
        # A model's own save() passes the call on; whoever called it is the writer.
        if own and not (frame.f_code.co_name == "save" and "/models" in name):
            return frame
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def _no_whole_row_saves(request):
    """Fail any test during which the project's code saves an existing row of its own models
    without `update_fields`: such a save writes back every field as it was read, and undoes
    whatever another request changed meanwhile (a stage move, a colleague's edit). Tests
    themselves may arrange data as they like."""
    from django.db.models.signals import pre_save

    violations = []

    def check(sender, instance, raw, update_fields, **kwargs):
        meta = sender._meta
        if raw or update_fields is not None or instance._state.adding or meta.app_label not in _GUARDED_APPS:
            return
        if meta.model_name.startswith("historical") or meta.model_name == "user":
            return
        frame = _first_project_frame()
        if frame is None:
            return
        name = frame.f_code.co_filename
        if "/tests/" in name or name.endswith("factories.py"):
            return
        violations.append(f"{meta.label} saved whole by {os.path.relpath(name, _PROJECT)}:{frame.f_lineno}")

    pre_save.connect(check, dispatch_uid="no-whole-row-saves")
    yield
    pre_save.disconnect(dispatch_uid="no-whole-row-saves")
    assert not violations, "Existing rows saved without update_fields:\n" + "\n".join(sorted(set(violations)))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    # Serve static files straight from static/ without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests empty every table when they end, reference data included (it
    comes from a migration); load it again, idempotently, for those that follow."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from registry import reference_data
    from registry.models import Province, Regency, Urusan

    if not Urusan.objects.exists():
        reference_data.load_regions(Province, Regency)
        reference_data.load_urusan(Urusan)
        reference_data.ensure_role_groups(Group)


@pytest.fixture
def opd(db):
    from registry.tests.factories import OPDFactory

    return OPDFactory(name="Dinas Perhubungan", abbreviation="Dishub")


@pytest.fixture
def other_opd(db):
    from registry.tests.factories import OPDFactory

    return OPDFactory(name="Dinas Lingkungan Hidup", abbreviation="DLH")


@pytest.fixture
def make_user(db):
    from registry.tests.factories import UserFactory

    def make(*roles, **kwargs):
        return UserFactory(roles=roles, **kwargs)

    return make


@pytest.fixture
def tkksd(make_user):
    return make_user(Role.TKKSD, username="tkksd")


@pytest.fixture
def ppksd(make_user, opd):
    return make_user(Role.PPKSD, username="ppksd", opd=opd)


@pytest.fixture
def other_ppksd(make_user, other_opd):
    return make_user(Role.PPKSD, username="ppksd.other", opd=other_opd)


@pytest.fixture
def dprd(make_user):
    return make_user(Role.DPRD, username="dprd")


@pytest.fixture
def pimpinan(make_user):
    return make_user(Role.PIMPINAN, username="pimpinan")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(make_user):
    """Logged in, but with no role at all."""
    return make_user(username="outsider")


@pytest.fixture
def users(tkksd, ppksd, other_ppksd, dprd, pimpinan, admin_user, outsider):
    """Every kind of user by name, for permission matrices."""
    return {
        "tkksd": tkksd,
        "ppksd": ppksd,
        "other_ppksd": other_ppksd,
        "dprd": dprd,
        "pimpinan": pimpinan,
        "admin": admin_user,
        "outsider": outsider,
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser downloaded by Playwright."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def printed_forms(settings, monkeypatch):
    """The store of empty forms in use (kerjasama/blank_forms.py: DEBUG off, as in production),
    empty before and after the test, and the list of forms rendered through it since."""
    from kerjasama import blank_forms

    settings.DEBUG = False
    blank_forms.forget_printed()
    rendered = []
    real = blank_forms.render_crispy_form

    def spy(form):
        rendered.append(form)
        return real(form)

    monkeypatch.setattr(blank_forms, "render_crispy_form", spy)
    yield rendered
    blank_forms.forget_printed()
