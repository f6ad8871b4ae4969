"""The health of one web container: the database, Redis and the media directory.

Answered at HEALTHCHECK_PATH only to a request made inside the container (from a loopback
address, not through the proxy, which adds X-Forwarded-For and refuses the path anyway): Docker's
healthcheck of `web` asks it. It runs before every other middleware, so neither the host check
nor the HTTPS redirect stands in its way, and it reveals nothing but which check failed.
"""

import ipaddress
import json
import logging
import tempfile
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.storage.filesystem import FileSystemStorage
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    """The broker answers a PING (nothing to check when tasks run in-process)."""
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def check_media() -> None:
    """A file can be created in the media directory (a volume mounted read-only or owned by root
    would fail every upload and every rendered PDF). Object storage is not written to."""
    if not isinstance(default_storage, FileSystemStorage):
        return
    root = settings.MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".health-"):
        pass


CHECKS = {"database": check_database, "redis": check_redis, "media": check_media}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


def _internal(request) -> bool:
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != settings.HEALTHCHECK_PATH:
            return self.get_response(request)
        if not _internal(request):
            return HttpResponseNotFound()
        started = time.monotonic()
        results = run_checks()
        healthy = all(value == "ok" for value in results.values())
        body = {**results, "seconds": round(time.monotonic() - started, 3)}
        response = HttpResponse(json.dumps(body), content_type="application/json", status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
