"""Template tags other apps' pages use to show where a record came from in planning."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def proposal_of(agreement, user):
    """The proposal an agreement was created from, when the user may read it; else None."""
    return (
        selectors.proposals_visible_to(user)
        .select_related("minutes", "decree")
        .only("pk", "number", "title", "minutes__number", "decree__number")
        .filter(agreement=agreement)
        .first()
    )


@register.simple_tag
def open_planning_cycle():
    """The newest open mapping cycle, for the home pages' planning card; None when none is open."""
    return selectors.open_cycles().first()
