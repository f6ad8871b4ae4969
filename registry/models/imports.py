"""Imports of existing registers: the job (which is also the record of the import), its rows,
the partner names it met, and the column mappings remembered per set of headers.

registry/imports/ holds the operations; a job moves uploaded → previewed → committed, and a
Celery task does the work of a big file, claiming the job with a lease like a render job.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kerjasama.choices import ChoiceLabels


def import_upload_to(instance, filename):
    # Never the user's file name on disk; the original name is kept in the row.
    return f"imports/{timezone.now():%Y}/{instance.sha256}"


class ImportJob(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for the column mapping")
        PREVIEWING = "previewing", _("Checking the rows")
        PREVIEWED = "previewed", _("Checked; waiting to be committed")
        COMMITTING = "committing", _("Writing the rows")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")

    # What a background task still has to do for this job ("" when nothing).
    class Work(models.TextChoices):
        NONE = "", _("Nothing")
        PREVIEW = "preview", _("Check the rows")
        COMMIT = "commit", _("Write the rows")

    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_upload_to)
    file_format = models.CharField(_("format"), max_length=4)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    sheet_names = models.JSONField(_("sheets"), default=list, blank=True)
    # Where the header row was found (0-based) and its cells, as read.
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    # Column index (as a string) → field of registry.imports.columns.FIELDS.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Defaults for rows that do not say: lead OPD, urusan; and whether unknown partners are created.
    options = models.JSONField(_("options"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UPLOADED)
    work = models.CharField(max_length=8, choices=Work.choices, blank=True, default=Work.NONE)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Counts of the last preview, then of the commit.
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    update_count = models.PositiveIntegerField(_("updates"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("agreements created"), default=0)
    updated_count = models.PositiveIntegerField(_("agreements updated"), default=0)
    partners_created = models.PositiveIntegerField(_("partners created"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The outbox of the background work (kerjasama/jobs.py): when it was handed to the broker,
    # who holds it and until when.
    queued_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            # The sweeper: background work still owed.
            models.Index(fields=["work", "queued_at"], name="importjob_work", condition=~models.Q(work="")),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("registry:import_detail", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.PREVIEWING, self.State.COMMITTING)


class ImportRow(ChoiceLabels, models.Model):
    """One data row of an import's sheet, with its outcome at the last preview or the commit."""

    class Outcome(models.TextChoices):
        NEW = "new", _("New")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Unchanged")
        ERROR = "error", _("Error")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    # The row's number in the sheet, as the spreadsheet shows it (1-based).
    number = models.PositiveIntegerField(_("row"))
    cells = models.JSONField(_("cells"), default=list)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # [{"column": header, "value": cell as read, "reason": translated message}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The values understood from the row (JSON-ready), and what an update would change.
    values = models.JSONField(_("values"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set once the commit has written (or found unchanged) the row.
    committed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="importrow_once")]
        indexes = [
            # The preview's pages, filtered by outcome.
            models.Index(fields=["job", "outcome", "number"], name="importrow_outcome"),
        ]
        ordering = ["number"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")

    def __str__(self):
        return f"{self.job_id}:{self.number} {self.outcome}"


class ImportPartner(ChoiceLabels, models.Model):
    """A partner name as a sheet spells it, the registry's best matches and the user's decision."""

    class Decision(models.TextChoices):
        MATCH = "match", _("The registered partner")
        CREATE = "create", _("Register a new partner")
        UNDECIDED = "undecided", _("Not decided")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="partner_names")
    name = models.CharField(_("name in the file"), max_length=300)
    key = models.CharField(max_length=300)
    # [{"id": partner pk, "name": ..., "score": 0-100}], best first.
    candidates = models.JSONField(default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    partner = models.ForeignKey(
        "registry.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    # For a new partner: its kind; for every name, the kind of cooperation its rows infer.
    partner_kind = models.CharField(_("partner kind"), max_length=30, blank=True)
    region_code = models.CharField(max_length=5, blank=True)
    agreement_kind = models.CharField(_("kind of cooperation"), max_length=10, blank=True)
    # Why the name cannot be a partner at all (a region that is not in the reference list).
    refusal = models.CharField(max_length=300, blank=True)
    decided_by_user = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="importpartner_once")]
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportMapping(models.Model):
    """The column mapping a user confirmed for a set of headers, offered for the next file
    with the same headers."""

    header_key = models.CharField(max_length=64, unique=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    options = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")

    def __str__(self):
        return ", ".join(str(header) for header in self.headers)[:200]
