"""Celery adapters of the registry: ids in, one service call."""

from celery import shared_task
from django.utils import timezone

from . import dprd, official, services


@shared_task(soft_time_limit=240, time_limit=300)
def render_official_document(job_id: int) -> None:
    official.run_render_job(job_id)


@shared_task(soft_time_limit=240, time_limit=300)
def end_expired_agreements() -> int:
    """Beat entry: the natural end of every agreement whose term has passed."""
    return services.end_expired_agreements(timezone.localdate())


@shared_task(soft_time_limit=240, time_limit=300)
def apply_dprd_deadlines() -> dict[str, int]:
    """Beat entry: refresh the DPRD deadlines against the holiday calendar, then apply silence
    (deemed approval on the deadline day, where the Pemda's setting says so)."""
    refreshed = dprd.refresh_due_dates()
    return {"refreshed": refreshed, "deemed_approved": dprd.apply_silence(timezone.localdate())}
