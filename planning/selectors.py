"""Read queries of planning, scoped by the user who asks.

A PPKSD reads their own OPD's potentials and proposals (drafts included); TKKSD, Pimpinan and
Admin read every OPD's, except drafts, which stay private to their OPD until submitted. One
object is fetched through a `get_*_for(user, pk)` helper answering 404 both for "missing" and
"not yours".
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from registry.models import OPD, User
from registry.roles import Role, has_role

from . import rules
from .models import AgendaItem, Appointment, Cycle, Plenary, Potential, Proposal, ProposalStatus


def _own_opd(user):
    return user.opd_id if has_role(user, Role.PPKSD) and user.opd_id else None


# --- cycles -------------------------------------------------------------------------------------------


def cycles_visible_to(user):
    if has_role(user, *rules.PLANNING_ROLES):
        return Cycle.objects.all()
    return Cycle.objects.none()


def get_cycle_for(user, pk) -> Cycle:
    return get_object_or_404(cycles_visible_to(user).select_related("decree"), pk=pk)


def open_cycles():
    return Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-year")


def next_plenary_date() -> Subquery:
    """A cycle's next scheduled plenary date (annotation), None when none is scheduled."""
    scheduled = Plenary.objects.filter(cycle=OuterRef("pk"), status=Plenary.Status.SCHEDULED).order_by("date")
    return Subquery(scheduled.values("date")[:1])


def cycle_list(user):
    return cycles_visible_to(user).select_related("decree").annotate(plenary_count=Count("plenaries", distinct=True))


def _count_per_opd(queryset, field="opd"):
    """A correlated COUNT per OPD row, without multiplying rows the way several joins would."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0)


def running_appointments():
    """Running appointments of accounts that are still active PPKSD of the appointment's OPD."""
    return Appointment.objects.filter(
        ended_on__isnull=True, user__is_active=True, user__opd_id=F("opd_id"), user__groups__name=Role.PPKSD
    )


def opds_with_ppksd_counts(user):
    """Active OPDs the user may see, with their PPKSD accounts and running appointments, flagged
    when fewer than MIN_PPKSD_PER_OPD are appointed."""
    opds = OPD.objects.filter(is_active=True)
    own = _own_opd(user)
    if not rules.reads_all(user):
        opds = opds.filter(pk=own) if own else opds.none()
    return opds.annotate(
        ppksd_accounts=_count_per_opd(User.objects.filter(is_active=True, groups__name=Role.PPKSD)),
        appointed=_count_per_opd(running_appointments()),
    ).order_by("name")


@dataclass
class OpdProgress:
    opd: OPD
    ppksd_accounts: int
    appointed: int
    potentials: int
    submitted: int
    prioritised: int

    @property
    def short_of_ppksd(self) -> bool:
        return self.appointed < settings.MIN_PPKSD_PER_OPD


def cycle_progress(cycle: Cycle, user) -> list[OpdProgress]:
    """How far each OPD is in the cycle: liaison officers appointed, potentials mapped, proposals
    submitted (drafts are not counted: they are the OPD's own) and prioritised."""
    opds = opds_with_ppksd_counts(user).annotate(
        potentials=_count_per_opd(Potential.objects.filter(cycle=cycle)),
        submitted=_count_per_opd(Proposal.objects.filter(cycle=cycle).exclude(status=ProposalStatus.DRAFT)),
        prioritised=_count_per_opd(
            Proposal.objects.filter(cycle=cycle, status__in=[ProposalStatus.PRIORITISED, ProposalStatus.ADOPTED])
        ),
    )
    return [
        OpdProgress(opd, opd.ppksd_accounts, opd.appointed, opd.potentials, opd.submitted, opd.prioritised)
        for opd in opds
    ]


# --- PPKSD appointments -----------------------------------------------------------------------------------


@dataclass
class OpdOfficers:
    opd: OPD
    accounts: list
    appointments: list

    @property
    def appointed(self) -> int:
        return sum(1 for appointment in self.appointments if appointment.user in self.accounts)

    @property
    def short_of_ppksd(self) -> bool:
        return self.appointed < settings.MIN_PPKSD_PER_OPD


def appointment_board(user) -> list[OpdOfficers]:
    """Per OPD the user may see: its PPKSD accounts and the running appointments."""
    opds = list(opds_with_ppksd_counts(user))
    ids = [opd.pk for opd in opds]
    accounts = User.objects.filter(is_active=True, groups__name=Role.PPKSD, opd_id__in=ids).order_by(
        "first_name", "last_name", "username"
    )
    running = Appointment.objects.filter(ended_on__isnull=True, opd_id__in=ids).select_related("user")
    by_opd = {opd.pk: OpdOfficers(opd, [], []) for opd in opds}
    for account in accounts:
        by_opd[account.opd_id].accounts.append(account)
    for appointment in running:
        by_opd[appointment.opd_id].appointments.append(appointment)
    return list(by_opd.values())


def appointable_users(user):
    """PPKSD accounts without a running appointment that the user may record one for."""
    accounts = (
        User.objects.filter(is_active=True, groups__name=Role.PPKSD, opd__isnull=False)
        .exclude(pk__in=Appointment.objects.filter(ended_on__isnull=True).values("user_id"))
        .select_related("opd")
        .order_by("opd__name", "first_name", "username")
    )
    if has_role(user, Role.TKKSD, Role.ADMIN):
        return accounts
    own = _own_opd(user)
    return accounts.filter(opd_id=own) if own else accounts.none()


def get_running_appointment_for(user, pk) -> Appointment:
    appointments = Appointment.objects.filter(ended_on__isnull=True).select_related("user", "opd")
    if not has_role(user, Role.TKKSD, Role.ADMIN):
        own = _own_opd(user)
        appointments = appointments.filter(opd_id=own) if own else appointments.none()
    return get_object_or_404(appointments, pk=pk)


# --- potentials ---------------------------------------------------------------------------------------


def potentials_visible_to(user):
    potentials = Potential.objects.all()
    if rules.reads_all(user):
        return potentials
    own = _own_opd(user)
    return potentials.filter(opd_id=own) if own else potentials.none()


def potential_list(user):
    return potentials_visible_to(user).select_related("cycle", "opd", "urusan")


def get_potential_for(user, pk) -> Potential:
    return get_object_or_404(potentials_visible_to(user).select_related("cycle", "opd", "urusan", "created_by"), pk=pk)


def proposals_of_potential(potential: Potential, user):
    return proposals_visible_to(user).filter(potential=potential).order_by("created_at")


# --- proposals ----------------------------------------------------------------------------------------


def proposals_visible_to(user):
    visible = Q(pk__in=[])
    if rules.reads_all(user):
        visible |= ~Q(status=ProposalStatus.DRAFT)
    own = _own_opd(user)
    if own:
        visible |= Q(opd_id=own)
    return Proposal.objects.filter(visible)


LIST_COLUMNS = (
    "number",
    "title",
    "kind",
    "status",
    "rank",
    "updated_at",
    "cycle__year",
    "opd__name",
    "opd__abbreviation",
)


def proposal_list(user):
    return proposals_visible_to(user).select_related("cycle", "opd").only(*LIST_COLUMNS)


def get_proposal_for(user, pk) -> Proposal:
    queryset = (
        proposals_visible_to(user)
        .select_related(
            "cycle", "opd", "potential", "urusan", "minutes", "decree", "agreement", "created_by", "cycle__decree"
        )
        .prefetch_related("partners")
    )
    return get_object_or_404(queryset, pk=pk)


def proposal_events(proposal: Proposal):
    return proposal.events.select_related("actor", "document").order_by("at", "pk")


def proposal_decisions(proposal: Proposal):
    """The proposal's agenda items, with their plenaries and the Berita Acara that minuted them."""
    return proposal.agenda_items.select_related("plenary__minutes").order_by("plenary__date", "pk")


# --- the plenary --------------------------------------------------------------------------------------


def plenaries_visible_to(user):
    if rules.reads_all(user):
        return Plenary.objects.all()
    return Plenary.objects.none()


def get_plenary_for(user, pk) -> Plenary:
    return get_object_or_404(plenaries_visible_to(user).select_related("cycle", "minutes", "closed_by"), pk=pk)


def plenaries_of(cycle: Cycle, user):
    return (
        plenaries_visible_to(user)
        .filter(cycle=cycle)
        .select_related("minutes")
        .annotate(items=Count("agenda"))
        .order_by("date", "pk")
    )


def agenda_of(plenary: Plenary):
    return plenary.agenda.select_related("proposal__opd", "decided_by").prefetch_related(Prefetch("proposal__partners"))


def agenda_candidates(plenary: Plenary):
    """Submitted or deferred proposals of the cycle, and proposals deferred in an earlier cycle
    (carried over to this one when put on the agenda), that are on no open agenda."""
    this_cycle = Q(cycle_id=plenary.cycle_id, status__in=rules.AGENDA_STATUSES)
    carried = Q(status=ProposalStatus.DEFERRED, cycle__year__lt=plenary.cycle.year)
    return (
        Proposal.objects.filter(this_cycle | carried)
        .exclude(pk__in=AgendaItem.objects.filter(is_open=True).values("proposal_id"))
        .select_related("opd", "cycle")
        .order_by("cycle__year", "opd__name", "number")
    )


def get_agenda_item(plenary: Plenary, pk) -> AgendaItem:
    return get_object_or_404(plenary.agenda.select_related("plenary"), pk=pk)
