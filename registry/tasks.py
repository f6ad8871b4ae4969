"""Celery adapters of the registry: ids in, one service call."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import dprd, official, services


@shared_task(
    bind=True,
    # The database restarting or failing over mid-render: try again, the job row is the truth.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=False,
    max_retries=8,
    soft_time_limit=240,
    time_limit=300,
)
def render_official_document(self, job_id: int) -> None:
    official.run_render_job(job_id, claim=self.request.id or "")


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_render_jobs() -> int:
    """Beat entry: publish again render jobs whose message was lost, take back those whose
    worker died (kerjasama/jobs.py)."""
    return official.sweep_render_jobs()


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=False,
    max_retries=8,
    soft_time_limit=240,
    time_limit=300,
)
def run_import_job(self, job_id: int) -> None:
    """Preview or commit a big import (registry/imports/services.py); claims the job first."""
    from .imports import services as imports

    imports.run_import_job(job_id, claim=self.request.id or "")


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_import_jobs() -> int:
    """Beat entry: publish again imports whose message was lost, take back those whose worker
    died (kerjasama/jobs.py)."""
    from .imports import services as imports

    return imports.sweep_import_jobs()


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
