"""Potentials (the mapping questionnaire) and proposals (usulan): lists, forms, the proposal's path,
submission and return for revision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.blank_forms import printed_blank
from kerjasama.concurrency import StaleEdit
from kerjasama.validators import cleaned_or_problem
from registry.pagination import page_of
from registry.roles import Role, role_required

from .. import rules, selectors, services
from ..filters import PotentialFilter, ProposalFilter
from ..forms import PotentialForm, ProposalForm, ReturnForm
from ..rows import proposal_rows
from .cycles import Refused


def _filtered(filterset, base):
    # Unreadable filter values are ignored rather than answered with an error page.
    return filterset.qs if filterset.is_bound and filterset.is_valid() else base


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- potentials ---------------------------------------------------------------------------------------


@role_required(*rules.PLANNING_ROLES)
def potential_list(request):
    base = selectors.potential_list(request.user)
    filterset = PotentialFilter(request.GET or None, queryset=base)
    page = page_of(_filtered(filterset, base), request.GET.get("page"))
    return render(
        request,
        "planning/potential_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query(request),
            "can_add": rules.can_map(request.user) and selectors.open_cycles().exists(),
        },
    )


@role_required(Role.PPKSD)
def potential_create(request):
    if not rules.can_map(request.user):
        messages.error(request, _("Your account is not linked to an OPD yet. Ask the administrator to set it."))
        return redirect("planning:potential_list")
    if not selectors.open_cycles().exists():
        messages.error(request, _("No mapping cycle is open."))
        return redirect("planning:potential_list")
    form = PotentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            potential = services.create_potential(form.save(commit=False), actor=request.user)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The potential has been recorded."))
            return redirect(potential)
    return render(request, "planning/potential_form.html", {"form": form, "creating": True})


@role_required(*rules.PLANNING_ROLES)
def potential_detail(request, pk):
    potential = selectors.get_potential_for(request.user, pk)
    return render(
        request,
        "planning/potential_detail.html",
        {
            "potential": potential,
            "proposals": selectors.proposals_of_potential(potential, request.user),
            "can_edit": rules.can_edit_potential(request.user, potential),
        },
    )


@role_required(Role.PPKSD)
def potential_edit(request, pk):
    potential = selectors.get_potential_for(request.user, pk)
    if not rules.can_edit_potential(request.user, potential):
        messages.error(request, _("This potential can no longer be changed."))
        return redirect(potential)
    form = PotentialForm(request.POST or None, instance=potential)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_potential(potential, actor=request.user, changes=form.model_changes(), edition=form.edition)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The potential has been saved."))
            return redirect(potential)
    return render(request, "planning/potential_form.html", {"form": form, "potential": potential})


# --- proposals ----------------------------------------------------------------------------------------


@role_required(*rules.PLANNING_ROLES)
def proposal_list(request):
    base = selectors.proposal_list(request.user)
    filterset = ProposalFilter(request.GET or None, queryset=base)
    page = page_of(_filtered(filterset, base), request.GET.get("page"))
    return render(
        request,
        "planning/proposal_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows_html": proposal_rows(page.rows),
            "query": _query(request),
            "can_add": rules.can_map(request.user),
        },
    )


@role_required(Role.PPKSD)
def proposal_create(request):
    if not rules.can_map(request.user):
        messages.error(request, _("Your account is not linked to an OPD yet. Ask the administrator to set it."))
        return redirect("planning:proposal_list")
    potential = None
    potential_pk = request.GET.get("potensi", "")
    if potential_pk.isdigit():
        potential = selectors.get_potential_for(request.user, int(potential_pk))
    form = ProposalForm(request.POST or None, user=request.user, potential=potential)
    # Read once: the choice of potential prints the rows this reads.
    if not form.fields["potential"].queryset:
        if not selectors.open_cycles().exists():
            messages.error(
                request,
                _("No mapping cycle is open: proposals can be made once the TKKSD opens the next cycle."),
            )
            return redirect("planning:proposal_list")
        messages.error(request, _("A proposal grows from a potential: map one in an open cycle first."))
        return redirect("planning:potential_list")
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                form.save(commit=False), actor=request.user, partners=form.cleaned_data["partners"]
            )
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft proposal %(number)s has been saved.") % {"number": proposal.number})
            return redirect(proposal)
    # Printed once per set of potentials, urusan and partners it offers (kerjasama/blank_forms.py).
    return render(
        request, "planning/proposal_form.html", {"form": form, "form_html": printed_blank(form), "creating": True}
    )


@role_required(*rules.PLANNING_ROLES)
def proposal_detail(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk)
    user = request.user
    can_return = rules.can_return_proposal(user, proposal)
    decisions = list(selectors.proposal_decisions(proposal))
    decided = [item for item in decisions if item.decision and not item.is_open]
    return render(
        request,
        "planning/proposal_detail.html",
        {
            "proposal": proposal,
            "events": selectors.proposal_events(proposal),
            "decisions": decisions,
            "latest_decision": decided[-1] if decided else None,
            "can_edit": rules.can_edit_proposal(user, proposal),
            "return_form": ReturnForm() if can_return else None,
            "reads_all": rules.reads_all(user),
        },
    )


@role_required(Role.PPKSD)
def proposal_edit(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk)
    if not rules.can_edit_proposal(request.user, proposal):
        messages.error(request, _("A submitted proposal is locked unless the TKKSD returns it for revision."))
        return redirect(proposal)
    form = ProposalForm(request.POST or None, instance=proposal, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                proposal,
                actor=request.user,
                changes=form.model_changes(),
                partners=form.cleaned_data["partners"],
                edition=form.edition,
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The proposal has been saved."))
            return redirect(proposal)
    return render(request, "planning/proposal_form.html", {"form": form, "proposal": proposal})


@require_POST
@role_required(Role.PPKSD)
def proposal_submit(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk)
    try:
        services.submit_proposal(proposal, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal has been submitted to the TKKSD."))
    return redirect(proposal)


@require_POST
@role_required(Role.TKKSD)
def proposal_return(request, pk):
    proposal = selectors.get_proposal_for(request.user, pk)
    values, problem = cleaned_or_problem(ReturnForm(request.POST))
    if problem:
        messages.error(request, problem)
        return redirect(proposal)
    try:
        services.return_proposal(proposal, actor=request.user, note=values["note"])
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal has been returned to its OPD for revision."))
    return redirect(proposal)
