"""The computed status shown everywhere: in preparation, active, expiring soon, expired,
terminated, not pursued. One rule, in two forms that must agree: for one agreement in
Python (`status_of`) and for a queryset filter (`status_q`); tests check they agree."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import ACTIVE_STAGES
from .models import EndReason, Stage


class Status(models.TextChoices):
    IN_PREPARATION = "in_preparation", _("In preparation")
    ACTIVE = "active", _("Active")
    EXPIRING_SOON = "expiring_soon", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    NOT_PURSUED = "not_pursued", _("Rejected or withdrawn")


BADGE = {
    Status.IN_PREPARATION: "secondary",
    Status.ACTIVE: "success",
    Status.EXPIRING_SOON: "warning",
    Status.EXPIRED: "danger",
    Status.TERMINATED: "dark",
    Status.NOT_PURSUED: "light",
}


def _soon(today: date) -> date:
    return today + timedelta(days=settings.EXPIRING_SOON_DAYS)


def status_of(agreement, today: date) -> Status:
    return status_for(agreement.stage, agreement.end_date, agreement.end_reason, today)


def status_for(stage: str, end: date | None, end_reason: str, today: date) -> Status:
    """`status_of` from the three columns it reads, for rows fetched as values."""
    if stage in (Stage.DITOLAK, Stage.DIBATALKAN):
        return Status.NOT_PURSUED
    if stage == Stage.BERAKHIR:
        return Status.EXPIRED if end_reason == EndReason.TERM_EXPIRED else Status.TERMINATED
    if stage in ACTIVE_STAGES:
        if end is not None and end < today:
            return Status.EXPIRED
        if end is not None and end <= _soon(today):
            return Status.EXPIRING_SOON
        return Status.ACTIVE
    return Status.IN_PREPARATION


def ended_on_for(stage: str, end: date | None, end_reason: str, stage_changed_at: datetime | None) -> date | None:
    """The day an ended agreement ended: the last day of its term when the term ran out, else the
    day it was ended early (its move to Berakhir, the last move it makes). None while it runs."""
    if stage != Stage.BERAKHIR:
        return None
    if end_reason == EndReason.TERM_EXPIRED and end is not None:
        return end
    return timezone.localdate(stage_changed_at) if stage_changed_at else end


def status_q(status: str, today: date) -> Q:
    active = Q(stage__in=ACTIVE_STAGES)
    if status == Status.NOT_PURSUED:
        return Q(stage__in=[Stage.DITOLAK, Stage.DIBATALKAN])
    if status == Status.TERMINATED:
        return Q(stage=Stage.BERAKHIR) & ~Q(end_reason=EndReason.TERM_EXPIRED)
    if status == Status.EXPIRED:
        return Q(stage=Stage.BERAKHIR, end_reason=EndReason.TERM_EXPIRED) | (active & Q(end_date__lt=today))
    if status == Status.EXPIRING_SOON:
        return active & Q(end_date__gte=today, end_date__lte=_soon(today))
    if status == Status.ACTIVE:
        return active & (Q(end_date__isnull=True) | Q(end_date__gt=_soon(today)))
    if status == Status.IN_PREPARATION:
        return ~Q(stage__in=[*ACTIVE_STAGES, Stage.BERAKHIR, Stage.DITOLAK, Stage.DIBATALKAN])
    raise ValueError(status)
