"""Read queries shared by views, scoped by the user who asks.

Fetching one object goes through a `get_*_for(user, pk)` helper that answers 404 both for
"does not exist" and "not yours", so a PPKSD cannot even learn that another OPD's record
exists.
"""

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import OPD, Agreement, AgreementDocument, DprdApproval, Partner, Province, Regency, Urusan, User
from .pagination import counts_of
from .roles import READ_ALL_ROLES, Role, has_role
from .rows import LIST_VALUES


def opds_visible_to(user):
    """Every OPD for readers of the whole registry; a PPKSD sees only their own OPD."""
    queryset = OPD.objects.all()
    if has_role(user, *READ_ALL_ROLES):
        return queryset
    if has_role(user, Role.PPKSD) and user.opd_id:
        return queryset.filter(pk=user.opd_id)
    return queryset.none()


def opd_list(user):
    """The OPD list page: the OPDs the user may see, with their PPKSD counts, by name."""
    return with_ppksd_counts(opds_visible_to(user)).order_by("name")


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
    return User.objects.filter(opd=opd, is_active=True, groups__name=Role.PPKSD).order_by("first_name", "username")


def opds_short_of_ppksd():
    """Active OPDs with fewer PPKSD than the minimum the regency asks for (default 2)."""
    return (
        with_ppksd_counts(OPD.objects.filter(is_active=True))
        .filter(ppksd_count__lt=settings.MIN_PPKSD_PER_OPD)
        .order_by("name")
    )


def reference_counts() -> dict[str, int]:
    """The Admin home's reference data figures, in one query."""
    return counts_of(
        {
            "provinces": Province.objects.all(),
            "regencies": Regency.objects.filter(kind=Regency.Kind.KABUPATEN),
            "cities": Regency.objects.filter(kind=Regency.Kind.KOTA),
            "urusan": Urusan.objects.all(),
            "opds": OPD.objects.filter(is_active=True),
        }
    )


def users_per_role() -> dict[str, int]:
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("groups__name")
        .annotate(n=Count("pk"))
        .values_list("groups__name", "n")
    )
    return {role: counts.get(role, 0) for role in Role.values}


# --- agreements ---------------------------------------------------------------------------------


def agreements_visible_to(user):
    """Agreements a user may read.

    TKKSD, Pimpinan and Admin read all; a PPKSD those their OPD leads or takes part in; the
    DPRD only those whose request for approval it has received (registry.dprd).
    """
    queryset = Agreement.objects.all()
    if has_role(user, *READ_ALL_ROLES):
        return queryset
    visible = Q(pk__in=[])
    if has_role(user, Role.PPKSD) and user.opd_id:
        visible |= Q(lead_opd_id=user.opd_id) | Q(
            pk__in=Agreement.other_opds.through.objects.filter(opd_id=user.opd_id).values("agreement_id")
        )
    if has_role(user, Role.DPRD):
        sent = Q(received_on__isnull=False) | Q(sent_on__isnull=False)
        visible |= Q(pk__in=DprdApproval.objects.filter(sent).values("agreement_id"))
    return queryset.filter(visible)


def _with_partner_names(queryset):
    return queryset.prefetch_related(Prefetch("partners", queryset=Partner.objects.only("pk", "name").order_by("name")))


def agreement_list(user):
    """The list page's agreements, to be filtered, then read as values (registry.rows)."""
    return agreements_visible_to(user)


def agreement_export(user):
    """Every column of the export, for the agreements the list shows."""
    return _with_partner_names(agreements_visible_to(user).select_related("lead_opd", "urusan"))


def get_agreement_for(user, pk) -> Agreement:
    queryset = (
        agreements_visible_to(user)
        .select_related("lead_opd", "urusan", "parent", "created_by")
        .prefetch_related("other_opds", "partner_links__partner")
    )
    return get_object_or_404(queryset, pk=pk)


def timeline(agreement: Agreement):
    return agreement.transitions.select_related("actor", "document").order_by("at", "pk")


def documents_of(agreement: Agreement):
    return agreement.documents.order_by("doc_type", "-version")


def get_document_for(user, pk) -> AgreementDocument:
    return get_object_or_404(
        AgreementDocument.objects.select_related("agreement").filter(agreement__in=agreements_visible_to(user)),
        pk=pk,
    )


def chain_visible_to(chain: list[Agreement], user) -> list[tuple[Agreement, bool]]:
    """Each agreement of a chain (services.chain_of: the ancestors, then the agreement the user is
    reading) with whether the user may open it: the page names and links only those (a PPKSD never
    learns the number or title of another OPD's agreement)."""
    *ancestors, agreement = chain
    # The last link is the agreement the user is reading: only the ones it follows need a check.
    visible = {agreement.pk}
    if ancestors:
        visible.update(
            agreements_visible_to(user).filter(pk__in=[link.pk for link in ancestors]).values_list("pk", flat=True)
        )
    return [(link, link.pk in visible) for link in chain]


def follow_ups_of(agreement: Agreement, user):
    """The agreements following this one that the user may open, with what the agreement page
    prints of them: their numbers and relations."""
    return (
        agreements_visible_to(user)
        .filter(parent=agreement)
        .only("pk", "register_number", "relation")
        .order_by("created_at")
    )


# --- partners ---------------------------------------------------------------------------------


def partners_for(user):
    if has_role(user, Role.TKKSD, Role.PIMPINAN, Role.ADMIN, Role.PPKSD):
        return Partner.objects.select_related("province", "regency")
    return Partner.objects.none()


def get_partner_for(user, pk) -> Partner:
    return get_object_or_404(partners_for(user), pk=pk)


def partner_agreements(partner: Partner, user):
    """The partner page's agreements, newest first, read as the list's row values (registry.rows)."""
    return agreement_list(user).filter(partners=partner).order_by("-start_date", "-pk").values(*LIST_VALUES)


def get_open_dprd_approval_for(user, pk) -> DprdApproval:
    """An open DPRD request, received by the DPRD, that the user may decide on (TKKSD and Admin
    record it, the DPRD too)."""
    return get_object_or_404(
        DprdApproval.objects.select_related("agreement").filter(
            decision=DprdApproval.Decision.PENDING,
            received_on__isnull=False,
            agreement__in=agreements_visible_to(user),
        ),
        pk=pk,
    )
