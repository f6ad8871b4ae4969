"""Documents filed on an agreement: drafts and signed scans, PDF only, versioned, never deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels
from kerjasama.validators import validate_plausible_date


class DocumentType(models.TextChoices):
    """The documents the procedure names (docs/domain.md §2)."""

    SURAT_INISIASI = "surat_inisiasi", _("Initiation letter from the OPD head (surat inisiasi)")
    KAK = "kak", _("Terms of reference (KAK)")
    STUDI_KELAYAKAN = "studi_kelayakan", _("Feasibility study (studi kelayakan)")
    ANALISIS_MANFAAT_BIAYA = "analisis_manfaat_biaya", _("Cost-benefit analysis")
    KAJIAN_TKKSD = "kajian_tkksd", _("TKKSD review and recommendation (kajian)")
    SURAT_PENAWARAN = "surat_penawaran", _("Offer letter (surat penawaran)")
    DRAF_KB = "draf_kb", _("Draft Kesepakatan Bersama (KB)")
    KB = "kb", _("Kesepakatan Bersama (KB)")
    RENCANA_KERJA_SAMA = "rencana_kerja_sama", _("Cooperation plan (rencana kerja sama)")
    SURAT_PERMOHONAN_DPRD = "surat_permohonan_dprd", _("Request for DPRD approval")
    KEPUTUSAN_DPRD = "keputusan_dprd", _("DPRD decision (Keputusan DPRD)")
    DRAF_PKS = "draf_pks", _("Draft Perjanjian Kerja Sama (PKS)")
    SURAT_KUASA = "surat_kuasa", _("Power of attorney (surat kuasa)")
    PKS = "pks", _("Perjanjian Kerja Sama (PKS)")
    DRAF_NK_RK = "draf_nk_rk", _("Draft Nota Kesepakatan and Rencana Kerja")
    NK_RK = "nk_rk", _("Nota Kesepakatan (NK) and Rencana Kerja (RK)")
    LOI = "loi", _("Letter of intent (LoI)")
    PERTIMBANGAN_MENDAGRI = "pertimbangan_mendagri", _("Consideration letter of the Minister of Home Affairs")
    KONFIRMASI_KEMLU = "konfirmasi_kemlu", _("Confirmation letter of the Ministry of Foreign Affairs")
    NASKAH = "naskah", _("Agreement text (naskah kerja sama)")
    DRAF_ADDENDUM = "draf_addendum", _("Draft addendum")
    ADDENDUM = "addendum", _("Addendum")
    LAPORAN = "laporan", _("Report")
    BERITA_ACARA = "berita_acara", _("Minutes (berita acara)")
    LAINNYA = "lainnya", _("Other")


def document_upload_to(instance, filename):
    # Never the user's file name on disk: a random name avoids collisions and odd characters.
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}.pdf"


class AgreementDocument(ChoiceLabels, models.Model):
    agreement = models.ForeignKey("registry.Agreement", on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    is_signed = models.BooleanField(_("signed scan"), default=False)
    number = models.CharField(_("number"), max_length=100, blank=True)
    partner_number = models.CharField(_("partner's number"), max_length=100, blank=True)
    date = models.DateField(_("document date"), null=True, blank=True, validators=[validate_plausible_date])
    file = models.FileField(_("file (PDF)"), upload_to=document_upload_to)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    # Checklist for a signed scan (docs/domain.md §4): initials on every page, duty stamp, seal.
    has_paraf = models.BooleanField(_("initialled (paraf) on every page"), default=False)
    has_materai = models.BooleanField(_("duty stamp (meterai)"), default=False)
    has_stempel = models.BooleanField(_("official seal (stempel)"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Shown on the public register: decided by the TKKSD; empty follows the default, public for a
    # signed KB, PKS, NK/RK, naskah or addendum (registry/publication.py). Never an unsigned one.
    public = models.BooleanField(_("on the public register"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "doc_type", "version"], name="document_version_once"),
        ]
        indexes = [
            # The agreement page's document list and the lifecycle's "is it there" checks.
            models.Index(fields=["agreement", "doc_type", "-version"], name="document_latest"),
        ]
        ordering = ["doc_type", "-version"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self):
        return f"{self.get_doc_type_display()} v{self.version}"

    def get_absolute_url(self):
        return reverse("registry:document_download", args=[self.pk])

    @property
    def checklist_complete(self) -> bool:
        return self.has_paraf and self.has_materai and self.has_stempel


class DprdApproval(ChoiceLabels, models.Model):
    """A request for the DPRD's approval of one agreement, and the DPRD's answer (PP 28/2018 Pasal 6(2), 30)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the DPRD")
        APPROVED = "approved", _("Approved")
        APPROVED_WITH_NOTES = "approved_with_notes", _("Approved with notes")
        REJECTED = "rejected", _("Rejected")
        DEEMED_APPROVED = "deemed_approved", _("Deemed approved (no answer by the deadline)")
        WITHDRAWN = "withdrawn", _("Withdrawn by the Pemda")

    agreement = models.ForeignKey("registry.Agreement", on_delete=models.PROTECT, related_name="dprd_approvals")
    # The request letter issued in the app (registry/dprd.py); empty for a letter sent outside it.
    # While the letter is a draft the request is being prepared: nothing has reached the DPRD.
    request_letter = models.ForeignKey(
        "registry.OfficialDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dprd_requests",
        verbose_name=_("request letter"),
    )
    request_number = models.CharField(_("request letter number"), max_length=100, blank=True)
    # The day the letter went out (issued in the app, or sent outside it).
    sent_on = models.DateField(_("sent on"), null=True, blank=True, validators=[validate_plausible_date])
    # PP 28/2018 Pasal 30(4): the DPRD's term runs from the day it receives the letter, as its
    # agenda of incoming letters (agenda surat masuk) records it.
    received_on = models.DateField(
        _("received by the DPRD on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    agenda_number = models.CharField(_("DPRD agenda number"), max_length=100, blank=True)
    # The last working day of the DPRD's legal term (registry.dprd.deadline_for), stored when the
    # DPRD receives the request so that the queue, the reminders and the silence rule read it.
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_number = models.CharField(_("DPRD decision number"), max_length=100, blank=True)
    decision_date = models.DateField(
        _("DPRD decision date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    # Working days from receipt to the answer (registry.dprd.answer_workdays), stored with the answer
    # so that the overview averages them per year in the database.
    answer_workdays = models.PositiveIntegerField(
        _("answered after (working days)"), null=True, blank=True, editable=False
    )
    decision_letter = models.ForeignKey(
        AgreementDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DPRD decision letter"),
    )
    reasons = models.TextField(_("notes or reasons"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every change to the request (sent, received, answered, its due date) moves it: the dashboard
    # reads its latest value to know whether its stored figures still hold (monitoring/dashboard.py).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    APPROVING = (Decision.APPROVED, Decision.APPROVED_WITH_NOTES, Decision.DEEMED_APPROVED)

    class Meta:
        constraints = [
            # At most one open request per agreement.
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(decision="pending"), name="dprd_one_open_request"
            ),
        ]
        indexes = [
            # Open requests by the day they were received: the overview's waiting times.
            models.Index(fields=["decision", "received_on"], name="dprd_queue"),
            # The queue by urgency, the deadline reminders and the daily silence scan; with the id,
            # the order of the work queue and the calendar feed (deadline, then id) is read from it
            # and stops at the rows shown, however many requests share a deadline.
            models.Index(fields=["decision", "due_on", "id"], name="dprd_due"),
            models.Index(fields=["-updated_at"], name="dprd_changed"),
        ]
        ordering = ["-created_at"]
        verbose_name = _("DPRD approval")
        verbose_name_plural = _("DPRD approvals")

    def __str__(self):
        return f"{self.agreement} · {self.get_decision_display()}"

    def get_absolute_url(self):
        return reverse("registry:dprd_detail", args=[self.pk])

    @property
    def approves(self) -> bool:
        return self.decision in self.APPROVING

    @property
    def is_open(self) -> bool:
        """Received by the DPRD and not yet answered."""
        return self.decision == self.Decision.PENDING and self.received_on is not None

    @property
    def in_preparation(self) -> bool:
        """The request letter is still a draft: nothing has been sent to the DPRD."""
        return self.decision == self.Decision.PENDING and self.received_on is None and self.sent_on is None

    @property
    def awaiting_receipt(self) -> bool:
        """Sent, but the day the DPRD received it is not recorded yet: no deadline runs."""
        return self.decision == self.Decision.PENDING and self.received_on is None and self.sent_on is not None
