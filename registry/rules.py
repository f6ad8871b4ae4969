"""Who may do what, object by object. Views, templates and services ask these predicates.

Scope for lists lives in registry/selectors.py (querysets filtered by the user); these
predicates answer for one object. A PPKSD acts only on records of their own OPD.
"""

import rules

from .roles import Role, user_roles


@rules.predicate
def is_tkksd(user):
    return Role.TKKSD in user_roles(user)


@rules.predicate
def is_ppksd(user):
    return Role.PPKSD in user_roles(user)


@rules.predicate
def is_dprd(user):
    return Role.DPRD in user_roles(user)


@rules.predicate
def is_pimpinan(user):
    return Role.PIMPINAN in user_roles(user)


@rules.predicate
def is_admin(user):
    return Role.ADMIN in user_roles(user)


def owning_opd_id(obj):
    """The OPD an object belongs to: itself for an OPD, else its `opd` or `lead_opd`."""
    from .models import OPD

    if isinstance(obj, OPD):
        return obj.pk
    for attribute in ("opd_id", "lead_opd_id"):
        if hasattr(obj, attribute):
            return getattr(obj, attribute)
    return None


@rules.predicate
def is_own_opd(user, obj):
    if obj is None or not getattr(user, "opd_id", None):
        return False
    return owning_opd_id(obj) == user.opd_id


reads_all = is_tkksd | is_pimpinan | is_admin

rules.add_perm("registry.view_opd", reads_all | (is_ppksd & is_own_opd))
rules.add_perm("registry.change_pemdaprofile", is_admin)
