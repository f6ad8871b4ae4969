"""Official documents: numbering series, drafts, issued snapshots, render jobs, TKKSD members.

An issued document is a legal act: its number is unique, its printed values are frozen in
`snapshot`, its PDF is rendered once and stored with its SHA-256, and it is never edited or
deleted (a correction is a new document that `replaces` it). registry/official/__init__.py holds the
operations; nothing else changes a document's status.
"""

import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels
from kerjasama.validators import validate_plausible_date

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PATTERN_FIELDS = {"seq", "year", "month", "roman_month", "unit", "classification"}


class DocumentKind(models.TextChoices):
    KEPUTUSAN = "keputusan", _("Decree (Keputusan Bupati)")
    BERITA_ACARA = "berita_acara", _("Minutes (Berita Acara)")
    SURAT = "surat", _("Official letter (surat dinas)")


class Office(models.TextChoices):
    """The office in whose name a document is issued and signed (docs/domain.md §5)."""

    BUPATI = "bupati", _("Bupati")
    KETUA_TKKSD = "ketua_tkksd", _("Chair of the TKKSD (Sekretaris Daerah)")


# Who signs each kind unless the draft says otherwise: the Bupati decrees and writes to the DPRD
# and the Gubernur; the TKKSD's chair signs the minutes of its plenary.
DEFAULT_OFFICE = {
    "keputusan": Office.BUPATI,
    "berita_acara": Office.KETUA_TKKSD,
    "surat": Office.BUPATI,
}


class Paper(models.TextChoices):
    A4 = "A4", "A4"
    F4 = "F4", "F4 (215 × 330 mm)"  # noqa: RUF001 - the sign printed on paper sizes


def validate_pattern(pattern: str) -> None:
    """A numbering pattern uses only known fields and always contains the sequence number."""
    try:
        fields = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(pattern) if name}
    except ValueError as error:
        raise ValidationError(_("The pattern is malformed: %(error)s") % {"error": error}) from error
    unknown = fields - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _(
                "Unknown fields in the pattern: %(fields)s. Use {seq}, {year}, {month}, {roman_month}, {unit}, "
                "{classification}."
            )
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "seq" not in fields:
        raise ValidationError(_("The pattern must contain {seq}."))


class NumberSeries(ChoiceLabels, models.Model):
    """A register of numbers, e.g. "100.3.3/{seq:03d}/KS/{year}"; the sequence restarts every year."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("document kind"), max_length=20, choices=DocumentKind.choices)
    pattern = models.CharField(
        _("number pattern"),
        max_length=120,
        validators=[validate_pattern],
        help_text=_(
            "Fields: {seq} (the yearly sequence, e.g. {seq:03d} for 012), {year}, {month}, {roman_month}, "
            "{unit}, {classification}."
        ),
    )

    class Mode(models.TextChoices):
        APP = "app", _("Allocated by the app")
        REGISTER = "register", _("From the Bagian Hukum register, typed in at issue")

    # Where numbers come from: the app's yearly counter, or the register the Bagian Hukum keeps
    # on paper (the number is then typed in when the document is issued, checked against the
    # pattern and for uniqueness).
    mode = models.CharField(_("numbering"), max_length=10, choices=Mode.choices, default=Mode.APP)
    classification = models.CharField(_("classification code"), max_length=30, blank=True)
    unit = models.CharField(_("unit code"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        return self.name

    @property
    def counter_series(self) -> str:
        return f"official:{self.code}"

    def matches(self, number: str, date) -> bool:
        """Whether a typed number follows the pattern (any sequence, this date's year and month)."""
        values = {
            "year": str(date.year),
            "month": f"{date.month:02d}",
            "roman_month": ROMAN_MONTHS[date.month - 1],
            "unit": self.unit,
            "classification": self.classification,
        }
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(self.pattern):
            parts.append(re.escape(literal))
            if name is None:
                continue
            field = name.split(".")[0].split("[")[0]
            parts.append(r"\d+" if field == "seq" else re.escape(values.get(field, "")))
        return re.fullmatch("".join(parts), " ".join(number.split()), flags=re.IGNORECASE) is not None

    def format(self, seq: int, date) -> str:
        return self.pattern.format(
            seq=seq,
            year=date.year,
            month=f"{date.month:02d}",
            roman_month=ROMAN_MONTHS[date.month - 1],
            unit=self.unit,
            classification=self.classification,
        )


class OfficialDocument(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued, not yet signed")
        SIGNED = "signed", _("Signed")
        VOIDED = "voided", _("Voided")

    class SignatureMethod(models.TextChoices):
        WET_INK = "wet_ink", _("Wet-ink signature (scan of the signed paper)")
        ELECTRONIC = "electronic", _("Electronic signature (PAdES)")

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    series = models.ForeignKey(NumberSeries, on_delete=models.PROTECT, verbose_name=_("number series"))
    title = models.CharField(_("title"), max_length=500)
    # Only this office, or a user holding a recorded delegation from it, issues and voids it.
    signatory = models.CharField(
        _("issued in the name of"), max_length=20, choices=Office.choices, default="", editable=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    paper = models.CharField(_("paper"), max_length=2, choices=Paper.choices, default=Paper.A4)
    # What the author wrote (the document's fields without letterhead, number or QR code).
    draft_data = models.JSONField(_("draft"), default=dict)
    # Every printed value at issue time; the stored PDF was rendered from this and only this.
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    number = models.CharField(_("number"), max_length=120, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True, editable=False)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # The delegation the issuer acted on, when they do not hold the office themselves.
    issued_on_delegation = models.ForeignKey(
        "registry.Delegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        editable=False,
        verbose_name=_("issued on the delegation"),
    )
    file = models.FileField(_("PDF"), upload_to="official/%Y/", blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    # Printed beside the QR code; the public verification page is found by it.
    verification_code = models.CharField(_("verification code"), max_length=9, unique=True, editable=False)
    # The signed original: the act itself. The issued file above is what went to the signatory;
    # this is the scan of the paper they signed, or the issued file with their electronic
    # signature added (registry/official/signed.py). Both stay stored and downloadable.
    signature_method = models.CharField(
        _("signature"), max_length=12, choices=SignatureMethod.choices, blank=True, editable=False
    )
    signed_file = models.FileField(_("signed original"), upload_to="official/signed/%Y/", blank=True, editable=False)
    signed_sha256 = models.CharField(_("SHA-256 of the signed original"), max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True, editable=False)
    signed_recorded_at = models.DateTimeField(_("signature recorded at"), null=True, blank=True, editable=False)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # What validating an electronic signature found (signer, time, integrity, trust, whether it
    # signs the issued file), as of the signing; the public page validates it again.
    signature_report = models.JSONField(_("signature validation"), null=True, blank=True, editable=False)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("replaces")
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)
    voided_on_delegation = models.ForeignKey(
        "registry.Delegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voided_documents",
        editable=False,
        verbose_name=_("voided on the delegation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            # A number is given once per series and year.
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="official_number_once"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(number="") & models.Q(snapshot__isnull=False),
                name="official_issued_has_number_and_snapshot",
            ),
            # A signed document keeps its signed original and says how it was signed.
            models.CheckConstraint(
                condition=~models.Q(status="signed") | ~models.Q(signed_sha256="") & ~models.Q(signature_method=""),
                name="official_signed_has_original",
            ),
        ]
        indexes = [
            # The document list, newest first, per status.
            models.Index(fields=["status", "-created_at"], name="official_by_status"),
            # awaiting_signature(): issued documents still waiting for their signed original, oldest first.
            models.Index(
                fields=["issue_date", "issued_at"],
                name="official_awaiting_signature",
                condition=models.Q(status="issued"),
            ),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")

    def __str__(self):
        return f"{self.number or _('(draft)')} {self.title}"

    def get_absolute_url(self):
        return reverse("registry:official_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_rendered(self) -> bool:
        return bool(self.file) and bool(self.sha256)

    @property
    def in_force(self) -> bool:
        """Issued (signed or waiting for its signature) and not voided."""
        return self.status in IN_FORCE

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_sha256)


# The statuses of a document that is issued and not voided: whatever an issued act allows (a
# Berita Acara's decisions, a request letter's receipt) it allows before and after its signing.
IN_FORCE = (OfficialDocument.Status.ISSUED, OfficialDocument.Status.SIGNED)


class RenderJob(ChoiceLabels, models.Model):
    """A PDF rendered by a Celery task (an issued document, or the preview of a long draft),
    with its progress for the page that waits on it."""

    class Purpose(models.TextChoices):
        ISSUED = "issued", _("Issued document")
        PREVIEW = "preview", _("Preview of a draft")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="render_jobs")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="renders/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job was last handed to the broker; a job still queued a while later is handed
    # over again (kerjasama/jobs.py).
    queued_at = models.DateTimeField(default=timezone.now)
    # Until when the worker that claimed the job holds it; past it, the job is taken back.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id holding the claim: the same task retried or re-delivered takes it again.
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweeper: jobs still queued or running, oldest first.
            models.Index(
                fields=["state", "queued_at"],
                name="renderjob_waiting",
                condition=models.Q(state__in=["queued", "running"]),
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.document_id} {self.purpose} {self.state} {self.progress}%"


class TkksdMember(ChoiceLabels, models.Model):
    """A member of the Tim Koordinasi Kerja Sama Daerah, as the Keputusan Bupati on the team lists them."""

    class TeamRole(models.TextChoices):
        PENGARAH = "pengarah", _("Adviser (pengarah)")
        KETUA = "ketua", _("Chair (ketua)")
        WAKIL_KETUA = "wakil_ketua", _("Vice-chair (wakil ketua)")
        SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
        ANGGOTA = "anggota", _("Member (anggota)")

    name = models.CharField(_("name"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("position (jabatan)"), max_length=255)
    team_role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices)
    opd = models.ForeignKey(
        "registry.OPD", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("OPD")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The member's account, if they have one: the active chair's account holds the office of the
    # Ketua TKKSD and issues the Berita Acara (set by Admin).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tkksd_memberships",
        verbose_name=_("account"),
    )
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("TKKSD member")
        verbose_name_plural = _("TKKSD members")

    def __str__(self):
        return f"{self.name} ({self.get_team_role_display()})"


class Delegation(ChoiceLabels, models.Model):
    """A recorded delegation of an office's authority to issue (and void) documents of some kinds,
    for a period, on a letter (e.g. the Ketua TKKSD delegating the Berita Acara to the Kepala
    Bagian Kerja Sama). Recorded by Admin."""

    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("delegate")
    )
    office = models.CharField(_("office delegating"), max_length=20, choices=Office.choices)
    # DocumentKind values the delegate may issue in the office's name.
    document_kinds = models.JSONField(_("document kinds"), default=list)
    valid_from = models.DateField(_("valid from"), validators=[validate_plausible_date])
    valid_until = models.DateField(_("valid until"), validators=[validate_plausible_date])
    letter_number = models.CharField(_("delegation letter number"), max_length=100)
    letter_date = models.DateField(_("delegation letter date"), validators=[validate_plausible_date])
    # Ended before its term (the letter was revoked); the delegation then no longer applies.
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="delegation_period_in_order"
            ),
        ]
        indexes = [
            # Whether a user may issue a kind today: their delegations by office and period.
            models.Index(fields=["delegate", "office", "valid_until"], name="delegation_of_user"),
        ]
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return f"{self.get_office_display()} → {self.delegate} ({self.letter_number})"

    def covers(self, kind: str, day) -> bool:
        """Whether it lets its delegate act for `kind` on `day` (an ended delegation no longer does)."""
        if self.ended_on is not None and day >= self.ended_on:
            return False
        return kind in self.document_kinds and self.valid_from <= day <= self.valid_until

    @property
    def kinds_display(self) -> str:
        labels = dict(DocumentKind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in self.document_kinds)
