"""The app's users as the Admin manages them: who may, the rules of a user's roles and OPD, the
reads of the user list and the writes (create, edit, deactivate, reactivate).

Roles are Django groups (registry.roles). The rules:
- only an Admin manages users;
- a PPKSD belongs to an OPD (their records are that OPD's); other roles may name their OPD too;
- there is always an active Admin: the last one can be neither deactivated nor lose the role;
- an Admin cannot deactivate themself (they would lock themself out mid-session).

Each write is one entry in the user's history (simple-history, with the roles), naming the Admin.
A deactivated user can no longer log in, and a session they have open ends at its next request
(Django's ModelBackend refuses inactive users).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency
from kerjasama.concurrency import Edition

from .errors import ServiceError
from .models import OPD, User
from .models.people import USER_HISTORY
from .roles import Role, has_role

# What the user form may write besides the roles.
EDIT_FIELDS = frozenset({"first_name", "last_name", "email", "nip", "position", "opd"})
# The fields whose change meanwhile makes an edit stale ("groups" are the roles).
EDITION_FIELDS = ["first_name", "last_name", "email", "nip", "position", "opd", "groups", "is_active"]


def can_manage_users(user) -> bool:
    return has_role(user, Role.ADMIN)


def opd_error(roles, opd: OPD | None):
    """The message refusing this combination of roles and OPD, or None."""
    if Role.PPKSD in roles and opd is None:
        return _("A PPKSD acts for one OPD: choose it.")
    return None


def roles_of(user: User) -> set[str]:
    """The roles a user holds through their groups (a superuser's implied Admin role left out)."""
    return {name for name in user.groups.values_list("name", flat=True) if name in Role.values}


# --- reads ------------------------------------------------------------------------------------------


def user_list(*, text: str = "", role: str = "", opd_id: int | None = None, active: bool | None = None) -> QuerySet:
    """Users filtered as the list page asks, with their OPD and roles loaded."""
    users = User.objects.select_related("opd").prefetch_related("groups").order_by("username")
    if text:
        words = text.split()
        for word in words:
            users = users.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
    if role == Role.ADMIN:
        users = users.filter(Q(groups__name=role) | Q(is_superuser=True)).distinct()
    elif role:
        users = users.filter(groups__name=role)
    if opd_id:
        users = users.filter(opd_id=opd_id)
    if active is not None:
        users = users.filter(is_active=active)
    return users


def get_user_for(actor, pk) -> User:
    """A user, for an Admin; anyone else is refused."""
    if not can_manage_users(actor):
        raise PermissionDenied
    return get_object_or_404(User.objects.select_related("opd"), pk=pk)


def _active_admins() -> QuerySet:
    return User.objects.filter(is_active=True).filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True))


def _refuse_losing_the_last_admin(user: User) -> None:
    """Refuse a change that leaves no other active Admin than `user`. The active Admins are locked
    first, so two Admins demoting each other at once cannot both succeed."""
    admins = list(User.objects.select_for_update().filter(pk__in=_active_admins().values("pk")).order_by("pk"))
    if not any(admin.pk != user.pk for admin in admins):
        raise ServiceError(_("This is the last active Admin: make another user Admin first."))


# --- writes -----------------------------------------------------------------------------------------


def _set_roles(user: User, roles) -> list[str]:
    """Give `user` exactly `roles`; returns the other fields this changed. Django admin access follows
    the Admin role. The groups are set without a history entry of their own: the caller's save makes
    the one entry, which records them."""
    groups = list(Group.objects.filter(name__in=set(roles) & set(Role.values)))
    user.skip_history_when_saving = True
    try:
        user.groups.set(groups)
    finally:
        del user.skip_history_when_saving
    user._kerjasama_roles = None
    is_admin = Role.ADMIN in roles
    fields = []
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        fields.append("is_staff")
    if user.is_superuser and not is_admin:
        user.is_superuser = False
        fields.append("is_superuser")
    return fields


def _check(actor, roles, opd) -> None:
    if not can_manage_users(actor):
        raise PermissionDenied
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValueError(f"Roles must be some of {Role.values}, not {sorted(roles)}")
    error = opd_error(roles, opd)
    if error:
        raise ServiceError(error)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    roles,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    nip: str = "",
    position: str = "",
    opd: OPD | None = None,
    password: str | None = None,
) -> User:
    """Create an active user with `roles`. With `password` None the user has no password until
    they set one through the link `send_password_link` mails them. Raises ServiceError for a
    taken username or a PPKSD without an OPD, PermissionDenied for an actor who is not Admin."""
    _check(actor, roles, opd)
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("This username is already taken."))
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        nip=nip,
        position=position,
        opd=opd,
        is_staff=Role.ADMIN in roles,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    # The history entry of the creation is written after the roles are set, so that it lists them.
    user.skip_history_when_saving = True
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ServiceError(_("This username is already taken.")) from error
    finally:
        del user.skip_history_when_saving
    _set_roles(user, roles)
    USER_HISTORY.create_historical_record(user, "+")
    return user


@transaction.atomic
def update_user(user: User, *, actor, changes: dict, roles, edition: Edition | None = None) -> User:
    """Save an Admin's edit of a user's details and roles. Refuses, with StaleEdit, an edit read
    before someone else changed the same fields; with ServiceError, a PPKSD without an OPD and
    taking the Admin role from the last active Admin."""
    unknown = set(changes) - EDIT_FIELDS
    if unknown:
        raise ValueError(f"Not fields of the user form: {sorted(unknown)}")
    locked = concurrency.lock(User, user.pk)
    _check(actor, roles, changes.get("opd", locked.opd))
    concurrency.check_edition(locked, edition, [*changes, "groups"])
    written = concurrency.apply(locked, changes)
    if Role.ADMIN not in roles and has_role(locked, Role.ADMIN) and locked.is_active:
        _refuse_losing_the_last_admin(locked)
    written += _set_roles(locked, roles)
    concurrency.save_edit(locked, written, actor=actor)
    return locked


@transaction.atomic
def set_active(user: User, *, actor, active: bool) -> User:
    """Deactivate a user (they can no longer log in) or reactivate them. Raises ServiceError for an
    Admin deactivating themself or the last active Admin, and for a user already in that state."""
    if not can_manage_users(actor):
        raise PermissionDenied
    locked = concurrency.lock(User, user.pk)
    if locked.is_active == active:
        raise ServiceError(_("This user is already active.") if active else _("This user is already deactivated."))
    if not active:
        if locked.pk == actor.pk:
            raise ServiceError(_("You cannot deactivate your own account."))
        if has_role(locked, Role.ADMIN):
            _refuse_losing_the_last_admin(locked)
    locked.is_active = active
    concurrency.save_edit(locked, ["is_active"], actor=actor)
    return locked


def send_password_link(user: User, *, actor) -> None:
    """Mail `user` the link to set their password: the e-mail of the password-reset flow (same
    templates, same signed token that expires after PASSWORD_RESET_TIMEOUT), sent after commit.
    An Admin sends it for a new user, and again when the first link expired (a user without a
    password cannot ask for one on the login page). Refuses a deactivated user."""
    if not can_manage_users(actor):
        raise PermissionDenied
    if not user.is_active:
        raise ServiceError(_("The user is deactivated: reactivate them first."))
    if not user.email:
        raise ServiceError(_("The user has no e-mail address to send the link to."))
    context = {
        "email": user.email,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(
        lambda: PasswordResetForm().send_mail(
            "registration/password_reset_subject.txt",
            "registration/password_reset_email.txt",
            context,
            None,
            user.email,
        )
    )
