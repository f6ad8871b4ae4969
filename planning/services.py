"""Operations that write planning data. Views, the demo and the `document_issued` receiver call
these; each checks who may act and raises PermissionDenied, or ServiceError with a translated
message when the planning rules refuse the request.

The rules of the issue live here: a proposal on one open plenary agenda at a time; a decision
only for an agenda item; the Berita Acara only once every agenda item is decided. The programme
decree (SK Bupati) and its rule are in planning/programme.py.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kerjasama import concurrency
from kerjasama.concurrency import Edition
from kerjasama.formatting import long_date
from registry import lifecycle, official, signals
from registry.models import (
    Counter,
    DocumentKind,
    Kind,
    OfficialDocument,
    PemdaProfile,
    TkksdMember,
    User,
)
from registry.roles import Role, is_ppksd_of

from . import documents, rules
from .models import (
    SCHEDULE_ORDER,
    AgendaItem,
    Appointment,
    Attendee,
    Cycle,
    Decision,
    Plenary,
    Potential,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)

PROPOSAL_SERIES = "planning-proposal"
MINUTES_SERIES = "berita-acara-tkksd"


class ServiceError(official.ServiceError):
    """A planning request that cannot be carried out; `message` is translated for the user.

    It extends the registry's error, which the official-document pages catch, so that they also
    show why issuing a programme decree was refused.
    """


def pemda_profile() -> PemdaProfile:
    profile = PemdaProfile.current()
    if profile is None:
        raise ServiceError(_("Fill in the Pemda profile first: it is printed on every letterhead."))
    return profile


# --- cycles ----------------------------------------------------------------------------------------


def schedule_problem(cycle: Cycle):
    """What is wrong with a cycle's schedule, or None: the steps of docs/domain.md §6 come in order."""
    steps = [
        cycle.socialisation_date,
        cycle.coordination_start,
        cycle.coordination_end,
        cycle.submission_deadline,
        cycle.plenary_date,
    ]
    if any(step is None for step in steps):
        return _("Fill in every date of the schedule.")
    if steps != sorted(steps):
        return SCHEDULE_ORDER
    return None


def open_cycle(cycle: Cycle, *, actor) -> Cycle:
    """Open the mapping of a year with its schedule (an unsaved Cycle with its dates set)."""
    if not rules.can_manage_cycles(actor):
        raise PermissionDenied
    if problem := schedule_problem(cycle):
        raise ServiceError(problem)
    if Cycle.objects.filter(year=cycle.year).exists():
        raise ServiceError(_("A mapping cycle for %(year)s already exists.") % {"year": cycle.year})
    cycle.opened_by = actor
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise ServiceError(_("A mapping cycle for %(year)s already exists.") % {"year": cycle.year}) from None
    return cycle


CYCLE_EDIT_FIELDS = frozenset(
    {"socialisation_date", "coordination_start", "coordination_end", "submission_deadline", "plenary_date", "notes"}
)


@transaction.atomic
def update_cycle(cycle: Cycle, *, actor, changes: dict, edition: Edition | None = None) -> Cycle:
    """Save a changed schedule; the year is fixed once opened. Refuses with StaleEdit a schedule
    read before someone else changed it."""
    _only(changes, CYCLE_EDIT_FIELDS)

    def check(locked: Cycle) -> None:
        if not rules.can_edit_cycle(actor, locked):
            raise PermissionDenied

    def validate(locked: Cycle) -> None:
        if problem := schedule_problem(locked):
            raise ServiceError(problem)

    return concurrency.edit(Cycle, cycle.pk, changes, edition=edition, actor=actor, check=check, validate=validate)


def _only(changes: dict, allowed: frozenset) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not fields of this form: {sorted(unknown)}")


# --- PPKSD appointments -------------------------------------------------------------------------------


def is_ppksd_account(user: User) -> bool:
    return user.is_active and bool(user.opd_id) and user.groups.filter(name=Role.PPKSD).exists()


@transaction.atomic
def record_appointment(*, actor, user: User, letter_number: str, letter_date: dt.date) -> Appointment:
    """Record the letter appointing a PPKSD account; the account's OPD is the appointment's OPD."""
    if not is_ppksd_account(user):
        raise ServiceError(_("Only an active PPKSD account linked to an OPD can be appointed."))
    if not rules.can_record_appointment(actor, user.opd_id):
        raise PermissionDenied
    if not letter_number.strip():
        raise ServiceError(_("Enter the number of the appointment letter."))
    if Appointment.objects.filter(user=user, ended_on__isnull=True).exists():
        raise ServiceError(
            _("%(name)s already has a running appointment; end it before recording a new one.") % {"name": user}
        )
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                user=user,
                opd_id=user.opd_id,
                letter_number=letter_number.strip(),
                letter_date=letter_date,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ServiceError(
            _("%(name)s already has a running appointment; end it before recording a new one.") % {"name": user}
        ) from None


@transaction.atomic
def end_appointment(appointment: Appointment, *, actor, ended_on: dt.date, reason: str = "") -> Appointment:
    if not rules.can_record_appointment(actor, appointment.opd_id):
        raise PermissionDenied
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.ended_on is not None:
        raise ServiceError(_("This appointment has already ended."))
    if ended_on < locked.letter_date:
        raise ServiceError(_("An appointment cannot end before its letter's date."))
    locked.ended_on, locked.end_reason = ended_on, reason.strip()[:255]
    locked.save(update_fields=["ended_on", "end_reason"])
    return locked


# --- potentials ---------------------------------------------------------------------------------------


def _cycle_open(cycle_id) -> None:
    cycle = Cycle.objects.get(pk=cycle_id)
    if not cycle.is_open:
        raise ServiceError(
            _("The %(year)s cycle is closed: its potentials can no longer change.") % {"year": cycle.year}
        )


def create_potential(potential: Potential, *, actor) -> Potential:
    """Save a new row of the OPD's questionnaire (an unsaved instance with its fields set).

    It belongs to the actor's OPD; only that OPD's PPKSD write it, while the cycle is open.
    """
    if potential.pk is not None:
        raise ValueError("create_potential() is for new potentials; use update_potential() for an edit.")
    if not rules.can_map(actor):
        raise PermissionDenied
    potential.opd_id = actor.opd_id
    potential.created_by = actor
    _cycle_open(potential.cycle_id)
    potential.save()
    return potential


POTENTIAL_EDIT_FIELDS = frozenset(
    {
        "urusan",
        "title",
        "description",
        "location",
        "problem",
        "strategic_issue",
        "strategic_issue_other",
        "candidate_partners",
        "candidate_kind",
        "expected_benefit",
        "mandatory_basis",
        "affected_neighbours",
    }
)


@transaction.atomic
def update_potential(potential: Potential, *, actor, changes: dict, edition: Edition | None = None) -> Potential:
    """Save an edit of a potential by its OPD's PPKSD while the cycle is open; refuses with
    StaleEdit an edit read before a colleague changed the same fields."""
    _only(changes, POTENTIAL_EDIT_FIELDS)

    def check(locked: Potential) -> None:
        if not is_ppksd_of(actor, locked.opd_id):
            raise PermissionDenied
        _cycle_open(locked.cycle_id)

    return concurrency.edit(Potential, potential.pk, changes, edition=edition, actor=actor, check=check)


# --- proposals ----------------------------------------------------------------------------------------


def _event(proposal: Proposal, *, actor, to_status: str, note: str = "", document=None, at=None) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        from_status=proposal.status if proposal.pk else "",
        to_status=to_status,
        actor=actor,
        at=at or timezone.now(),
        note=str(note),
        document=document,
    )


def set_status(proposal: Proposal, to_status: str, *, actor, note="", document=None, fields=()) -> None:
    _event(proposal, actor=actor, to_status=to_status, note=note, document=document)
    proposal.status = to_status
    proposal.save(update_fields=["status", "updated_at", *fields])


def _check_proposal(proposal: Proposal) -> None:
    potential = Potential.objects.select_related("cycle").get(pk=proposal.potential_id)
    if potential.opd_id != proposal.opd_id:
        raise ServiceError(_("A proposal grows from a potential of its own OPD."))
    # A proposal carried over from an earlier cycle stays in the cycle it was carried to.
    carried = proposal.pk and proposal.cycle_id and proposal.cycle_id != potential.cycle_id
    cycle = Cycle.objects.get(pk=proposal.cycle_id) if carried else potential.cycle
    if not cycle.is_open:
        raise ServiceError(_("The %(year)s cycle is closed.") % {"year": cycle.year})
    proposal.cycle_id = cycle.pk
    if proposal.kind == Kind.KSDD and not proposal.ksdd_nature:
        raise ServiceError(_("Say whether this KSDD is mandatory or voluntary."))
    if proposal.kind == Kind.KSDPK and not proposal.ksdpk_type:
        raise ServiceError(_("Choose the KSDPK type (PP 28/2018 Pasal 15)."))


@transaction.atomic
def create_proposal(proposal: Proposal, *, actor, partners=()) -> Proposal:
    """Save a new draft proposal of the actor's OPD (an unsaved instance with its fields set)."""
    if not rules.can_map(actor):
        raise PermissionDenied
    proposal.opd_id = actor.opd_id
    _check_proposal(proposal)
    year = Cycle.objects.values_list("year", flat=True).get(pk=proposal.cycle_id)
    proposal.number = f"U-{year}-{Counter.allocate(PROPOSAL_SERIES, year):03d}"
    proposal.created_by = actor
    proposal.status = ProposalStatus.DRAFT
    proposal.save()
    proposal.partners.set(partners)
    ProposalEvent.objects.create(
        proposal=proposal, from_status="", to_status=ProposalStatus.DRAFT, actor=actor, at=timezone.now()
    )
    return proposal


PROPOSAL_EDIT_FIELDS = frozenset(
    {
        "potential",
        "title",
        "kind",
        "ksdd_nature",
        "ksdpk_type",
        "form",
        "model",
        "urusan",
        "object",
        "other_candidates",
        "benefit",
        "cost_estimate",
        "funding_source",
        "burdens_community",
        "not_yet_budgeted",
        "burden_justification",
        "duration_months",
        "rpjmd_reference",
        "plan_exception",
        "plan_exception_basis",
    }
)


@transaction.atomic
def update_proposal(
    proposal: Proposal, *, actor, changes: dict, partners=None, edition: Edition | None = None
) -> Proposal:
    """Save the edits of a draft or of a returned proposal; a submitted one is locked. `partners`
    replaces the candidate partners when given. Refuses with StaleEdit an edit read before a
    colleague changed the same fields; the status is never written here."""
    _only(changes, PROPOSAL_EDIT_FIELDS)

    def check(locked: Proposal) -> None:
        if not rules.can_edit_proposal(actor, locked):
            if is_ppksd_of(actor, locked.opd_id):
                raise ServiceError(_("A submitted proposal is locked unless the TKKSD returns it for revision."))
            raise PermissionDenied

    locked = concurrency.edit(
        Proposal,
        proposal.pk,
        changes,
        edition=edition,
        actor=actor,
        compared=[*changes, "partners"] if partners is not None else None,
        check=check,
        validate=_check_proposal,
        also=["cycle"],
    )
    if partners is not None:
        locked.partners.set(partners)
    return locked


@transaction.atomic
def submit_proposal(proposal: Proposal, *, actor, today: dt.date | None = None) -> Proposal:
    """Send a draft (or a revised, returned proposal) to the TKKSD. A first submission must meet the
    cycle's deadline; a revision asked for by the TKKSD may come later."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=proposal.pk)
    if not is_ppksd_of(actor, locked.opd_id):
        raise PermissionDenied
    if locked.status not in rules.EDITABLE_STATUSES:
        raise ServiceError(_("This proposal has already been submitted."))
    if not locked.cycle.is_open:
        raise ServiceError(_("The %(year)s cycle is closed.") % {"year": locked.cycle.year})
    today = today or timezone.localdate()
    if locked.status == ProposalStatus.DRAFT and today > locked.cycle.submission_deadline:
        raise ServiceError(
            _("Submissions for %(year)s closed on %(date)s.")
            % {"year": locked.cycle.year, "date": date_format(locked.cycle.submission_deadline)}
        )
    if not locked.partners.exists():
        raise ServiceError(_("Choose at least one registered candidate partner before submitting."))
    locked.submitted_at = timezone.now()
    set_status(locked, ProposalStatus.SUBMITTED, actor=actor, fields=["submitted_at"])
    proposal.status, proposal.submitted_at = locked.status, locked.submitted_at
    signals.handoff.send(sender=Proposal, event=signals.PROPOSAL_SUBMITTED, subject=locked, actor=actor)
    return locked


def open_agenda_item(proposal: Proposal) -> AgendaItem | None:
    return AgendaItem.objects.select_related("plenary").filter(proposal=proposal, is_open=True).first()


@transaction.atomic
def return_proposal(proposal: Proposal, *, actor, note: str) -> Proposal:
    """The TKKSD sends a submitted (or deferred) proposal back to its OPD with what to revise."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=proposal.pk)
    if not rules.is_tkksd(actor):
        raise PermissionDenied
    if locked.status not in rules.RETURNABLE_STATUSES or not locked.cycle.is_open:
        raise ServiceError(_("Only a submitted or deferred proposal of an open cycle can be returned."))
    if not note.strip():
        raise ServiceError(_("Write what the OPD should revise."))
    if open_agenda_item(locked):
        raise ServiceError(_("This proposal is on the agenda of an open plenary: decide on it there."))
    locked.revision_note = note.strip()
    set_status(locked, ProposalStatus.RETURNED, actor=actor, note=locked.revision_note, fields=["revision_note"])
    signals.handoff.send(sender=Proposal, event=signals.PROPOSAL_RETURNED, subject=locked, actor=actor)
    return locked


# --- the plenary -----------------------------------------------------------------------------------------


def schedule_plenary(plenary: Plenary, *, actor) -> Plenary:
    """Schedule a plenary meeting of an open cycle (an unsaved instance with its fields set)."""
    cycle = Cycle.objects.get(pk=plenary.cycle_id)
    if not rules.is_tkksd(actor):
        raise PermissionDenied
    if not cycle.is_open:
        raise ServiceError(_("The %(year)s cycle is closed.") % {"year": cycle.year})
    plenary.created_by = actor
    plenary.save()
    return plenary


PLENARY_EDIT_FIELDS = frozenset({"date", "start_time", "place", "chair", "follow_up"})


@transaction.atomic
def update_plenary(plenary: Plenary, *, actor, changes: dict, edition: Edition | None = None) -> Plenary:
    """Save the meeting's details while it is open; refuses with StaleEdit an edit read before
    someone else changed the same fields, and with ServiceError a date moved before the deadline
    for proposals (the plenary decides on what was submitted by then)."""
    _only(changes, PLENARY_EDIT_FIELDS)

    def check(locked: Plenary) -> None:
        if not rules.can_manage_plenary(actor, locked):
            raise PermissionDenied
        deadline = locked.cycle.submission_deadline
        if "date" in changes and changes["date"] != locked.date and changes["date"] < deadline:
            raise ServiceError(
                _(
                    "The plenary cannot be moved before the deadline for proposals, %(deadline)s: it decides on "
                    "the proposals submitted by then."
                )
                % {"deadline": long_date(deadline)}
            )

    return concurrency.edit(Plenary, plenary.pk, changes, edition=edition, actor=actor, check=check)


def _lock_open_plenary(plenary: Plenary, actor) -> Plenary:
    if not rules.is_tkksd(actor):
        raise PermissionDenied
    locked = Plenary.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=plenary.pk)
    if not locked.is_open:
        raise ServiceError(_("This plenary is closed; its Berita Acara has been issued."))
    return locked


@transaction.atomic
def add_to_agenda(plenary: Plenary, *, actor, proposals) -> list[AgendaItem]:
    """Put submitted or deferred proposals of the plenary's cycle on its agenda."""
    plenary = _lock_open_plenary(plenary, actor)
    if not proposals:
        raise ServiceError(_("Choose at least one proposal."))
    order = plenary.agenda.aggregate(last=Max("order"))["last"] or 0
    items = []
    for proposal in (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .filter(pk__in=[p.pk for p in proposals])
        .order_by("pk")
    ):
        if proposal.cycle_id != plenary.cycle_id:
            if not rules.carries_over(proposal, plenary.cycle):
                raise ServiceError(format_lazy(_("“{title}” belongs to another cycle."), title=proposal.title))
            _carry_over(proposal, plenary.cycle, actor=actor)
        if proposal.status not in rules.AGENDA_STATUSES:
            raise ServiceError(
                format_lazy(
                    _("“{title}” is {status}: only submitted or deferred proposals go on an agenda."),
                    title=proposal.title,
                    status=proposal.get_status_display(),
                )
            )
        current = open_agenda_item(proposal)
        if current is not None:
            raise ServiceError(
                format_lazy(
                    _("“{title}” is already on the agenda of the open plenary of {date}."),
                    title=proposal.title,
                    date=date_format(current.plenary.date),
                )
            )
        order += 1
        try:
            with transaction.atomic():
                items.append(AgendaItem.objects.create(plenary=plenary, proposal=proposal, order=order))
        except IntegrityError:
            raise ServiceError(
                format_lazy(_("“{title}” is already on the agenda of an open plenary."), title=proposal.title)
            ) from None
    return items


def _carry_over(proposal: Proposal, cycle: Cycle, *, actor) -> None:
    """A proposal deferred in an earlier cycle's plenary moves to this cycle, its history with it."""
    note = format_lazy(
        _("Carried over from the {year} cycle, where the plenary deferred it."), year=proposal.cycle.year
    )
    proposal.cycle = cycle
    set_status(proposal, ProposalStatus.DEFERRED, actor=actor, note=note, fields=["cycle"])


@transaction.atomic
def remove_from_agenda(item: AgendaItem, *, actor) -> None:
    _lock_open_plenary(item.plenary, actor)
    item.delete()


@transaction.atomic
def record_attendance(plenary: Plenary, *, actor, members) -> None:
    """Set which TKKSD members attended (the team as its decree lists it); guests are kept."""
    plenary = _lock_open_plenary(plenary, actor)
    wanted = {member.pk: member for member in members}
    plenary.attendees.filter(member__isnull=False).exclude(member_id__in=wanted).delete()
    present = set(plenary.attendees.filter(member__isnull=False).values_list("member_id", flat=True))
    Attendee.objects.bulk_create(
        Attendee(plenary=plenary, member=member, name=member.name, position=member.position, order=member.order)
        for pk, member in wanted.items()
        if pk not in present
    )


@transaction.atomic
def add_guest(plenary: Plenary, *, actor, name: str, position: str) -> Attendee:
    plenary = _lock_open_plenary(plenary, actor)
    if not name.strip() or not position.strip():
        raise ServiceError(_("Enter the guest's name and position or institution."))
    last = plenary.attendees.aggregate(last=Max("order"))["last"] or 0
    return Attendee.objects.create(plenary=plenary, name=name.strip(), position=position.strip(), order=last + 1000)


@transaction.atomic
def remove_guest(attendee: Attendee, *, actor) -> None:
    _lock_open_plenary(attendee.plenary, actor)
    if not attendee.is_guest:
        raise ServiceError(_("TKKSD members are recorded with the attendance list, not removed one by one."))
    attendee.delete()


@transaction.atomic
def record_decision(
    plenary: Plenary, *, actor, proposal: Proposal, decision: str, rank: int | None = None, reasons: str = ""
) -> AgendaItem:
    """Record (or change, while the meeting is open) the plenary's decision on a proposal on its agenda."""
    plenary = _lock_open_plenary(plenary, actor)
    item = plenary.agenda.select_for_update().filter(proposal=proposal).first()
    if item is None:
        raise ServiceError(_("A decision can only be recorded for a proposal on this plenary's agenda."))
    if decision not in Decision.values:
        raise ServiceError(_("Choose the decision."))
    reasons = reasons.strip()
    if decision == Decision.PRIORITISED:
        if not rank or rank < 1:
            raise ServiceError(_("Give the prioritised proposal its rank (1 is the highest)."))
        if problem := lifecycle.plan_basis_missing(item.proposal):
            raise ServiceError(
                format_lazy(_("“{title}” cannot be prioritised: {problem}"), title=item.proposal.title, problem=problem)
            )
        taken = plenary.agenda.filter(rank=rank).exclude(pk=item.pk).select_related("proposal").first()
        if taken is not None:
            raise ServiceError(
                format_lazy(_("Rank {rank} is already given to “{title}”."), rank=rank, title=taken.proposal.title)
            )
    else:
        rank = None
        if not reasons:
            raise ServiceError(_("Write the reasons for this decision."))
    item.decision, item.rank, item.reasons = decision, rank, reasons
    item.decided_by, item.decided_at = actor, timezone.now()
    item.save(update_fields=["decision", "rank", "reasons", "decided_by", "decided_at"])
    return item


def _team_signatories():
    members = TkksdMember.objects.filter(is_active=True)
    chair = members.filter(team_role=TkksdMember.TeamRole.KETUA).order_by("order", "pk").first()
    secretary = members.filter(team_role=TkksdMember.TeamRole.SEKRETARIS).order_by("order", "pk").first()
    if chair is None or secretary is None:
        raise ServiceError(_("Record the TKKSD's chair and secretary first: they sign the Berita Acara."))
    return chair, secretary


@transaction.atomic
def minutes_series():
    return official.series_for(MINUTES_SERIES)


@transaction.atomic
def close_plenary(plenary: Plenary, *, actor, number: str = "") -> OfficialDocument:
    """Close the meeting: issue its Berita Acara and give every proposal on the agenda its decision.

    Refused while an agenda item has no decision, before the meeting's date, without an
    attendance list, or when the TKKSD's chair and secretary are not recorded. The Berita Acara
    is drafted and issued (numbered, snapshotted, queued for rendering) in the same transaction.
    """
    plenary = _lock_open_plenary(plenary, actor)
    if problem := rules.close_problem(actor, plenary, timezone.localdate()):
        raise ServiceError(problem)
    items = list(
        plenary.agenda.select_related("proposal__opd").prefetch_related("proposal__partners").order_by("order", "pk")
    )
    if not items:
        raise ServiceError(_("The agenda is empty: put the proposals to decide on it first."))
    undecided = [item.proposal.title for item in items if not item.decision]
    if undecided:
        raise ServiceError(
            format_lazy(
                _("The Berita Acara can only be issued once every agenda item has a decision. Still open: {titles}."),
                titles=", ".join(f"“{title}”" for title in undecided),
            )
        )
    attendees = list(plenary.attendees.order_by("order", "pk"))
    if not attendees:
        raise ServiceError(_("Record who attended before closing the meeting."))
    chair, secretary = _team_signatories()
    profile = pemda_profile()
    data = documents.minutes_data(
        plenary,
        items=items,
        attendees=attendees,
        chair=chair,
        secretary=secretary,
        regency_short=profile.regency.short_name,
    )
    draft = official.create_draft(
        actor=actor,
        kind=DocumentKind.BERITA_ACARA,
        series=official.series_for(MINUTES_SERIES),
        title=f"Berita Acara Rapat Pleno TKKSD {long_date(plenary.date)} (pemetaan {plenary.cycle.year})",
        data=data,
    )
    minutes = official.issue_document(draft, actor=actor, issue_date=plenary.date, number=number)
    for item in items:
        proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        proposal.rank = item.rank
        proposal.minutes = minutes
        proposal.revision_note = item.reasons if item.decision == Decision.RETURNED else ""
        set_status(
            proposal,
            item.decision,
            actor=actor,
            note=item.reasons,
            document=minutes,
            fields=["rank", "minutes", "revision_note"],
        )
    plenary.agenda.update(is_open=False)
    plenary.status, plenary.minutes = Plenary.Status.CLOSED, minutes
    plenary.closed_by, plenary.closed_at = actor, timezone.now()
    plenary.save(update_fields=["status", "minutes", "closed_by", "closed_at"])
    for item in items:
        signals.handoff.send(sender=AgendaItem, event=signals.PROPOSAL_DECIDED, subject=item, actor=actor)
    return minutes
