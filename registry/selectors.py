"""Read queries shared by views, scoped by the user who asks.

Fetching one object goes through a `get_*_for(user, pk)` helper that answers 404 both for
"does not exist" and "not yours", so a PPKSD cannot even learn that another OPD's record
exists.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .models import OPD, Province, Regency, Urusan, User
from .roles import READ_ALL_ROLES, Role, has_role


def opds_visible_to(user):
    """Every OPD for readers of the whole registry; a PPKSD sees only their own OPD."""
    queryset = OPD.objects.all()
    if has_role(user, *READ_ALL_ROLES):
        return queryset
    if has_role(user, Role.PPKSD) and user.opd_id:
        return queryset.filter(pk=user.opd_id)
    return queryset.none()


def get_opd_for(user, pk) -> OPD:
    return get_object_or_404(opds_visible_to(user), pk=pk)


def with_ppksd_counts(queryset):
    """Annotate OPDs with their number of active PPKSD accounts."""
    return queryset.annotate(
        ppksd_count=Count(
            "users",
            filter=Q(users__is_active=True, users__groups__name=Role.PPKSD),
            distinct=True,
        )
    )


def ppksd_of(opd: OPD):
    return User.objects.filter(opd=opd, is_active=True, groups__name=Role.PPKSD).order_by(
        "first_name", "username"
    )


def opds_short_of_ppksd():
    """Active OPDs with fewer PPKSD than the minimum the regency asks for (default 2)."""
    return (
        with_ppksd_counts(OPD.objects.filter(is_active=True))
        .filter(ppksd_count__lt=settings.MIN_PPKSD_PER_OPD)
        .order_by("name")
    )


def reference_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "regencies": Regency.objects.filter(kind=Regency.Kind.KABUPATEN).count(),
        "cities": Regency.objects.filter(kind=Regency.Kind.KOTA).count(),
        "urusan": Urusan.objects.count(),
        "opds": OPD.objects.filter(is_active=True).count(),
    }


def users_per_role() -> dict[str, int]:
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("groups__name")
        .annotate(n=Count("pk"))
        .values_list("groups__name", "n")
    )
    return {role: counts.get(role, 0) for role in Role.values}
