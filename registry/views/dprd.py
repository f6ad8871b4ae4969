"""The DPRD approval queue: the queue, a request's page (summary, attachments, review notes,
decision), the request letter, the overview for the TKKSD and the Pimpinan, and the calendar
of days off the deadline skips."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.formatting import long_date
from kerjasama.validators import cleaned_or_problem

from .. import dprd, selectors, services
from ..errors import AlreadyDone
from ..forms import DprdDecisionForm, DprdNoteForm, DprdReceiptForm, DprdRequestForm, DprdWithdrawForm
from ..pagination import page_of
from ..roles import Role, has_role, role_required
from ..rows import dprd_queue_rows

QUEUE_FILTERS = ("overdue", "due_soon")


@role_required(*dprd.QUEUE_ROLES)
def dprd_queue(request):
    today = timezone.localdate()
    status = request.GET.get("status", "")
    queryset = dprd.dprd_queue(request.user)
    if status in QUEUE_FILTERS:
        queryset = dprd.filter_queue(queryset, status, today)
    page = page_of(queryset, request.GET.get("page"))
    calendar = dprd.queue_calendar(page.rows, today)
    rows = dprd.queue_rows(page.rows, today, calendar=calendar)
    return render(
        request,
        "registry/dprd_queue.html",
        {
            "page": page,
            "rows": rows,
            "rows_html": dprd_queue_rows(rows),
            "counts": dprd.queue_counts(request.user, today, calendar=calendar),
            "status": status,
            "query": f"status={status}" if status in QUEUE_FILTERS else "",
            "workdays": dprd.deadline_workdays(),
            "can_see_overview": has_role(request.user, *dprd.OVERVIEW_ROLES),
        },
    )


@role_required(*dprd.QUEUE_ROLES)
def dprd_summary(request):
    """The home pages' card: how many requests wait, how many are overdue (loaded by htmx)."""
    return render(
        request,
        "registry/dprd_summary.html",
        {
            "counts": dprd.queue_counts(request.user, timezone.localdate()),
            "can_see_overview": has_role(request.user, *dprd.OVERVIEW_ROLES),
        },
    )


@role_required(*dprd.QUEUE_ROLES)
def dprd_detail(request, pk):
    approval = dprd.get_request_for(request.user, pk)
    user = request.user
    agreement = approval.agreement
    decision_form = None
    if dprd.can_decide(user, approval):
        decision_form = DprdDecisionForm()
        decision_form.helper.form_action = reverse("registry:dprd_decision", args=[approval.pk])
    return render(
        request,
        "registry/dprd_detail.html",
        {
            "approval": approval,
            "agreement": agreement,
            "row": dprd.queue_rows([approval], timezone.localdate())[0]
            if approval.is_open or approval.awaiting_receipt
            else None,
            "partners": agreement.partner_links.select_related("partner").order_by("partner__name"),
            "attachments": dprd.attachments_of(agreement),
            "letter": approval.request_letter,
            "notes": dprd.notes_of(approval),
            "note_form": DprdNoteForm() if dprd.can_write_note(user, approval) else None,
            "decision_form": decision_form,
            "withdraw_form": DprdWithdrawForm() if dprd.can_withdraw(user, approval) else None,
            "receipt_form": DprdReceiptForm() if dprd.can_record_receipt(user, approval) else None,
            "reads_registry": has_role(user, Role.TKKSD, Role.PIMPINAN, Role.ADMIN),
            "workdays": dprd.deadline_workdays(),
        },
    )


@require_POST
@role_required(Role.DPRD)
def dprd_note(request, pk):
    approval = dprd.get_request_for(request.user, pk)
    form = DprdNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note first."))
        return redirect(f"{approval.get_absolute_url()}#catatan")
    try:
        dprd.add_review_note(approval, actor=request.user, text=form.cleaned_data["text"])
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your note has been saved."))
    return redirect(f"{approval.get_absolute_url()}#catatan")


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def dprd_withdraw(request, pk):
    approval = dprd.get_request_for(request.user, pk)
    values, problem = cleaned_or_problem(DprdWithdrawForm(request.POST))
    if problem:
        messages.error(request, problem)
        return redirect(approval)
    try:
        dprd.withdraw_request(approval, actor=request.user, reason=values["reason"])
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect(approval)


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def dprd_receipt(request, pk):
    """Record the day the DPRD received the request letter: its term runs from then."""
    approval = dprd.get_request_for(request.user, pk)
    form = DprdReceiptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(approval)
    try:
        approval = dprd.record_receipt(approval, actor=request.user, **form.cleaned_data)
    except AlreadyDone as done:
        messages.info(request, done.message)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The DPRD's receipt has been recorded; its answer is due by %(date)s.")
            % {"date": long_date(approval.due_on)},
        )
    return redirect(approval)


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def dprd_letter_draft(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    try:
        approval = dprd.draft_request_letter(agreement, actor=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(agreement)
    messages.success(
        request,
        _(
            "The request letter has been drafted. Check it; Pimpinan issues it. Once the DPRD has received it, "
            "record the day of receipt on the request: the DPRD's term runs from that day."
        ),
    )
    return redirect(approval.request_letter)


@role_required(Role.TKKSD, Role.ADMIN)
def dprd_request(request, pk):
    """Record a request letter that was sent outside the app."""
    agreement = selectors.get_agreement_for(request.user, pk)
    form = DprdRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approval = services.request_dprd_approval(agreement, actor=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The request to the DPRD has been recorded."))
            return redirect(approval)
    return render(
        request, "registry/dprd_form.html", {"agreement": agreement, "form": form, "title": _("Request DPRD approval")}
    )


@role_required(Role.TKKSD, Role.ADMIN, Role.DPRD)
def dprd_decision(request, pk):
    approval = selectors.get_open_dprd_approval_for(request.user, pk)
    form = DprdDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_dprd_decision(
                approval,
                actor=request.user,
                decision=data["decision"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                letter_file=data["letter"],
                reasons=data["reasons"],
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The DPRD's decision has been recorded."))
            return redirect(approval)
    return render(
        request,
        "registry/dprd_form.html",
        {
            "agreement": approval.agreement,
            "form": form,
            "approval": approval,
            "title": _("Record the DPRD's decision"),
        },
    )


@role_required(*dprd.OVERVIEW_ROLES)
def dprd_overview(request):
    today = timezone.localdate()
    return render(
        request,
        "registry/dprd_overview.html",
        {
            "overview": dprd.overview(today),
            "preparing": dprd.in_preparation() if has_role(request.user, Role.TKKSD, Role.ADMIN) else None,
            "workdays": dprd.deadline_workdays(),
        },
    )


@role_required(*dprd.QUEUE_ROLES)
def dprd_calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun", today.year))
    except ValueError:
        year = today.year
    if not dprd.CALENDAR_YEARS[0] <= year <= dprd.CALENDAR_YEARS[1]:
        year = today.year
    return render(
        request,
        "registry/dprd_calendar.html",
        {
            "year": year,
            "days_off": dprd.days_off_of(year),
            "previous_year": year - 1 if year > dprd.CALENDAR_YEARS[0] else None,
            "next_year": year + 1 if year < dprd.CALENDAR_YEARS[1] else None,
            "can_add_days_off": request.user.is_staff and has_role(request.user, Role.ADMIN),
        },
    )
