"""Where media files live: on disk under MEDIA_ROOT, or in S3-compatible object storage.

MEDIA_STORAGE_URL selects object storage (django-storages' S3Storage), for example

    s3://kerjasama-media/sleman?endpoint_url=https://minio.example.go.id:9000&region=us-east-1

bucket "kerjasama-media", every key under "sleman/". The credentials are not part of the URL:
S3Storage reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) from the
environment, or boto3 finds them as usual (an instance role). Files are private (no ACL is sent;
the bucket's policy decides) and never overwritten: an upload under a taken name gets a new name,
as on disk. The app always reads files through the storage (`FieldFile.open`), never by path.

This module is read by settings.py: it imports nothing from Django that needs settings.
"""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"

# Query parameters of MEDIA_STORAGE_URL, each with the S3Storage option it sets.
_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
    "use_ssl": "use_ssl",
    "verify": "verify",
}
_ADDRESSING_STYLES = ("auto", "path", "virtual")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"MEDIA_STORAGE_URL: {message}")


def _boolean(name: str, value: str) -> bool:
    try:
        return _BOOLEANS[value.lower()]
    except KeyError:
        raise _fail(f"{name} must be true or false, not {value!r}.") from None


def media_storage(url: str) -> dict:
    """The STORAGES["default"] entry for MEDIA_STORAGE_URL: the file system when it is empty, S3
    for s3://bucket[/prefix][?option=value...]. Raises ImproperlyConfigured for anything else (an
    unknown scheme or option, credentials in the URL, a malformed endpoint)."""
    if not url:
        return {"BACKEND": FILE_SYSTEM}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise _fail(f"only s3:// is supported, not {parts.scheme or 'a URL without scheme'}.")
    if "@" in parts.netloc or parts.password is not None:
        raise _fail("put the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL.")
    bucket = parts.netloc
    if not bucket:
        raise _fail("name the bucket: s3://bucket/prefix.")
    if parts.fragment:
        raise _fail("a fragment (#...) means nothing here.")
    options: dict = {
        "bucket_name": bucket,
        "location": parts.path.strip("/"),
        # Uploads and issued documents are never rewritten: a taken name gets a new one.
        "file_overwrite": False,
        # Private objects: the app serves every file through its own views.
        "default_acl": None,
        "querystring_auth": True,
    }
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise _fail(f"cannot read the query {parts.query!r}.") from None
    for name, values in query.items():
        if name not in _OPTIONS:
            raise _fail(f"unknown option {name!r}; known: {', '.join(sorted(_OPTIONS))}.")
        if len(values) != 1 or not values[0]:
            raise _fail(f"give {name} exactly one value.")
        value = values[0]
        if name == "endpoint_url":
            endpoint = urlsplit(value)
            if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
                raise _fail(f"endpoint_url must be an http(s) address, not {value!r}.")
        elif name == "addressing_style" and value not in _ADDRESSING_STYLES:
            raise _fail(f"addressing_style must be one of {', '.join(_ADDRESSING_STYLES)}.")
        elif name == "use_ssl":
            value = _boolean(name, value)
        elif name == "verify" and value.lower() in _BOOLEANS:
            # Either a CA bundle's path or false (a test installation with a self-signed certificate).
            value = _boolean(name, value)
        options[_OPTIONS[name]] = value
    return {"BACKEND": S3, "OPTIONS": options}


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What reading a stored file may raise besides FileNotFoundError: an OSError on disk; on
    object storage also botocore's errors (a refused key, an unreachable endpoint)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()
