"""Users of the app. Roles are Django groups (registry.roles); a PPKSD belongs to one OPD."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    opd = models.ForeignKey(
        "registry.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("OPD"),
        help_text=_("Required for PPKSD: they see and edit only this OPD's records."),
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("An NIP has exactly 18 digits."))],
    )
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username
