"""The TKKSD plenary: schedule, agenda, attendance, decisions, and closing with the Berita Acara."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit
from kerjasama.validators import cleaned_or_problem
from registry.roles import Role, role_required

from .. import rules, selectors, services
from ..forms import AgendaForm, AttendanceForm, DecisionForm, GuestForm, MinutesNumberForm, PlenaryForm
from .cycles import Refused


@role_required(Role.TKKSD)
def plenary_create(request, pk):
    cycle = selectors.get_cycle_for(request.user, pk)
    if not rules.can_schedule_plenary(request.user, cycle):
        messages.error(request, _("The programme of this cycle has been fixed; no plenary can be added."))
        return redirect(cycle)
    form = PlenaryForm(request.POST or None, initial={"date": cycle.plenary_date})
    if request.method == "POST" and form.is_valid():
        plenary = form.save(commit=False)
        plenary.cycle = cycle
        try:
            services.schedule_plenary(plenary, actor=request.user)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plenary has been scheduled."))
            return redirect(plenary)
    return render(request, "planning/plenary_form.html", {"form": form, "cycle": cycle, "creating": True})


@role_required(Role.TKKSD)
def plenary_edit(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    if not rules.can_manage_plenary(request.user, plenary):
        messages.error(request, _("This plenary is closed; its Berita Acara has been issued."))
        return redirect(plenary)
    form = PlenaryForm(request.POST or None, instance=plenary)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plenary(plenary, actor=request.user, changes=form.model_changes(), edition=form.edition)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plenary has been saved."))
            return redirect(plenary)
    return render(request, "planning/plenary_form.html", {"form": form, "cycle": plenary.cycle, "plenary": plenary})


@role_required(*rules.READERS)
def plenary_detail(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    manage = rules.can_manage_plenary(request.user, plenary)
    attendees = list(plenary.attendees.all())
    context = {
        "plenary": plenary,
        "agenda": selectors.agenda_of(plenary),
        "attendees": attendees,
        "manage": manage,
        "close_problem": rules.close_problem(request.user, plenary, timezone.localdate()) if manage else None,
        "minutes_from_register": services.minutes_series().mode == "register",
        "decisions": DecisionForm.base_fields["decision"].choices,
    }
    if manage:
        context["agenda_form"] = AgendaForm(plenary=plenary)
        context["attendance_form"] = AttendanceForm(
            initial={"members": [a.member_id for a in attendees if a.member_id]}
        )
    return render(request, "planning/plenary_detail.html", context)


@require_POST
@role_required(Role.TKKSD)
def agenda_add(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    form = AgendaForm(request.POST, plenary=plenary)
    if not form.is_valid():
        messages.error(request, _("Choose at least one submitted proposal that is on no other open agenda."))
        return redirect(plenary)
    try:
        items = services.add_to_agenda(plenary, actor=request.user, proposals=list(form.cleaned_data["proposals"]))
    except Refused as error:
        messages.error(request, error.message)
    else:
        count = len(items)
        messages.success(
            request,
            ngettext("%(count)s proposal added to the agenda.", "%(count)s proposals added to the agenda.", count)
            % {"count": count},
        )
    return redirect(plenary)


@require_POST
@role_required(Role.TKKSD)
def agenda_remove(request, pk, item_pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    item = selectors.get_agenda_item(plenary, item_pk)
    try:
        services.remove_from_agenda(item, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal has been taken off the agenda."))
    return redirect(plenary)


@require_POST
@role_required(Role.TKKSD)
def decision_record(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision could not be read: choose a decision and, to prioritise, a rank."))
        return redirect(plenary)
    data = form.cleaned_data
    try:
        services.record_decision(
            plenary,
            actor=request.user,
            proposal=data["proposal"],
            decision=data["decision"],
            rank=data["rank"],
            reasons=data["reasons"],
        )
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded for %(number)s.") % {"number": data["proposal"].number})
    return redirect(f"{plenary.get_absolute_url()}#agenda")


@require_POST
@role_required(Role.TKKSD)
def attendance_record(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The attendance list could not be read."))
        return redirect(plenary)
    try:
        services.record_attendance(plenary, actor=request.user, members=list(form.cleaned_data["members"]))
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The attendance list has been saved."))
    return redirect(f"{plenary.get_absolute_url()}#attendance")


@require_POST
@role_required(Role.TKKSD)
def guest_add(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    values, problem = cleaned_or_problem(GuestForm(request.POST))
    if problem:
        messages.error(request, problem)
        return redirect(f"{plenary.get_absolute_url()}#attendance")
    try:
        services.add_guest(plenary, actor=request.user, name=values["name"], position=values["position"])
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The guest has been added to the attendance list."))
    return redirect(f"{plenary.get_absolute_url()}#attendance")


@require_POST
@role_required(Role.TKKSD)
def guest_remove(request, pk, attendee_pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    attendee = get_object_or_404(plenary.attendees.select_related("plenary"), pk=attendee_pk)
    try:
        services.remove_guest(attendee, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The guest has been removed from the attendance list."))
    return redirect(f"{plenary.get_absolute_url()}#attendance")


@require_POST
@role_required(Role.TKKSD)
def plenary_close(request, pk):
    plenary = selectors.get_plenary_for(request.user, pk)
    form = MinutesNumberForm(request.POST)
    number = form.cleaned_data["number"] if form.is_valid() else ""
    try:
        minutes = services.close_plenary(plenary, actor=request.user, number=number)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The plenary is closed; its Berita Acara has been issued as number %(number)s.")
            % {"number": minutes.number},
        )
    return redirect(plenary)
