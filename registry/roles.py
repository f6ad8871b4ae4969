"""The roles of the app, and the one decorator (and its mixin twin) that checks them.

A role is a Django group. Superusers act as Admin. Object-level checks (which OPD's
records a PPKSD may touch) live in registry/rules.py and in the scoped selectors.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TKKSD = "TKKSD", _("TKKSD (Regional Cooperation Coordination Team)")
    PPKSD = "PPKSD", _("PPKSD (OPD liaison officer)")
    DPRD = "DPRD", _("DPRD (Regional Parliament)")
    PIMPINAN = "Pimpinan", _("Leadership (Pimpinan)")
    ADMIN = "Admin", _("Administrator")


def user_roles(user) -> frozenset[str]:
    """The role names of a user, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_kerjasama_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names & set(Role.values))
        user._kerjasama_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_ppksd_of(user, opd_id) -> bool:
    """A PPKSD acts for their own OPD only."""
    return has_role(user, Role.PPKSD) and bool(user.opd_id) and user.opd_id == opd_id


def primary_role(user) -> str | None:
    """The role whose home page a user lands on when they have several."""
    roles = user_roles(user)
    for role in (Role.ADMIN, Role.TKKSD, Role.PIMPINAN, Role.DPRD, Role.PPKSD):
        if role in roles:
            return role
    return None


# Roles that read the whole registry.
READ_ALL_ROLES = (Role.TKKSD, Role.PIMPINAN, Role.ADMIN)
# The partner registry: everyone who files or reads agreements; not the DPRD, which reads only the
# agreements in its queue.
PARTNER_READERS = (*READ_ALL_ROLES, Role.PPKSD)


def role_required(*roles: str):
    """View decorator: log in first, then answer 403 unless the user has one of `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """The class-based twin of `role_required`: set `roles = (Role.TKKSD, ...)`."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
