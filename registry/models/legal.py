"""The legal-basis catalogue: the regulations a document cites under "Mengingat", with their
promulgation (Lembaran Negara / Berita Negara / Lembaran Daerah numbers) and their amendments.

Admin edits it (Django admin). Each entry says for which kinds of document it is cited by default;
a drafter adds or removes entries on a draft (registry/official/legal.py builds the printed sentences).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels

from .official import DocumentKind


class RegulationKind(models.TextChoices):
    """In the order of UU 12/2011 Pasal 7 and 8, which is the order they are cited in."""

    UUD = "uud", _("Constitution (UUD 1945)")
    UU = "uu", _("Law (Undang-Undang)")
    PERPU = "perpu", _("Government regulation in lieu of law (Perpu)")
    PP = "pp", _("Government regulation (Peraturan Pemerintah)")
    PERPRES = "perpres", _("Presidential regulation (Peraturan Presiden)")
    PERMENDAGRI = "permendagri", _("Regulation of the Minister of Home Affairs (Permendagri)")
    PERDA_PROVINSI = "perda_provinsi", _("Provincial regulation (Perda Provinsi)")
    PERDA = "perda", _("Regional regulation (Perda)")
    PERBUP = "perbup", _("Regent's regulation (Peraturan Bupati)")


# The printed name of each kind and where it is promulgated: (name, gazette, supplement).
PRINTED_KIND = {
    RegulationKind.UUD: ("Undang-Undang Dasar Negara Republik Indonesia", "", ""),
    RegulationKind.UU: (
        "Undang-Undang",
        "Lembaran Negara Republik Indonesia",
        "Tambahan Lembaran Negara Republik Indonesia",
    ),
    RegulationKind.PERPU: (
        "Peraturan Pemerintah Pengganti Undang-Undang",
        "Lembaran Negara Republik Indonesia",
        "Tambahan Lembaran Negara Republik Indonesia",
    ),
    RegulationKind.PP: (
        "Peraturan Pemerintah",
        "Lembaran Negara Republik Indonesia",
        "Tambahan Lembaran Negara Republik Indonesia",
    ),
    RegulationKind.PERPRES: ("Peraturan Presiden", "Lembaran Negara Republik Indonesia", ""),
    RegulationKind.PERMENDAGRI: ("Peraturan Menteri Dalam Negeri", "Berita Negara Republik Indonesia", ""),
    RegulationKind.PERDA_PROVINSI: ("Peraturan Daerah Provinsi", "Lembaran Daerah Provinsi", ""),
    RegulationKind.PERDA: ("Peraturan Daerah", "Lembaran Daerah", "Tambahan Lembaran Daerah"),
    RegulationKind.PERBUP: ("Peraturan Bupati", "Berita Daerah", ""),
}


class LegalBasis(ChoiceLabels, models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=RegulationKind.choices)
    number = models.CharField(_("number"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("about (tentang)"), max_length=500, blank=True)
    # "Pasal 18 ayat (6)" when a single provision is cited (the constitution).
    provision = models.CharField(_("provision cited"), max_length=100, blank=True)
    # A regional regulation names its region: "Kabupaten Sleman" (Lembaran Daerah Kabupaten Sleman).
    region = models.CharField(_("region (for regional regulations)"), max_length=150, blank=True)
    gazette_year = models.PositiveSmallIntegerField(_("gazette year"), null=True, blank=True)
    gazette_number = models.CharField(
        _("gazette number"),
        max_length=20,
        blank=True,
        help_text=_("Lembaran Negara, Berita Negara, Lembaran Daerah or Berita Daerah, as the kind is promulgated."),
    )
    supplement_number = models.CharField(
        _("supplement number"), max_length=20, blank=True, help_text=_("Tambahan Lembaran Negara or Daerah.")
    )
    # The last regulation amending this one, cited after it.
    amended_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amends",
        verbose_name=_("last amended by"),
    )
    amended_several_times = models.BooleanField(
        _("amended several times"),
        default=False,
        help_text=_('Prints "sebagaimana telah diubah beberapa kali terakhir dengan …" instead of "diubah dengan".'),
    )
    default_for = models.JSONField(
        _("cited by default in"), default=list, blank=True, help_text=_("Kinds of document that cite it by default.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "year", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases (Mengingat)")

    def __str__(self):
        name = PRINTED_KIND[self.kind][0]
        if self.kind == RegulationKind.UUD:
            return " ".join(filter(None, [self.provision, f"{name} Tahun {self.year}"]))
        return f"{name} Nomor {self.number} Tahun {self.year}"

    def clean(self):
        unknown = set(self.default_for or []) - set(DocumentKind.values)
        if unknown:
            raise ValidationError({"default_for": _("Unknown document kinds: %(kinds)s") % {"kinds": sorted(unknown)}})
        if self.kind != RegulationKind.UUD and not self.number:
            raise ValidationError({"number": _("Enter the regulation's number.")})
        if self.amended_by_id and self.amended_by_id == self.pk:
            raise ValidationError({"amended_by": _("A regulation does not amend itself.")})
