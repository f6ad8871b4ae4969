"""Backups: the database and the media files with a manifest, restored into a second database
and verified file by file; the nightly task keeps BACKUP_KEEP."""

import json
import os
import subprocess
import sys
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from kerjasama import backups
from registry import official
from registry.models import DocumentKind, OfficialDocument
from registry.roles import Role
from registry.tests.factories import PemdaProfileFactory
from registry.tests.official_data import surat_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def issued_documents(make_user):
    PemdaProfileFactory()
    tkksd = make_user(Role.TKKSD, username="tkksd")
    pimpinan = make_user(Role.PIMPINAN, username="pimpinan")
    documents = []
    for title in ("Permohonan persetujuan", "Pemberitahuan"):
        draft = official.create_draft(
            actor=tkksd,
            kind=DocumentKind.SURAT,
            series=official.series_for("surat-kerja-sama"),
            title=title,
            data=surat_data(),
        )
        documents.append(official.issue_document(draft, actor=pimpinan, issue_date=date(2026, 11, 23)))
    for document in documents:
        document.refresh_from_db()
        assert document.is_rendered
    return documents


@pytest.fixture
def second_database(tmp_path):
    """Environment variables pointing a fresh process at a second, empty database."""
    database = settings.DATABASES["default"]
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    base |= {
        "DEBUG": "false",
        "SECRET_KEY": "restore-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://localhost",
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DJANGO_SETTINGS_MODULE": "kerjasama.settings",
    }
    if connection.vendor == "postgresql":
        name = f"{database['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        base |= {
            "POSTGRES_HOST": database["HOST"] or "127.0.0.1",
            "POSTGRES_PORT": str(database["PORT"] or 5432),
            "POSTGRES_DB": name,
            "POSTGRES_USER": database["USER"],
            "POSTGRES_PASSWORD": database["PASSWORD"] or "",
        }
        yield base
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield base


def manage(env, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_a_second_database_and_verify(issued_documents, second_database, tmp_path):
    archive = tmp_path / "backups" / "kerjasama-nightly.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["engine"] == connection.vendor
    for document in issued_documents:
        assert manifest["files"][f"media/{document.file.name}"] == document.sha256

    result = manage(second_database, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "2 stored files checked against their SHA-256: all intact." in result.stdout
    for document in issued_documents:
        restored = Path(second_database["MEDIA_ROOT"]) / document.file.name
        assert restored.read_bytes() == document.file.open("rb").read()

    # The restored database is the app's: its documents are there, and check_documents agrees.
    listed = manage(
        second_database,
        "shell",
        "--no-imports",
        "-c",
        "from registry.models import OfficialDocument as D;"
        "print(sorted(D.objects.exclude(number='').values_list('number', flat=True)))",
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == str(sorted(document.number for document in issued_documents))
    assert manage(second_database, "check_documents").returncode == 0

    # A second restore into the now-filled database is refused.
    again = manage(second_database, "restore", str(archive))
    assert again.returncode != 0
    assert "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_document_whose_bytes_do_not_match(issued_documents, second_database, tmp_path):
    damaged = issued_documents[0]
    Path(damaged.file.path).write_bytes(b"%PDF-1.7 not what was issued")
    directory = tmp_path / "backup-dir"
    call_command("backup", str(directory))
    result = manage(second_database, "restore", str(directory))
    assert result.returncode != 0
    assert f"altered    registry.OfficialDocument  {damaged.file.name}" in result.stdout
    assert "1 of 2 stored files do not match" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(issued_documents, second_database, tmp_path):
    directory = tmp_path / "backup-dir"
    call_command("backup", str(directory))
    pdf = next((directory / "media").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    result = manage(second_database, "restore", str(directory))
    assert result.returncode != 0
    assert "The backup is damaged" in result.stderr and "altered: media/" in result.stderr
    assert not Path(second_database["MEDIA_ROOT"]).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    directory = tmp_path / "backup-dir"
    call_command("backup", str(directory))
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(directory))


def test_an_archive_cannot_write_outside_the_restore_directory(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../../escaped")
    with pytest.raises(backups.BackupError), backups.opened(evil):
        pass
    assert not (tmp_path.parent / "escaped").exists()


@pytest.mark.django_db(transaction=True)
def test_the_nightly_task_keeps_backup_keep_backups(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_KEEP = 3
    settings.BACKUP_DIR.mkdir()
    for day in range(1, 6):
        (settings.BACKUP_DIR / f"kerjasama-202611{day:02d}-000500.tar.gz").write_bytes(b"old")
        os.utime(settings.BACKUP_DIR / f"kerjasama-202611{day:02d}-000500.tar.gz", (0, 0))
    from kerjasama.tasks import nightly_backup

    written = nightly_backup.delay().get()
    names = sorted(path.name for path in backups.existing_backups(settings.BACKUP_DIR))
    assert len(names) == 3 and Path(written).name == names[-1]
    assert names[:2] == ["kerjasama-20261104-000500.tar.gz", "kerjasama-20261105-000500.tar.gz"]
    # A copy of the message delivered again the same night writes nothing more.
    assert nightly_backup.delay().get() == ""
    assert len(backups.existing_backups(settings.BACKUP_DIR)) == 3


@pytest.mark.django_db
def test_a_running_backup_keeps_a_second_one_out(settings, tmp_path):
    with backups.exclusive(tmp_path) as held:
        assert held
        assert backups.nightly(tmp_path, 3) is None
    assert not any(tmp_path.glob("kerjasama-*"))


def test_the_nightly_backup_is_scheduled():
    from kerjasama.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "kerjasama.tasks.nightly_backup" in tasks
    assert OfficialDocument in list(backups.hashed_file_models())
