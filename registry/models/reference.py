"""Reference data: regions, urusan pemerintahan, OPD and the Pemda's own profile."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kerjasama.choices import ChoiceLabels


class Province(models.Model):
    """A province with its Kemendagri code (e.g. "34" for DI Yogyakarta)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class Regency(ChoiceLabels, models.Model):
    """A kabupaten or kota with its Kemendagri code (e.g. "34.04" for Kabupaten Sleman)."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        """The name without "Kabupaten"/"Kota", as printed after "BUPATI" or "WALI KOTA"."""
        for prefix in ("Kabupaten ", "Kota "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class Urusan(ChoiceLabels, models.Model):
    """An urusan pemerintahan konkuren of UU 23/2014 Pasal 12, with the Permendagri 90/2019 code."""

    class Classification(models.TextChoices):
        WAJIB_DASAR = "wajib_dasar", _("Mandatory, basic services")
        WAJIB_NON_DASAR = "wajib_non_dasar", _("Mandatory, not basic services")
        PILIHAN = "pilihan", _("Optional")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices)
    # UU 23/2014 Pasal 14: forestry, marine and energy are mostly provincial; a kabupaten
    # proposing a KSD object there is warned.
    mostly_provincial = models.BooleanField(_("mostly provincial authority"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("government affair (urusan)")
        verbose_name_plural = _("government affairs (urusan)")

    def __str__(self):
        return capfirst(self.name)


class OPD(models.Model):
    """An organisasi perangkat daerah of the Pemda: a dinas, badan, bagian or kecamatan."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    # The unit's code in the regional budget nomenclature (Permendagri 90/2019), where known;
    # published in the open data.
    code = models.CharField(_("code"), max_length=40, blank=True)
    head_title = models.CharField(_("head's title"), max_length=150, blank=True)
    head_name = models.CharField(_("head's name"), max_length=150, blank=True)
    head_nip = models.CharField(
        _("head's NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("An NIP has exactly 18 digits."))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD (regional government unit)")
        verbose_name_plural = _("OPD (regional government units)")

    def __str__(self):
        return self.abbreviation or self.name

    def get_absolute_url(self):
        return reverse("registry:opd_detail", args=[self.pk])


class OpenDataLicence(models.TextChoices):
    """Open licences a Pemda may publish its register under (the Open Definition's conformant ones)."""

    CC_BY_4_0 = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC0_1_0 = "CC0-1.0", _("Public domain dedication (CC0 1.0)")
    ODBL_1_0 = "ODbL-1.0", _("Open Database License 1.0 (ODbL)")


class PemdaProfile(ChoiceLabels, models.Model):
    """The Pemda running this installation. One row; printed on every letterhead."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, verbose_name=_("regency or city"), related_name="+")
    capital = models.CharField(_("seat of government"), max_length=100, help_text=_('Printed after "Ditetapkan di".'))
    head_title = models.CharField(_("head's title"), max_length=50, default="Bupati")
    head_name = models.CharField(_("Kepala Daerah"), max_length=150)
    # Printed under a decree's signature: in capitals, with academic titles only if the Pemda
    # chooses them; never derived by upper-casing "Dr. Drs. H. … M.Si." (Permendagri 80/2015).
    head_decree_name = models.CharField(
        _("Kepala Daerah's name as printed on decrees"),
        max_length=150,
        blank=True,
        help_text=_("In capitals, as it is printed under the signature of a decree, e.g. HARJONO PRAWIRO."),
    )
    secretary_name = models.CharField(_("Sekretaris Daerah"), max_length=150)
    secretary_nip = models.CharField(_("Sekretaris Daerah's NIP"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=255)
    # Cited under Mengingat after the constitution (registry/official/legal.py), as the Bagian Hukum writes it.
    formation_law = models.TextField(
        _("law that formed the regency"),
        blank=True,
        max_length=1000,
        help_text=_(
            "As cited under Mengingat, with its promulgation, e.g. Undang-Undang Nomor 15 Tahun 1950 tentang "
            "Pembentukan Daerah-daerah Kabupaten dalam Lingkungan Daerah Istimewa Jogjakarta."
        ),
    )
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    # The regency's lambang, on the kop of the Setda and the TKKSD (Berita Acara, their letters).
    logo = models.ImageField(_("regional emblem (lambang daerah)"), upload_to="pemda/", blank=True)
    # The Garuda Pancasila heads the Bupati's own documents (Keputusan, letters the Bupati signs);
    # no emblem is bundled with the app: the Admin uploads the official image.
    garuda_emblem = models.ImageField(
        _("Garuda Pancasila emblem"),
        upload_to="pemda/",
        blank=True,
        help_text=_("PNG or JPEG. Printed at the head of decrees and of letters the Bupati signs."),
    )
    # Many regencies omit "DENGAN RAHMAT TUHAN YANG MAHA ESA" in a Keputusan (domain.md §8).
    decree_invocation = models.BooleanField(_('print "DENGAN RAHMAT TUHAN YANG MAHA ESA" on decrees'), default=True)
    # The licence of the open data published at /publik/data/ (public/opendata.py).
    open_data_licence = models.CharField(
        _("open data licence"), max_length=20, choices=OpenDataLicence.choices, default=OpenDataLicence.CC_BY_4_0
    )
    # Raised by every saved edit (kerjasama/concurrency.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A single profile: the installation serves one Pemda.
            models.CheckConstraint(condition=models.Q(pk=1), name="pemda_profile_singleton"),
        ]
        verbose_name = _("Pemda profile")
        verbose_name_plural = _("Pemda profile")

    def __str__(self):
        return f"Pemerintah {self.regency.name}"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "PemdaProfile | None":
        return cls.objects.select_related("regency__province").filter(pk=1).first()

    @classmethod
    def current_government_name(cls) -> str:
        """The government_name of the profile, "" before it is filled in: the one column the
        pages' headers print, read without the rest of the profile."""
        name = cls.objects.filter(pk=1).values_list("regency__name", flat=True).first()
        return f"Pemerintah {name}" if name else ""

    @property
    def government_name(self) -> str:
        """ "Pemerintah Kabupaten Sleman" """
        return f"Pemerintah {self.regency.name}"
