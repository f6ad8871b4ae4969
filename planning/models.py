"""The yearly planning of regional cooperation (docs/domain.md §6): mapping cycles, PPKSD
appointments, potentials, proposals, the TKKSD plenary and the programme decree.

Statuses are written only by planning/services.py; these models hold data and the invariants
of single rows. Other apps read `Plenary` (date, status, cycle) for their reminders.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kerjasama.choices import ChoiceLabels
from kerjasama.validators import validate_plausible_date
from registry.models import CooperationForm, CooperationModel, Kind, KsddNature, KsdpkType, PlanException


class StrategicIssue(models.TextChoices):
    """The strategic issue categories of the mapping questionnaire (seed 001)."""

    PELAYANAN_PUBLIK = "pelayanan_publik", _("Public services")
    KAWASAN_PERBATASAN = "kawasan_perbatasan", _("Border areas")
    TATA_RUANG = "tata_ruang", _("Spatial planning")
    PENANGGULANGAN_BENCANA = "penanggulangan_bencana", _("Disaster management")
    POTENSI_KONFLIK = "potensi_konflik", _("Potential for conflict")
    KEMISKINAN_EKSTREM = "kemiskinan_ekstrem", _("Extreme poverty")
    INFLASI = "inflasi", _("Inflation")
    DISPARITAS_PEMBANGUNAN = "disparitas_pembangunan", _("Development disparity")
    LAINNYA = "lainnya", _("Other")


class MandatoryBasis(models.TextChoices):
    """PP 28/2018 Pasal 3(2): why a cooperation with another region is mandatory (KSDD wajib)."""

    EXTERNALITY = "externality", _("Cross-border externality")
    EFFICIENCY = "efficiency", _("A public service more efficient together")


SCHEDULE_ORDER = _(
    "The schedule must run in order: socialisation, OPD coordination meetings, deadline for proposals, plenary."
)


class Cycle(ChoiceLabels, models.Model):
    """A year's mapping of potentials, from the announcement to the programme decree."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed: programme fixed")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    socialisation_date = models.DateField(_("socialisation (sosialisasi)"), validators=[validate_plausible_date])
    coordination_start = models.DateField(_("OPD coordination meetings from"), validators=[validate_plausible_date])
    coordination_end = models.DateField(_("OPD coordination meetings until"), validators=[validate_plausible_date])
    submission_deadline = models.DateField(_("deadline for proposals"), validators=[validate_plausible_date])
    plenary_date = models.DateField(_("planned plenary date"), validators=[validate_plausible_date])
    notes = models.TextField(_("notes"), blank=True)
    # The Keputusan Bupati on the Rencana Program dan Kegiatan KSD: a draft until Pimpinan issues it.
    decree = models.OneToOneField(
        "registry.OfficialDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("programme decree (SK Bupati)"),
    )
    # The TKKSD officer who last drafted the decree: the agreements are filed in their name when
    # the issuing Pimpinan does not file agreements.
    programme_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(coordination_end__gte=models.F("coordination_start")),
                name="cycle_coordination_in_order",
                violation_error_message=SCHEDULE_ORDER,
            ),
            models.CheckConstraint(
                condition=models.Q(plenary_date__gte=models.F("submission_deadline")),
                name="cycle_plenary_after_deadline",
                violation_error_message=SCHEDULE_ORDER,
            ),
        ]
        ordering = ["-year"]
        verbose_name = _("mapping cycle")
        verbose_name_plural = _("mapping cycles")

    def __str__(self):
        return str(_("Mapping cycle %(year)s") % {"year": self.year})

    def get_absolute_url(self):
        return reverse("planning:cycle_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Appointment(models.Model):
    """The letter (SK Kepala OPD, seed 001) appointing a PPKSD account as its OPD's liaison officer.

    What a PPKSD may see is decided by the account (its OPD and the PPKSD group); this row records
    the appointment, and an OPD with fewer active appointments than MIN_PPKSD_PER_OPD is flagged.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ppksd_appointments", verbose_name=_("PPKSD")
    )
    opd = models.ForeignKey(
        "registry.OPD", on_delete=models.PROTECT, related_name="ppksd_appointments", verbose_name=_("OPD")
    )
    letter_number = models.CharField(_("appointment letter number"), max_length=100)
    letter_date = models.DateField(_("appointment letter date"), validators=[validate_plausible_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    end_reason = models.CharField(_("why it ended"), max_length=255, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        constraints = [
            # One running appointment per officer; an ended one stays as history.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(ended_on__isnull=True), name="appointment_one_running"
            ),
        ]
        indexes = [
            # The per-OPD counts of running appointments (cycle progress, the flag).
            models.Index(fields=["opd", "ended_on"], name="appointment_opd_running"),
        ]
        ordering = ["opd__name", "user__first_name", "pk"]
        verbose_name = _("PPKSD appointment")
        verbose_name_plural = _("PPKSD appointments")

    def __str__(self):
        return f"{self.user} · {self.letter_number}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None


class Potential(ChoiceLabels, models.Model):
    """One row of an OPD's mapping questionnaire: what it could cooperate on and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="potentials", verbose_name=_("cycle"))
    opd = models.ForeignKey("registry.OPD", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    urusan = models.ForeignKey(
        "registry.Urusan", on_delete=models.PROTECT, related_name="+", verbose_name=_("government affair (urusan)")
    )
    title = models.CharField(_("potential, in a few words"), max_length=200)
    description = models.TextField(_("what the OPD has or could offer"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    problem = models.TextField(_("the problem it could solve"))
    strategic_issue = models.CharField(_("strategic issue"), max_length=30, choices=StrategicIssue.choices)
    strategic_issue_other = models.CharField(_("other strategic issue"), max_length=200, blank=True)
    candidate_partners = models.TextField(_("candidate partners"))
    candidate_kind = models.CharField(_("likely kind of cooperation"), max_length=10, choices=Kind.choices, blank=True)
    expected_benefit = models.TextField(_("expected benefit"))
    # PP 28/2018 Pasal 3(2); blank for a voluntary cooperation.
    mandatory_basis = models.CharField(
        _("mandatory cooperation (KSDD wajib)"), max_length=15, choices=MandatoryBasis.choices, blank=True
    )
    affected_neighbours = models.CharField(_("neighbouring regions concerned"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(strategic_issue="lainnya") | ~models.Q(strategic_issue_other=""),
                name="potential_other_issue_named",
            ),
        ]
        indexes = [
            # An OPD's potentials in a cycle: the PPKSD's list and the per-OPD counts.
            models.Index(fields=["cycle", "opd"], name="potential_cycle_opd"),
            # The default list order.
            models.Index(fields=["-updated_at", "-id"], name="potential_recent"),
        ]
        ordering = ["-updated_at", "-id"]
        verbose_name = _("potential")
        verbose_name_plural = _("potentials")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:potential_detail", args=[self.pk])

    @property
    def is_mandatory(self) -> bool:
        return bool(self.mandatory_basis)

    @property
    def strategic_issue_label(self) -> str:
        if self.strategic_issue == StrategicIssue.LAINNYA:
            return self.strategic_issue_other
        return str(self.get_strategic_issue_display())


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    PRIORITISED = "prioritised", _("Prioritised")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")
    ADOPTED = "adopted", _("In the programme")


# Bootstrap colours of the status badges.
STATUS_BADGES = {
    ProposalStatus.DRAFT: "secondary",
    ProposalStatus.SUBMITTED: "primary",
    ProposalStatus.RETURNED: "warning",
    ProposalStatus.PRIORITISED: "success",
    ProposalStatus.DEFERRED: "info",
    ProposalStatus.REJECTED: "danger",
    ProposalStatus.ADOPTED: "dark",
}


class Proposal(ChoiceLabels, models.Model):
    """An OPD's proposal (usulan) for a cooperation, grown from one of its potentials."""

    Status = ProposalStatus

    # "U-2026-007": given at creation, never reused.
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("cycle"))
    opd = models.ForeignKey("registry.OPD", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    potential = models.ForeignKey(
        Potential, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("potential")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of cooperation"), max_length=10, choices=Kind.choices)
    ksdd_nature = models.CharField(_("KSDD nature"), max_length=10, choices=KsddNature.choices, blank=True)
    ksdpk_type = models.CharField(_("KSDPK type"), max_length=1, choices=KsdpkType.choices, blank=True)
    form = models.CharField(_("form (bentuk)"), max_length=30, choices=CooperationForm.choices, blank=True)
    model = models.CharField(_("model"), max_length=20, choices=CooperationModel.choices, blank=True)
    urusan = models.ForeignKey(
        "registry.Urusan", on_delete=models.PROTECT, related_name="+", verbose_name=_("government affair (urusan)")
    )
    object = models.TextField(_("object (objek)"))
    partners = models.ManyToManyField(
        "registry.Partner", blank=True, related_name="+", verbose_name=_("candidate partners")
    )
    other_candidates = models.CharField(_("other candidates, not yet registered"), max_length=255, blank=True)
    benefit = models.TextField(_("benefit"))
    cost_estimate = models.DecimalField(
        _("cost estimate (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding_source = models.CharField(_("funding"), max_length=200, blank=True)
    # PP 28/2018 Pasal 6(2): the two reasons that will make DPRD approval necessary.
    burdens_community = models.BooleanField(_("burdens the community and the region"), default=False)
    not_yet_budgeted = models.BooleanField(_("funding not yet budgeted in the APBD"), default=False)
    burden_justification = models.TextField(_("explanation of the burden"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("proposed duration (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    rpjmd_reference = models.CharField(_("RPJMD/RKPD reference"), max_length=255, blank=True)
    # PP 28/2018 Pasal 4(3): without an RPJMD/RKPD reference, one of the exceptions with its basis.
    plan_exception = models.CharField(
        _("exception to the RPJMD/RKPD"), max_length=20, choices=PlanException.choices, blank=True
    )
    plan_exception_basis = models.TextField(_("basis of the exception"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, editable=False
    )
    # The rank given by the plenary that prioritised it.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    revision_note = models.TextField(_("what to revise"), blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    # The Berita Acara of the plenary that last decided it, and the SK that includes it.
    minutes = models.ForeignKey(
        "registry.OfficialDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("Berita Acara"),
    )
    decree = models.ForeignKey(
        "registry.OfficialDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("SK Bupati"),
    )
    agreement = models.OneToOneField(
        "registry.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        editable=False,
        verbose_name=_("agreement"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["prioritised", "adopted"], rank__isnull=False)
                | ~models.Q(status__in=["prioritised", "adopted"]) & models.Q(rank__isnull=True),
                name="proposal_rank_when_prioritised",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(agreement__isnull=False),
                name="proposal_adopted_has_agreement",
            ),
        ]
        indexes = [
            # Agenda candidates, the programme and the counts of a cycle.
            models.Index(fields=["cycle", "status"], name="proposal_cycle_status"),
            # A PPKSD's list: their OPD's proposals, newest first.
            models.Index(fields=["opd", "-updated_at"], name="proposal_opd_recent"),
            # The default list order.
            models.Index(fields=["-updated_at", "-id"], name="proposal_recent"),
        ]
        ordering = ["-updated_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("planning:proposal_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "secondary")

    @property
    def dprd_required(self) -> bool:
        """The same rule the agreement will follow (PP 28/2018 Pasal 6(2), 30(1))."""
        if self.kind in (Kind.KSDPL, Kind.KSDLL):
            return True
        return self.burdens_community or self.not_yet_budgeted


class ProposalEvent(ChoiceLabels, models.Model):
    """An append-only line of a proposal's path: who moved it, when, from which status to which, why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=12, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ProposalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "registry.OfficialDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self):
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class Plenary(ChoiceLabels, models.Model):
    """A plenary meeting (rapat pleno) of the TKKSD deciding on a cycle's proposals."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="plenaries", verbose_name=_("cycle"))
    # Indexed: reminders look for the meetings coming up.
    date = models.DateField(_("date"), db_index=True, validators=[validate_plausible_date])
    start_time = models.TimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=255)
    chair = models.CharField(_("chaired by"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, editable=False
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    # The Berita Acara issued when the meeting is closed.
    minutes = models.OneToOneField(
        "registry.OfficialDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("Berita Acara"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="scheduled") | models.Q(minutes__isnull=False),
                name="plenary_closed_has_minutes",
            ),
        ]
        indexes = [
            # "Plenary upcoming" reminders: scheduled meetings by date.
            models.Index(fields=["status", "date"], name="plenary_status_date"),
        ]
        ordering = ["-date", "-pk"]
        verbose_name = _("plenary meeting")
        verbose_name_plural = _("plenary meetings")

    def __str__(self):
        return str(_("TKKSD plenary of %(date)s") % {"date": date_format(self.date)})

    def get_absolute_url(self):
        return reverse("planning:plenary_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SCHEDULED


class Decision(models.TextChoices):
    """What a plenary decides on a proposal; each is also the status the proposal takes."""

    PRIORITISED = "prioritised", _("Prioritised")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")


class AgendaItem(ChoiceLabels, models.Model):
    """A proposal on a plenary's agenda, with the decision taken on it."""

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="agenda")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # True while the plenary is open: it mirrors Plenary.status so that the database itself
    # refuses a proposal on two open agendas (the partial unique constraint below).
    is_open = models.BooleanField(default=True, editable=False)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, validators=[MinValueValidator(1)])
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plenary", "proposal"], name="agenda_proposal_once"),
            models.UniqueConstraint(
                fields=["proposal"], condition=models.Q(is_open=True), name="agenda_one_open_plenary"
            ),
            models.UniqueConstraint(
                fields=["plenary", "rank"], condition=models.Q(rank__isnull=False), name="agenda_rank_once"
            ),
            models.CheckConstraint(
                condition=models.Q(decision="prioritised", rank__isnull=False)
                | ~models.Q(decision="prioritised") & models.Q(rank__isnull=True),
                name="agenda_rank_when_prioritised",
            ),
        ]
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.plenary_id}/{self.order}: {self.proposal_id}"


class Attendee(models.Model):
    """A line of a plenary's attendance list: a TKKSD member (from the decree forming the team) or a guest."""

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(
        "registry.TkksdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copied from the member when recorded: the attendance list of a past meeting does not change.
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position or institution"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plenary", "member"], condition=models.Q(member__isnull=False), name="attendee_member_once"
            ),
        ]
        ordering = ["order", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return self.name

    @property
    def is_guest(self) -> bool:
        return self.member_id is None
