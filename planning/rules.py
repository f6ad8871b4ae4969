"""Who may do what in planning, object by object. Views pass these answers to templates;
services ask them again before writing.

The OPD writes (its PPKSD map potentials, draft and submit proposals, record their appointment
letters); the TKKSD runs the cycle and the plenary and drafts the programme decree; Pimpinan
reads everything and issues the decree; Admin reads. The DPRD sees nothing here: the issued
decree reaches it through the official documents.
"""

from django.utils.translation import gettext_lazy as _

from kerjasama.formatting import long_date
from registry import official
from registry.models import DocumentKind, Office
from registry.roles import READ_ALL_ROLES, Role, has_role, is_ppksd_of

from .models import Cycle, Plenary, Potential, Proposal, ProposalStatus

# Roles that open the planning pages at all.
PLANNING_ROLES = (*READ_ALL_ROLES, Role.PPKSD)
# Roles that read every OPD's planning records.
READERS = READ_ALL_ROLES


def reads_all(user) -> bool:
    return has_role(user, *READERS)


def is_tkksd(user) -> bool:
    return has_role(user, Role.TKKSD)


def can_manage_cycles(user) -> bool:
    return is_tkksd(user)


def can_edit_cycle(user, cycle: Cycle) -> bool:
    return is_tkksd(user) and cycle.is_open


def can_record_appointment(user, opd_id) -> bool:
    return has_role(user, Role.TKKSD, Role.ADMIN) or is_ppksd_of(user, opd_id)


def can_map(user) -> bool:
    """Whether the user may add potentials and proposals (for their OPD)."""
    return has_role(user, Role.PPKSD) and bool(user.opd_id)


def can_edit_potential(user, potential: Potential) -> bool:
    return is_ppksd_of(user, potential.opd_id) and potential.cycle.is_open


EDITABLE_STATUSES = frozenset({ProposalStatus.DRAFT, ProposalStatus.RETURNED})
# A TKKSD may send these back to the OPD outside a plenary.
RETURNABLE_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.DEFERRED})
# These may be put on a plenary's agenda.
AGENDA_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.DEFERRED})


def carries_over(proposal: Proposal, cycle: Cycle) -> bool:
    """A proposal deferred in an earlier cycle's plenary is offered on a later cycle's agenda,
    rather than lost when its cycle closes."""
    return proposal.status == ProposalStatus.DEFERRED and proposal.cycle.year < cycle.year


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Drafts and returned proposals are edited (and submitted) by their OPD; the rest is locked."""
    return is_ppksd_of(user, proposal.opd_id) and proposal.status in EDITABLE_STATUSES and proposal.cycle.is_open


def can_return_proposal(user, proposal: Proposal) -> bool:
    return is_tkksd(user) and proposal.status in RETURNABLE_STATUSES and proposal.cycle.is_open


def can_schedule_plenary(user, cycle: Cycle) -> bool:
    return is_tkksd(user) and cycle.is_open


def can_manage_plenary(user, plenary: Plenary) -> bool:
    return is_tkksd(user) and plenary.is_open


def close_problem(user, plenary: Plenary, today):
    """Why this user cannot close the plenary now (the button is shown disabled with it), or None.

    Closing issues the Berita Acara, which the Ketua TKKSD signs (or a TKKSD officer on a recorded
    delegation); a meeting is closed on or after its date.
    """
    if not official.may_act_for(user, Office.KETUA_TKKSD, DocumentKind.BERITA_ACARA):
        return _(
            "Closing the meeting issues its Berita Acara: only the Ketua TKKSD, or a TKKSD officer holding a "
            "recorded delegation to issue it, may close it."
        )
    if plenary.date > today:
        return _("The meeting can be closed from its date, %(date)s.") % {"date": long_date(plenary.date)}
    return None


def can_draft_programme(user, cycle: Cycle) -> bool:
    return is_tkksd(user) and cycle.is_open


def can_issue_programme(user, cycle: Cycle) -> bool:
    return cycle.decree is not None and official.can_issue(user, cycle.decree)
