"""Backups that restore: the database and the media files, with a manifest of SHA-256 sums.

A backup is a directory (or the same directory as a .tar.gz archive):

    manifest.json       format, time, database engine, the last migration of every app, and the
                        SHA-256 of every other file in the backup
    database.dump       pg_dump's custom format (PostgreSQL), or database.sqlite3 (SQLite)
    media/...           every file of the media storage (under MEDIA_ROOT, or in object storage
                        when MEDIA_STORAGE_URL is set), read and written through the storage

The database is dumped first, then the media files are copied: a file written in between is an
extra file, never a row pointing at a file the backup lacks (files are never rewritten: uploads
and issued documents get new names). pg_dump reads one snapshot, so the dump is consistent while
the app runs. Restoring refuses a backup whose sums do not match, a database that has tables and
a media directory that has files; afterwards it reads every stored file that carries a SHA-256
(issued documents, uploaded documents, report evidence) and compares the bytes.
"""

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kerjasama.media_storage import STORAGE_ERRORS

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
ARCHIVE_SUFFIX = ".tar.gz"
PREFIX = "kerjasama-"


class BackupError(Exception):
    """A backup could not be written, or a restore was refused; the message says why."""


@dataclass
class Verification:
    checked: int = 0
    per_model: dict[str, int] = field(default_factory=dict)
    damaged: list[tuple[str, str, str]] = field(default_factory=list)  # (model, file name, state)


# --- writing a backup ---------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never appears on a command line."""
    database = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": database["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from None
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> str:
    if _engine() == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / PG_DUMP)],
            _pg_environment(),
        )
        return PG_DUMP
    if connection.in_atomic_block:
        # SQLite's backup waits for the connection's own write transaction forever.
        raise BackupError("A SQLite backup must run outside a transaction.")
    connection.ensure_connection()
    destination = sqlite3.connect(target / SQLITE_DUMP)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return SQLITE_DUMP


def _stored_names(directory: str = "") -> Iterator[str]:
    """The name of every file in the media storage, through the storage (no local path: the files
    may be in object storage). The health check's probe files are left out."""
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        if not name.startswith(".health-"):
            yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _stored_names(f"{directory}/{name}" if directory else name)


def _copy_media(target: Path) -> None:
    destination = target / "media"
    destination.mkdir()
    for name in _stored_names():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as stored, path.open("wb") as copy:
            shutil.copyfileobj(stored, copy)


def _last_migrations() -> dict[str, str]:
    recorder = MigrationRecorder(connection)
    last: dict[str, str] = {}
    for app, name in recorder.applied_migrations():
        last[app] = max(last.get(app, ""), name)
    return dict(sorted(last.items()))


def write_backup(output: Path) -> Path:
    """Write a backup to `output`: a directory, or an archive when the name ends in .tar.gz.
    Returns the path written. Raises BackupError."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already.")
    archive = output.name.endswith(ARCHIVE_SUFFIX)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=output.parent)) if archive else output
    try:
        work.mkdir(exist_ok=True)
        database_file = _dump_database(work)
        _copy_media(work)
        files = {
            path.relative_to(work).as_posix(): sha256_of(path) for path in sorted(work.rglob("*")) if path.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"engine": _engine(), "file": database_file},
            "migrations": _last_migrations(),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        if archive:
            partial = output.with_name(output.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                for path in sorted(work.iterdir()):
                    tar.add(path, arcname=path.name)
            partial.rename(output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if archive:
        shutil.rmtree(work, ignore_errors=True)
    return output


def default_name(now: dt.datetime | None = None) -> str:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return f"{PREFIX}{stamp}{ARCHIVE_SUFFIX}"


def existing_backups(directory: Path) -> list[Path]:
    """The backups written under `directory` by the nightly task, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(
        path for path in directory.iterdir() if path.name.startswith(PREFIX) and not path.name.endswith(".partial")
    )


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `directory`; returns the deleted ones."""
    backups = existing_backups(directory)
    doomed = backups[: max(len(backups) - keep, 0)]
    for path in doomed:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return doomed


@contextmanager
def exclusive(directory: Path) -> Iterator[bool]:
    """Hold the backup directory's lock, or yield False when another process holds it (a message
    Redis delivered twice while the first backup is still running)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def nightly(directory: Path, keep: int, *, min_hours: float = 12) -> Path | None:
    """The beat task's work: one backup a night into `directory`, keeping the newest `keep`.
    Skips when another backup is running or one was written less than `min_hours` ago."""
    with exclusive(directory) as held:
        if not held:
            return None
        backups = existing_backups(directory)
        if backups and (timezone.now().timestamp() - backups[-1].stat().st_mtime) < min_hours * 3600:
            return None
        written = write_backup(directory / default_name())
        prune(directory, keep)
        return written


# --- restoring ---------------------------------------------------------------------------------


@contextmanager
def opened(source: Path) -> Iterator[Path]:
    """The backup's directory: `source` itself, or the archive unpacked into a temporary one
    (members that would land outside it are refused by tarfile's data filter)."""
    source = Path(source)
    if source.is_dir():
        yield source
        return
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    with tempfile.TemporaryDirectory(prefix="kerjasama-restore-") as temporary:
        try:
            with tarfile.open(source, "r:*") as tar:
                tar.extractall(temporary, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"{source} is not a readable backup archive: {error}") from None
        yield Path(temporary)


def read_manifest(directory: Path) -> dict:
    """The manifest, after checking every listed file's SHA-256 and that no file is missing."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{directory} has no readable {MANIFEST}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    bad = []
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            bad.append(f"missing: {name}")
        elif sha256_of(path) != expected:
            bad.append(f"altered: {name}")
    if bad:
        raise BackupError("The backup is damaged:\n" + "\n".join(bad[:50]))
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _media_is_empty() -> bool:
    return next(_stored_names(), None) is None


def _media_place() -> str:
    if isinstance(default_storage, FileSystemStorage):
        return str(settings.MEDIA_ROOT)
    return "MEDIA_STORAGE_URL"


def _restore_media(source: Path) -> None:
    """Write the backup's media files into the media storage under their own names."""
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source).as_posix()
        with path.open("rb") as copy:
            saved = default_storage.save(name, File(copy, name=name))
        if saved != name:
            raise BackupError(f"The media storage renamed {name} to {saved}: restore into an empty one.")


def restore(source: Path) -> tuple[dict, Verification]:
    """Restore a backup into the configured database, which must be empty, and the media storage,
    which must hold no file; then verify every stored file against its SHA-256. Raises BackupError."""
    with opened(source) as directory:
        manifest = read_manifest(directory)
        engine = manifest["database"]["engine"]
        if engine != _engine():
            raise BackupError(f"The backup holds a {engine} database; this installation uses {_engine()}.")
        if not _database_is_empty():
            raise BackupError("The database is not empty: restore into a new, empty database.")
        if not _media_is_empty():
            raise BackupError(f"The media storage ({_media_place()}) holds files: restore into an empty one.")
        dump = directory / manifest["database"]["file"]
        if engine == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    settings.DATABASES["default"]["NAME"],
                    str(dump),
                ],
                _pg_environment(),
            )
        else:
            connection.ensure_connection()
            source_db = sqlite3.connect(dump)
            try:
                source_db.backup(connection.connection)
            finally:
                source_db.close()
        connection.close()
        _restore_media(directory / "media")
    return manifest, verify_files()


def hashed_file_models():
    """Every model that stores a file together with the SHA-256 of its bytes."""
    for model in apps.get_models():
        fields = {field.name: field for field in model._meta.get_fields()}
        if isinstance(fields.get("file"), models.FileField) and "sha256" in fields:
            yield model


def verify_files() -> Verification:
    """Read every stored file that carries a SHA-256 and compare: (model, name, state) for each
    one missing, unreadable or altered."""
    result = Verification()
    for model in hashed_file_models():
        rows = model._default_manager.exclude(file="").exclude(sha256="").order_by("pk")
        for row in rows.iterator(chunk_size=200):
            result.checked += 1
            result.per_model[model._meta.verbose_name_plural] = (
                result.per_model.get(model._meta.verbose_name_plural, 0) + 1
            )
            try:
                with row.file.open("rb") as stored:
                    digest = hashlib.sha256(stored.read()).hexdigest()
            except FileNotFoundError:
                state = "missing"
            except STORAGE_ERRORS:
                state = "unreadable"
            else:
                state = "intact" if digest == row.sha256 else "altered"
            if state != "intact":
                result.damaged.append((model._meta.label, row.file.name, state))
    return result
