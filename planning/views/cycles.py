"""Cycles (schedule and per-OPD progress), the programme decree, and the PPKSD appointments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit
from registry import official
from registry.forms import IssueForm
from registry.roles import Role, has_role, role_required

from .. import programme, rows, rules, selectors, services
from ..forms import AppointmentForm, CycleForm, EndAppointmentForm, ProgrammeForm
from ..models import ProposalStatus

# Every planning service refuses with this error (planning's own ServiceError extends it).
Refused = official.ServiceError


@role_required(*rules.PLANNING_ROLES)
def cycle_list(request):
    return render(
        request,
        "planning/cycle_list.html",
        {
            "cycles": selectors.cycle_list(request.user),
            "can_open": rules.can_manage_cycles(request.user),
            "can_map": rules.can_map(request.user),
        },
    )


@role_required(Role.TKKSD)
def cycle_create(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.open_cycle(form.save(commit=False), actor=request.user)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The %(year)s mapping cycle is open.") % {"year": cycle.year})
            return redirect(cycle)
    return render(request, "planning/cycle_form.html", {"form": form, "creating": True})


@role_required(Role.TKKSD)
def cycle_edit(request, pk):
    cycle = selectors.get_cycle_for(request.user, pk)
    if not rules.can_edit_cycle(request.user, cycle):
        messages.error(request, _("The programme of this cycle has been fixed; its schedule no longer changes."))
        return redirect(cycle)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle(cycle, actor=request.user, changes=form.model_changes(), edition=form.edition)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The schedule has been saved."))
            return redirect(cycle)
    return render(request, "planning/cycle_form.html", {"form": form, "cycle": cycle})


@role_required(*rules.PLANNING_ROLES)
def cycle_detail(request, pk):
    cycle = selectors.get_cycle_for(request.user, pk)
    user = request.user
    reads_all = rules.reads_all(user)
    progress = selectors.cycle_progress(cycle, user)
    context = {
        "cycle": cycle,
        "progress": progress,
        "progress_html": rows.progress_rows(progress),
        "reads_all": reads_all,
        "plenaries": selectors.plenaries_of(cycle, user) if reads_all else (),
        "can_edit": rules.can_edit_cycle(user, cycle),
        "can_schedule": rules.can_schedule_plenary(user, cycle),
        "can_map": rules.can_map(user) and cycle.is_open,
        "decree": cycle.decree,
        "can_issue": rules.can_issue_programme(user, cycle),
        "issue_form": IssueForm(series=cycle.decree.series) if cycle.decree_id else None,
    }
    if reads_all:
        context["candidates"] = programme.programme_candidates(cycle)
        context["adopted"] = (
            selectors.proposals_visible_to(user)
            .filter(cycle=cycle, status=ProposalStatus.ADOPTED)
            .select_related("agreement", "opd")
        )
    if rules.can_draft_programme(user, cycle):
        context["programme_form"] = ProgrammeForm(cycle=cycle)
    return render(request, "planning/cycle_detail.html", context)


@require_POST
@role_required(Role.TKKSD)
def programme_draft(request, pk):
    cycle = selectors.get_cycle_for(request.user, pk)
    form = ProgrammeForm(request.POST, cycle=cycle)
    if not form.is_valid():
        messages.error(request, _("Choose the prioritised proposals to put in the programme."))
        return redirect(cycle)
    try:
        decree = programme.draft_programme(cycle, actor=request.user, proposals=list(form.cleaned_data["proposals"]))
    except Refused as error:
        messages.error(request, error.message)
        return redirect(cycle)
    messages.success(request, _("The draft SK Bupati on the programme is ready for Pimpinan to issue."))
    return redirect(decree)


@require_POST
@role_required(Role.PIMPINAN)
def programme_issue(request, pk):
    cycle = selectors.get_cycle_for(request.user, pk)
    if cycle.decree is not None and not cycle.decree.is_draft:
        # A double click, or another Pimpinan was quicker.
        messages.info(
            request, _("The SK Bupati has already been issued as number %(number)s.") % {"number": cycle.decree.number}
        )
        return redirect(cycle)
    if not rules.can_issue_programme(request.user, cycle):
        messages.error(request, _("There is no draft programme decree to issue."))
        return redirect(cycle)
    form = IssueForm(request.POST, series=cycle.decree.series)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(cycle)
    try:
        decree = programme.issue_programme(cycle, actor=request.user, **form.issue_arguments())
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The SK Bupati has been issued as number %(number)s; its proposals are now agreements in the registry.")
            % {"number": decree.number},
        )
    return redirect(cycle)


# --- PPKSD appointments ----------------------------------------------------------------------------------


def _may_record_any(user) -> bool:
    return has_role(user, Role.TKKSD, Role.ADMIN) or rules.can_map(user)


@role_required(*rules.PLANNING_ROLES)
def appointments(request):
    user = request.user
    form = AppointmentForm(request.POST or None, actor=user) if _may_record_any(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_appointment(
                    actor=user, user=data["user"], letter_number=data["letter_number"], letter_date=data["letter_date"]
                )
            except Refused as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The appointment of %(name)s has been recorded.") % {"name": data["user"]})
                return redirect("planning:appointments")
    return render(
        request,
        "planning/appointments.html",
        {"board": selectors.appointment_board(user), "form": form, "can_end": _may_record_any(user)},
    )


@require_POST
@role_required(Role.TKKSD, Role.ADMIN, Role.PPKSD)
def appointment_end(request, pk):
    appointment = selectors.get_running_appointment_for(request.user, pk)
    form = EndAppointmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the appointment ended."))
        return redirect("planning:appointments")
    try:
        services.end_appointment(
            appointment, actor=request.user, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["reason"]
        )
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appointment of %(name)s has ended.") % {"name": appointment.user})
    return redirect("planning:appointments")
