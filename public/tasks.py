from celery import shared_task

from . import opendata


@shared_task(soft_time_limit=240, time_limit=300)
def publish_open_data(kind: str) -> str:
    """Write a newer open data file of `kind` ("csv" or "json") unless one was just written
    (public/opendata.py); asked for by a download that found the current file older than
    PUBLIC_CACHE_SECONDS. Returns the file's name."""
    return opendata.publish_if_due(kind).name
