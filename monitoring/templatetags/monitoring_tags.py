"""Presentation of monitoring states: `{% load monitoring_tags %}`."""

from django import template
from django.utils.translation import gettext_lazy as _

from monitoring.models import Recommendation, ReportStatus

register = template.Library()

# A period's state: its report's status, or "overdue"/"owed" when there is no filed report.
STATE_BADGES = {
    ReportStatus.SUBMITTED: "info",
    ReportStatus.RETURNED: "danger",
    ReportStatus.ACCEPTED: "success",
    "overdue": "danger",
    "owed": "secondary",
}
STATE_LABELS = {
    **{status.value: status.label for status in ReportStatus},
    "overdue": _("Overdue"),
    "owed": _("Not yet filed"),
}
RECOMMENDATION_BADGES = {
    Recommendation.CONTINUE: "success",
    Recommendation.EXTEND: "primary",
    Recommendation.REVISE: "warning",
    Recommendation.STOP: "danger",
}


@register.filter
def state_badge(state) -> str:
    return STATE_BADGES.get(state, "secondary")


@register.filter
def state_label(state) -> str:
    return STATE_LABELS.get(state, state)


@register.filter
def recommendation_badge(recommendation) -> str:
    return RECOMMENDATION_BADGES.get(recommendation, "secondary")
