from django import template

from registry.status import BADGE

register = template.Library()


@register.filter
def status_badge(status) -> str:
    """The Bootstrap colour of a status badge."""
    return BADGE.get(status, "secondary")
