"""What the DPRD approval queue adds to the requests (registry.DprdApproval): the regency's own
days off, which count against the legal deadline like national holidays, and the review notes
DPRD members leave on a request before the DPRD decides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kerjasama.validators import validate_plausible_date


class DayOff(models.Model):
    """A day off decided by the regency (e.g. a cuti bersama of its own), entered by an Admin.

    National holidays and the government's cuti bersama come from the `holidays` package
    (registry/dprd.py); these are the days it cannot know about.
    """

    date = models.DateField(_("date"), unique=True, validators=[validate_plausible_date])
    name = models.CharField(_("name"), max_length=150)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("regional day off")
        verbose_name_plural = _("regional days off")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class DprdReviewNote(models.Model):
    """A DPRD member's note on a request, written while the DPRD deliberates. Append-only."""

    approval = models.ForeignKey(
        "registry.DprdApproval", on_delete=models.CASCADE, related_name="review_notes", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        indexes = [
            # The request page lists a request's notes in order; the queue counts them.
            models.Index(fields=["approval", "created_at"], name="dprd_note_by_request"),
        ]
        ordering = ["created_at", "pk"]
        verbose_name = _("DPRD review note")
        verbose_name_plural = _("DPRD review notes")

    def __str__(self):
        return f"{self.author} · {self.created_at:%Y-%m-%d}"


class DprdOverviewSnapshot(models.Model):
    """The DPRD overview's figures (registry.dprd.overview), stored so that opening the overview
    reads one row instead of counting every request. Read back only on the day it was computed and
    while no request and no regional day off has changed since (its `basis`); one row, overwritten
    on each refresh."""

    day = models.DateField()
    computed_at = models.DateTimeField()
    data = models.JSONField()
    # What the figures were computed from, read before computing them (registry.dprd.overview_basis).
    basis = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("DPRD overview snapshot")
        verbose_name_plural = _("DPRD overview snapshots")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} ({self.computed_at:%H:%M})"
