"""Per-series, per-year counters, and the one register of numbers in use."""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    series = models.CharField(_("series"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="counter_series_year_once")]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.series}/{self.year}: {self.value}"

    @classmethod
    def allocate(cls, series: str, year: int) -> int:
        """The next number of `series` in `year`, never given twice.

        The UPDATE … SET value = value + 1 locks the row until the caller's transaction ends,
        so concurrent callers queue on PostgreSQL; on SQLite the IMMEDIATE transaction mode
        (settings.py) serialises writers the same way.
        """
        with transaction.atomic():
            try:
                with transaction.atomic():
                    cls.objects.get_or_create(series=series, year=year)
            except IntegrityError:
                # Created concurrently by another caller: the row exists now.
                pass
            cls.objects.filter(series=series, year=year).update(value=F("value") + 1)
            return cls.objects.values_list("value", flat=True).get(series=series, year=year)

    @classmethod
    def allocate_block(cls, series: str, year: int, count: int) -> int:
        """Reserve `count` consecutive numbers of `series` in `year` at once (an import of many
        agreements); returns the first. Locks like `allocate`."""
        with transaction.atomic():
            try:
                with transaction.atomic():
                    cls.objects.get_or_create(series=series, year=year)
            except IntegrityError:
                pass
            cls.objects.filter(series=series, year=year).update(value=F("value") + count)
            return cls.objects.values_list("value", flat=True).get(series=series, year=year) - count + 1


def number_key(number: str) -> str:
    """The comparison form of a document number: no spaces, upper case ("100.3.3/001/KS/2026")."""
    return "".join(number.split()).upper()


class RegisteredNumber(models.Model):
    """Every document number in use in a year, whoever gave it: the app's numbering series, the
    Bagian Hukum's register typed in at issue, or an agreement's own and partner's numbers (KB,
    PKS). One number per year belongs to one owner (registry/numbers.py), so the app never gives
    a letter a number an agreement already carries."""

    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("number"), max_length=120)
    number = models.CharField(_("number as written"), max_length=120)
    document = models.ForeignKey(
        "registry.OfficialDocument", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "key"], name="number_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, agreement__isnull=True)
                | models.Q(document__isnull=True, agreement__isnull=False),
                name="number_has_one_owner",
            ),
        ]
        verbose_name = _("registered number")
        verbose_name_plural = _("registered numbers")

    def __str__(self):
        return f"{self.number} ({self.year})"
