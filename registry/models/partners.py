"""Partners: a registry of its own, reused across agreements and kept free of duplicates."""

import re
import unicodedata

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels


class PartnerKind(models.TextChoices):
    REGION = "region", _("Another region (province, regency or city)")
    # Third parties, PP 28/2018 Pasal 14 (with its Penjelasan for business entities).
    INDIVIDUAL = "individual", _("Individual")
    BUMN = "bumn", _("State-owned enterprise (BUMN)")
    BUMD = "bumd", _("Region-owned enterprise (BUMD)")
    COOPERATIVE = "cooperative", _("Cooperative (koperasi)")
    PRIVATE_COMPANY = "private_company", _("Private company")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation (ormas)")
    UNIVERSITY = "university", _("University")
    FOUNDATION = "foundation", _("Foundation (yayasan)")
    # Sinergi, PP 28/2018 Pasal 46.
    MINISTRY = "ministry", _("Ministry or agency (kementerian/lembaga)")
    FOREIGN_GOVERNMENT = "foreign_government", _("Foreign local government")
    FOREIGN_INSTITUTION = "foreign_institution", _("Foreign institution")
    COOPERATION_BODY = "cooperation_body", _("Regional cooperation body (e.g. a sekretariat bersama)")


THIRD_PARTY_KINDS = {
    PartnerKind.INDIVIDUAL,
    PartnerKind.BUMN,
    PartnerKind.BUMD,
    PartnerKind.COOPERATIVE,
    PartnerKind.PRIVATE_COMPANY,
    PartnerKind.CIVIL_SOCIETY,
    PartnerKind.UNIVERSITY,
    PartnerKind.FOUNDATION,
}

# Legal-form words that do not tell two partners apart ("PT Air Bersih Tbk" = "Air Bersih").
_NOISE_WORDS = {"pt", "cv", "tbk", "persero", "perum", "perumda", "pd", "ud", "yayasan", "koperasi", "the"}


def partner_name_key(name: str) -> str:
    """A comparison key for de-duplication: lower case, no accents, punctuation or legal-form words."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(word for word in words if word not in _NOISE_WORDS)


class Partner(ChoiceLabels, models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=255)
    # For a region partner: the province, and the regency or city unless the province itself is the partner.
    province = models.ForeignKey(
        "registry.Province", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    regency = models.ForeignKey(
        "registry.Regency", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("regency or city")
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact = models.CharField(_("contact person, telephone or e-mail"), max_length=255, blank=True)
    registration_number = models.CharField(_("registration number (NIB, deed, NPWP)"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        constraints = [
            # One partner per region: a regency or city once, a province (as itself) once.
            models.UniqueConstraint(
                fields=["regency"], condition=models.Q(regency__isnull=False), name="partner_regency_once"
            ),
            models.UniqueConstraint(
                fields=["province"],
                condition=models.Q(kind="region", regency__isnull=True),
                name="partner_province_once",
            ),
            # Every other partner once per kind and normalised name.
            models.UniqueConstraint(
                fields=["kind", "name_key"], condition=~models.Q(kind="region"), name="partner_name_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="region") | models.Q(province__isnull=False),
                name="partner_region_has_province",
            ),
        ]
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, kept in step with the name on every save.
        self.name_key = partner_name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:partner_detail", args=[self.pk])

    @property
    def is_third_party(self) -> bool:
        return self.kind in THIRD_PARTY_KINDS
