"""Users of the app. Roles are Django groups (registry.roles); a PPKSD belongs to one OPD."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Saves that only touch these are not changes a person made: a login, a new password.
_UNRECORDED = frozenset({"last_login", "password"})


class UserHistory(HistoricalRecords):
    """The history of a user, without a record for each login or password change."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= _UNRECORDED:
            return
        super().post_save(instance, created, using=using, **kwargs)


# Kept by name for the service that writes the first entry itself, once the new user's roles are set.
USER_HISTORY = UserHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])


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
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # The roles (groups) are recorded with each entry; the service changes them and saves the user
    # once, so that one edit is one entry.
    history = USER_HISTORY

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username
