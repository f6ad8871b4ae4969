"""Media on disk or in S3-compatible object storage (MEDIA_STORAGE_URL), and nothing that reads a
stored file by local path: with a storage that has no path, PDFs, stored documents and backups
still read and write every file. No network is used."""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, Storage, default_storage

from kerjasama import backups
from kerjasama.media_storage import FILE_SYSTEM, S3, media_storage
from kerjasama.tests.test_settings import run_python
from registry.official.engine import LocalFetcher
from registry.official.pdf import ResourceRefused
from registry.tests.test_pdf import png_bytes

MINIO = "s3://kerjasama-media/sleman/media?endpoint_url=https://minio.local:9000&region=us-east-1"


def test_without_a_url_media_stay_on_disk():
    assert media_storage("") == {"BACKEND": FILE_SYSTEM}


def test_an_s3_url_names_bucket_prefix_endpoint_and_region():
    assert media_storage(MINIO) == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "kerjasama-media",
            "location": "sleman/media",
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "endpoint_url": "https://minio.local:9000",
            "region_name": "us-east-1",
        },
    }


def test_an_s3_url_takes_the_other_options():
    options = media_storage(
        "s3://bucket?addressing_style=path&signature_version=s3v4&use_ssl=false&verify=/etc/ssl/ca.pem"
    )["OPTIONS"]
    assert options["location"] == ""
    assert options["addressing_style"] == "path"
    assert options["signature_version"] == "s3v4"
    assert options["use_ssl"] is False
    assert options["verify"] == "/etc/ssl/ca.pem"
    assert media_storage("s3://bucket?verify=false")["OPTIONS"]["verify"] is False


@pytest.mark.parametrize(
    "url",
    [
        "https://bucket/prefix",
        "bucket/prefix",
        "s3://",
        "s3:///prefix",
        "s3://key:secret@bucket/prefix",
        "s3://bucket?region=a&region=b",
        "s3://bucket?region=",
        "s3://bucket?endpoint=https://minio.local",
        "s3://bucket?endpoint_url=minio.local:9000",
        "s3://bucket?endpoint_url=ftp://minio.local",
        "s3://bucket?addressing_style=sideways",
        "s3://bucket?use_ssl=maybe",
        "s3://bucket?region",
        "s3://bucket#prefix",
    ],
)
def test_a_wrong_url_stops_the_start_with_a_reason(url):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL"):
        media_storage(url)


SHOW_STORAGE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
names = ["bucket_name", "location", "endpoint_url", "region_name", "access_key", "secret_key", "file_overwrite"]
shown = {name: getattr(storage, name, None) for name in names}
print(json.dumps({"backend": settings.STORAGES["default"]["BACKEND"], "storage": type(storage).__name__, **shown}))
"""


def test_the_settings_build_an_s3_storage_with_credentials_from_the_environment():
    env = {
        "DEBUG": "true",
        "MEDIA_STORAGE_URL": MINIO,
        "AWS_ACCESS_KEY_ID": "kunci-akses",
        "AWS_SECRET_ACCESS_KEY": "kunci-rahasia",
    }
    result = run_python(SHOW_STORAGE, env)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["backend"] == S3
    assert shown["storage"] == "S3Storage"
    assert shown["bucket_name"] == "kerjasama-media"
    assert shown["location"] == "sleman/media"
    assert shown["endpoint_url"] == "https://minio.local:9000"
    assert shown["region_name"] == "us-east-1"
    assert (shown["access_key"], shown["secret_key"]) == ("kunci-akses", "kunci-rahasia")
    assert shown["file_overwrite"] is False


def test_the_settings_keep_media_on_disk_by_default():
    result = run_python(SHOW_STORAGE, {"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["storage"] == "FileSystemStorage"


def test_a_wrong_media_storage_url_stops_the_start():
    result = run_python("import django; django.setup()", {"DEBUG": "true", "MEDIA_STORAGE_URL": "ftp://x/y"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE_URL" in result.stderr


# --- a storage without local paths -----------------------------------------------------------------


class PathlessStorage(Storage):
    """Files kept in memory by Django's InMemoryStorage behind a storage that, like object
    storage, has no `path()` (Storage.path raises NotImplementedError)."""

    def __init__(self, location="memori"):
        self._memory = InMemoryStorage(location=location)

    def _open(self, name, mode="rb"):
        return self._memory._open(name, mode)

    def _save(self, name, content):
        return self._memory._save(name, content)

    def delete(self, name):
        self._memory.delete(name)

    def exists(self, name):
        return self._memory.exists(name)

    def listdir(self, path):
        return self._memory.listdir(path)

    def size(self, name):
        return self._memory.size(name)


PATHLESS = {"BACKEND": f"{__name__}.PathlessStorage"}


@pytest.fixture
def pathless_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": PATHLESS}
    with pytest.raises(NotImplementedError):
        default_storage.path("x")
    return default_storage


def test_pdf_images_are_read_through_the_storage(pathless_storage):
    pathless_storage.save("pemda/logo.png", ContentFile(png_bytes()))
    response = LocalFetcher().fetch("media:pemda/logo.png")
    assert response.read() == png_bytes()
    assert response.content_type == "image/png"
    with pytest.raises(ResourceRefused):
        LocalFetcher().fetch("media:pemda/missing.png")


def test_a_stored_document_is_read_through_the_storage(pathless_storage):
    from registry.official import DocumentFileError, read_stored

    content = b"%PDF-1.7 dokumen"
    name = pathless_storage.save("resmi/dokumen.pdf", ContentFile(content))
    field_file = type("Stored", (), {"open": lambda self, mode: pathless_storage.open(name, mode), "name": name})()
    assert read_stored(field_file, hashlib.sha256(content).hexdigest()) == content
    with pytest.raises(DocumentFileError):
        read_stored(field_file, "0" * 64)


@pytest.mark.django_db(transaction=True)
def test_a_backup_copies_and_restores_media_through_the_storage(pathless_storage, tmp_path, settings):
    pathless_storage.save("pemda/logo.png", ContentFile(png_bytes()))
    pathless_storage.save("dokumen/2026/kb.pdf", ContentFile(b"%PDF-1.7 kb"))
    directory = backups.write_backup(tmp_path / "cadangan")
    assert (directory / "media" / "dokumen" / "2026" / "kb.pdf").read_bytes() == b"%PDF-1.7 kb"
    manifest = json.loads((directory / backups.MANIFEST).read_text())
    assert "media/pemda/logo.png" in manifest["files"]
    assert not backups._media_is_empty()

    # Restoring into another (empty) storage writes the same names.
    settings.STORAGES = {**settings.STORAGES, "default": {**PATHLESS, "OPTIONS": {"location": "lain"}}}
    assert backups._media_is_empty()
    backups._restore_media(Path(directory) / "media")
    with default_storage.open("dokumen/2026/kb.pdf", "rb") as restored:
        assert restored.read() == b"%PDF-1.7 kb"
