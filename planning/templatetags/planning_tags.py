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
    """The newest open mapping cycle, for the home pages' planning card; None when none is open.
    `next_plenary` is the date of its next scheduled plenary (the date it really meets, once
    scheduled or moved), else the date planned when the cycle was opened."""
    return selectors.open_cycles().annotate(next_plenary=selectors.next_plenary_date()).first()
