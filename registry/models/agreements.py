"""Agreements (kerja sama), their partners, documents and stage transitions.

The stage graph lives in registry/lifecycle.py; `Agreement.stage` is written only there.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels
from kerjasama.validators import validate_plausible_date


class Kind(models.TextChoices):
    """The kinds of cooperation (PP 28/2018 Pasal 1 and 3; sinergi per Pasal 46)."""

    KSDD = "ksdd", _("KSDD: with another region")
    KSDPK = "ksdpk", _("KSDPK: with a third party")
    KSDPL = "ksdpl", _("KSDPL: with a foreign local government")
    KSDLL = "ksdll", _("KSDLL: with a foreign institution")
    SINERGI = "sinergi", _("Sinergi with the central government")


class Stage(models.TextChoices):
    """Every stage of every kind; registry/lifecycle.py says which kind uses which, in order."""

    # KSDD and KSDPK (PP 28/2018 Pasal 6(1), 19(1)); sinergi shares most of them.
    PERSIAPAN = "persiapan", _("Preparation")
    PENAWARAN = "penawaran", _("Offer")
    PENYUSUNAN_KB = "penyusunan_kb", _("Drafting the Kesepakatan Bersama (KB)")
    PENANDATANGANAN_KB = "penandatanganan_kb", _("Signing the Kesepakatan Bersama (KB)")
    PERSETUJUAN_DPRD = "persetujuan_dprd", _("DPRD approval")
    PENYUSUNAN_PKS = "penyusunan_pks", _("Drafting the Perjanjian Kerja Sama (PKS)")
    PENANDATANGANAN_PKS = "penandatanganan_pks", _("Signing the Perjanjian Kerja Sama (PKS)")
    # Sinergi (seed 004).
    PENYUSUNAN_NK_RK = "penyusunan_nk_rk", _("Drafting the Nota Kesepakatan (NK) and Rencana Kerja (RK)")
    PENANDATANGANAN_NK_RK = (
        "penandatanganan_nk_rk",
        _("Signing the Nota Kesepakatan (NK) and Rencana Kerja (RK)"),
    )
    # KSDPL and KSDLL (PP 28/2018 Pasal 28-43).
    PRAKARSA = "prakarsa", _("Initiative")
    PENJAJAKAN = "penjajakan", _("Exploration")
    KOORDINASI_PUSAT = "koordinasi_pusat", _("Coordination with the Ministers of Home and Foreign Affairs")
    PENANDATANGANAN_LOI = "penandatanganan_loi", _("Signing the letter of intent (LoI)")
    PENYUSUNAN_RENCANA = "penyusunan_rencana", _("Drafting the cooperation plan")
    PERTIMBANGAN_MENDAGRI = "pertimbangan_mendagri", _("Consideration by the Minister of Home Affairs")
    PERSETUJUAN_NASKAH = "persetujuan_naskah", _("Approval of the draft text")
    KONFIRMASI_KEMLU = "konfirmasi_kemlu", _("Confirmation by the Ministry of Foreign Affairs")
    PENANDATANGANAN_NASKAH = "penandatanganan_naskah", _("Signing the agreement text")
    # Shared by every kind once signed.
    PELAKSANAAN = "pelaksanaan", _("Implementation")
    PENATAUSAHAAN = "penatausahaan", _("Record keeping (penatausahaan)")
    PELAPORAN = "pelaporan", _("Reporting")
    # Ends.
    BERAKHIR = "berakhir", _("Ended")
    DITOLAK = "ditolak", _("Rejected")
    DIBATALKAN = "dibatalkan", _("Withdrawn")


# The stages an agreement is prepared in: not yet signed and running, not ended (registry/lifecycle.py's
# ACTIVE_STAGES and CLOSED_STAGES left out), spelled out here for the index of the work queue.
PREPARING_STAGES = tuple(
    stage
    for stage in Stage.values
    if stage
    not in {
        Stage.PELAKSANAAN,
        Stage.PENATAUSAHAAN,
        Stage.PELAPORAN,
        Stage.BERAKHIR,
        Stage.DITOLAK,
        Stage.DIBATALKAN,
    }
)


class EndReason(models.TextChoices):
    """PP 28/2018 Pasal 9(1) a-e and, for KSDPK, Pasal 22(2) a-b."""

    TERM_EXPIRED = "term_expired", _("The term has expired")
    OBJECTIVE_ACHIEVED = "objective_achieved", _("The objective has been achieved")
    MUTUAL_AGREEMENT = "mutual_agreement", _("The parties agreed to end it")
    LAW_CHANGED = "law_changed", _("A change of law makes it impossible")
    OBJECT_LOST = "object_lost", _("The object is lost or destroyed")
    COURT_DECISION = "court_decision", _("A final court decision (KSDPK)")
    PARTNER_BANKRUPT = "partner_bankrupt", _("The third party was declared bankrupt (KSDPK)")


class KsddNature(models.TextChoices):
    WAJIB = "wajib", _("Mandatory (wajib)")
    SUKARELA = "sukarela", _("Voluntary (sukarela)")


class KsdpkType(models.TextChoices):
    """PP 28/2018 Pasal 15."""

    PELAYANAN_PUBLIK = "a", _("a. Provision of public services")
    PENGELOLAAN_ASET = "b", _("b. Asset management")
    INVESTASI = "c", _("c. Investment")
    LAINNYA = "d", _("d. Other")


class CooperationForm(models.TextChoices):
    """The older "bentuk" list (Permendagri 2009 juknis, seed 002): optional and descriptive."""

    PELAYANAN_BERSAMA = "pelayanan_bersama", _("Joint service")
    PELAYANAN_ANTAR_DAERAH = "pelayanan_antar_daerah", _("Inter-regional service")
    PENGEMBANGAN_SDM = "pengembangan_sdm", _("Human resource development")
    PELAYANAN_RETRIBUSI = "pelayanan_retribusi", _("Service paid by a levy (retribusi)")
    PERENCANAAN_PENGURUSAN = "perencanaan_pengurusan", _("Planning and management")
    PEMBELIAN_PELAYANAN = "pembelian_pelayanan", _("Purchase of service provision")
    PERTUKARAN_LAYANAN = "pertukaran_layanan", _("Exchange of services")
    PEMANFAATAN_PERALATAN = "pemanfaatan_peralatan", _("Shared use of equipment")
    KEBIJAKAN_PENGATURAN = "kebijakan_pengaturan", _("Policy and regulation")
    KONTRAK_PELAYANAN = "kontrak_pelayanan", _("Service contract")
    KONTRAK_BANGUN = "kontrak_bangun", _("Build contract")
    KONTRAK_REHABILITASI = "kontrak_rehabilitasi", _("Rehabilitation contract")
    KONTRAK_PATUNGAN = "kontrak_patungan", _("Joint venture contract")


class CooperationModel(models.TextChoices):
    """Cooperation model (seeds 000 and 002)."""

    HANDSHAKE = "handshake", _("Handshake")
    FEE_FOR_SERVICE = "fee_for_service", _("Fee for service")
    JOINT_AGREEMENT = "joint_agreement", _("Joint agreement")
    JOINT_AUTHORITY = "joint_authority", _("Jointly formed authority (sekretariat bersama)")
    REGIONAL_BODY = "regional_body", _("Regional body")


class PlanException(models.TextChoices):
    """Why an object outside the RPJMD/RKPD may still be cooperated on (PP 28/2018 Pasal 4(3), 16(3))."""

    DARURAT = "darurat", _("An emergency (keadaan darurat)")
    STRATEGIS_NASIONAL = "strategis_nasional", _("A national strategic programme or project")
    TUGAS_PEMBANTUAN = "tugas_pembantuan", _("Tugas pembantuan")


class Relation(models.TextChoices):
    """How an agreement follows another one."""

    PKS_OF_KB = "pks_of_kb", _("PKS following a Kesepakatan Bersama")
    ADDENDUM = "addendum", _("Addendum")
    EXTENSION = "extension", _("Extension (perpanjangan)")
    RENEWAL = "renewal", _("Renewal")


class Agreement(ChoiceLabels, models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, editable=False)
    # Internal register number, "KS-2026-00012": given once, never reused.
    register_number = models.CharField(_("register number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    object = models.TextField(_("object (objek)"))
    scope = models.TextField(_("scope (ruang lingkup)"), blank=True)
    # The rencana kerja sama the DPRD is asked to approve (PP 28/2018 Pasal 30(3), docs/domain.md §3)
    # also states why, what for and what is to be reached (registry/dprd.py: plan_sections).
    background = models.TextField(_("background (latar belakang)"), blank=True, max_length=4000)
    purpose = models.TextField(_("purpose (maksud)"), blank=True, max_length=4000)
    objectives = models.TextField(_("objectives and targets (tujuan dan sasaran)"), blank=True, max_length=4000)
    urusan = models.ForeignKey(
        "registry.Urusan", on_delete=models.PROTECT, verbose_name=_("government affair (urusan)")
    )
    ksdd_nature = models.CharField(_("KSDD nature"), max_length=10, choices=KsddNature.choices, blank=True)
    ksdpk_type = models.CharField(_("KSDPK type"), max_length=1, choices=KsdpkType.choices, blank=True)
    form = models.CharField(_("form (bentuk)"), max_length=30, choices=CooperationForm.choices, blank=True)
    model = models.CharField(_("model"), max_length=20, choices=CooperationModel.choices, blank=True)
    lead_opd = models.ForeignKey(
        "registry.OPD", on_delete=models.PROTECT, related_name="led_agreements", verbose_name=_("lead OPD")
    )
    other_opds = models.ManyToManyField(
        "registry.OPD", blank=True, related_name="involved_agreements", verbose_name=_("other OPD involved")
    )
    partners = models.ManyToManyField(
        "registry.Partner", through="AgreementPartner", related_name="agreements", verbose_name=_("partners")
    )
    value = models.DecimalField(
        _("value (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    # PP 28/2018 Pasal 6(2): the two reasons that make DPRD approval necessary for KSDD/KSDPK.
    burdens_community = models.BooleanField(_("burdens the community and the region"), default=False)
    not_yet_budgeted = models.BooleanField(_("funding not yet budgeted in this year's APBD"), default=False)
    burden_justification = models.TextField(_("explanation of the burden"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_plausible_date])
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_plausible_date])
    # PP 28/2018 Pasal 4(3): the object comes from the RPJMD/RKPD, or one of the exceptions, with its basis.
    rpjmd_reference = models.CharField(_("RPJMD/RKPD reference"), max_length=255, blank=True)
    plan_exception = models.CharField(
        _("exception to the RPJMD/RKPD"), max_length=20, choices=PlanException.choices, blank=True
    )
    plan_exception_basis = models.TextField(_("basis of the exception"), blank=True)
    # domain.md §7: a term beyond KSD_MAX_TERM_YEARS is saved only with this reason (registry/terms.py).
    long_term_reason = models.TextField(_("reason for a term beyond the usual limit"), blank=True)
    # The term in months with the agreements it extends (registry/terms.py), kept for the dashboard.
    term_months = models.PositiveIntegerField(_("term in months"), null=True, blank=True, editable=False)
    own_number = models.CharField(_("our document number"), max_length=100, blank=True)
    partner_number = models.CharField(_("partner's document number"), max_length=100, blank=True)
    own_signatory = models.CharField(_("our signatory"), max_length=200, blank=True)
    partner_signatory = models.CharField(_("partner's signatory"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=30, choices=EndReason.choices, blank=True)
    # Mandatory PKS contents ticked so far (codes from registry/clauses.py) and the legal
    # analysis that must precede signing (seed 003).
    pks_clauses = models.JSONField(_("PKS clauses present"), default=list, blank=True)
    legal_analysis = models.TextField(_("legal analysis"), blank=True)
    # Title, object, partners and numbers in one text, for full-text search (registry/search.py).
    search_document = models.TextField(editable=False, blank=True)
    # The partners' names as the list prints them, kept with search_document (registry/search.py),
    # so that the busiest page reads one row per agreement and no partner table.
    partner_names = models.TextField(_("partners"), editable=False, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), editable=False)
    # Kept for "Perlu perhatian" (registry/attention.py, monitoring.services.refresh_last_report).
    kb_signed_on = models.DateField(_("KB signed on"), default=timezone.localdate, editable=False)
    last_report_period = models.DateField(_("latest accepted report"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    # Shown on the public register (UU 14/2008 Pasal 11(1)): decided by the TKKSD; empty follows
    # the default, public once signed (registry/publication.py). Nothing unsigned is ever shown.
    public = models.BooleanField(_("on the public register"), null=True, blank=True, editable=False)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["search_document", "partner_names", "updated_at", "term_months"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, relation="")
                | models.Q(parent__isnull=False) & ~models.Q(relation=""),
                name="agreement_parent_has_relation",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="berakhir") | ~models.Q(end_reason=""),
                name="agreement_ended_has_reason",
            ),
        ]
        indexes = [
            # Default list order (newest first) and keyset-free pagination over it.
            models.Index(fields=["-updated_at", "-id"], name="agreement_recent"),
            # Filters by stage and kind, and the dashboard's counts.
            models.Index(fields=["stage", "kind"], name="agreement_stage_kind"),
            # Expiry windows (status filter, reminders): active agreements by end date.
            models.Index(fields=["end_date", "stage"], name="agreement_end_date"),
            # PPKSD scope: an OPD's agreements.
            models.Index(fields=["lead_opd", "-updated_at"], name="agreement_lead_opd"),
            models.Index(fields=["start_date"], name="agreement_start_date"),
            # The list sorted by title, and the year's evaluations, listed by their agreement's title
            # (monitoring.selectors.evaluation_list): read in order, not sorted whole.
            models.Index(fields=["title", "id"], name="agreement_title"),
            # The work queue: agreements being prepared, longest in their stage first (stuck ones,
            # an OPD's stages to act on).
            models.Index(
                fields=["stage_changed_at"],
                name="agreement_preparing_since",
                condition=models.Q(stage__in=PREPARING_STAGES),
            ),
            # A PPKSD's work queue (kerjasama/workqueue.py): the OPD's running agreements, newest
            # first (reports and evaluations owed), and those it prepares, longest in their stage
            # first. Read in order and stopped at the queue's cap: the same work at any data size.
            models.Index(
                fields=["lead_opd", "-updated_at", "-id"],
                name="agreement_opd_running",
                condition=models.Q(stage__in=["pelaksanaan", "penatausahaan", "pelaporan"]),
            ),
            models.Index(
                fields=["lead_opd", "stage_changed_at", "id"],
                name="agreement_opd_preparing",
                condition=models.Q(stage__in=PREPARING_STAGES),
            ),
            # The same queue's count of the OPD's agreements at the stages where it acts: read from
            # the index alone, not from the rows of every agreement the OPD prepares.
            models.Index(fields=["lead_opd", "stage", "id"], name="agreement_opd_stage"),
            # "Perlu perhatian" (registry/attention.py): running agreements by the start of their
            # silence, and KBs waiting for a PKS by the day they were signed.
            models.Index(
                fields=["start_date", "last_report_period"],
                name="agreement_running_reports",
                condition=models.Q(stage__in=["pelaksanaan", "penatausahaan", "pelaporan"]),
            ),
            # Running agreements past their end date, oldest end first (the same page).
            models.Index(
                fields=["end_date", "id"],
                name="agreement_running_end",
                condition=models.Q(stage__in=["pelaksanaan", "penatausahaan", "pelaporan"]),
            ),
            # Terms beyond the usual limit (monitoring.selectors.long_term_q): few, found by range.
            models.Index(fields=["term_months"], name="agreement_term_months"),
            models.Index(
                fields=["kb_signed_on"],
                name="agreement_kb_signed",
                condition=models.Q(
                    kind__in=["ksdd", "ksdpk"],
                    stage__in=["persetujuan_dprd", "penyusunan_pks", "penandatanganan_pks"],
                ),
            ),
        ]
        ordering = ["-updated_at", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:agreement_detail", args=[self.pk])

    @property
    def dprd_required(self) -> bool:
        """PP 28/2018 Pasal 6(2) and 30(1): always for KSDPL/KSDLL, else when a reason holds."""
        if self.kind in (Kind.KSDPL, Kind.KSDLL):
            return True
        return self.burdens_community or self.not_yet_budgeted

    @property
    def ended_on(self):
        """The day it ended, once it has (registry/status.py ended_on_for)."""
        from ..status import ended_on_for

        return ended_on_for(self.stage, self.end_date, self.end_reason, self.stage_changed_at)

    @property
    def opd_id(self):
        """The OPD the agreement belongs to, for the object-level rules."""
        return self.lead_opd_id


class AgreementPartner(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey("registry.Partner", on_delete=models.PROTECT, related_name="agreement_links")
    # Who signs for the partner, when it differs per agreement.
    signatory = models.CharField(_("signatory"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "partner"], name="agreement_partner_once"),
        ]
        verbose_name = _("agreement partner")
        verbose_name_plural = _("agreement partners")

    def __str__(self):
        return str(self.partner)


class Transition(ChoiceLabels, models.Model):
    """An append-only record of one stage change: who, when, from, to, why, on which document."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=30, choices=Stage.choices)
    # Null when the system moved it (natural end, deemed DPRD approval).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    # The legal date of the step when it is not the day it was recorded (e.g. deemed approval).
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "registry.AgreementDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        indexes = [
            # The detail page's timeline.
            models.Index(fields=["agreement", "at"], name="transition_timeline"),
            # The work queue's DPRD answers not yet followed up: the moves out of the DPRD stage.
            models.Index(
                fields=["agreement", "at"],
                name="transition_from_dprd",
                condition=models.Q(from_stage="persetujuan_dprd"),
            ),
        ]
        ordering = ["at", "pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self):
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"
