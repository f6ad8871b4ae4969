"""Monthly implementation reports: the list and review queue, an agreement's periods, filing,
revising, reviewing, and the evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.blank_forms import printed_blank
from kerjasama.concurrency import StaleEdit
from registry.pagination import head_and_tally, page_of
from registry.roles import READ_ALL_ROLES, Role, role_required

from .. import periods, rows, selectors, services
from ..evaluations import EVALUABLE_STAGES, can_evaluate
from ..forms import ReportFilter, ReportForm, ReviewForm

READERS = (*READ_ALL_ROLES, Role.PPKSD, Role.DPRD)
# The reports still to file this month: the most recently changed agreements first, read in the
# order of the OPD's index (registry agreement_opd_running), and how many in all up to a cap.
OWING_ROWS = 20
OWING_CAP = 100


@role_required(*READERS)
def report_list(request):
    user = request.user
    today = timezone.localdate()
    base = selectors.report_list(user)
    filterset = ReportFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = page_of(queryset, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    period = periods.current_period(today)
    context = {
        "filter": filterset,
        "page": page,
        "rows_html": rows.report_rows(page.rows),
        "query": query.urlencode(),
        "period": period,
    }
    if services.files_reports(user):
        owing = selectors.owing_report(selectors.dashboard_scope(user), period)
        context["owing"], context["owing_tally"] = head_and_tally(
            owing.order_by("-updated_at", "-pk").values("pk", "title", "register_number"), OWING_ROWS, OWING_CAP
        )
        context["owing_html"] = rows.owing_rows(context["owing"], period)
    if services.can_review_reports(user):
        context["review_count"] = selectors.review_queue(user).count()
    return render(request, "monitoring/report_list.html", context)


@login_required
def agreement_reports(request, pk):
    """Every period the agreement has had to report on, with its report or its state."""
    agreement = selectors.get_monitored_agreement_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/agreement_reports.html",
        {
            "agreement": agreement,
            "states": selectors.period_states(agreement, today),
            "owes_reports": selectors.owes_reports(agreement),
            "can_file": services.can_file_report(request.user, agreement),
            "evaluations": selectors.evaluations_visible_to(request.user).filter(agreement=agreement).order_by("-year"),
            "can_evaluate": can_evaluate(request.user) and agreement.stage in EVALUABLE_STAGES,
        },
    )


@login_required
def report_create(request, pk):
    agreement = selectors.get_monitored_agreement_for(request.user, pk)
    if not services.can_file_report(request.user, agreement):
        raise PermissionDenied
    today = timezone.localdate()
    period = periods.parse_period(request.GET.get("periode")) or periods.current_period(today)
    existing = agreement.implementation_reports.filter(period=period).first()
    if existing is not None:
        return redirect("monitoring:report_edit", pk=existing.pk)
    try:
        services.check_period(agreement, period, today)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect("monitoring:agreement_reports", pk=agreement.pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.file_report(
                agreement,
                actor=request.user,
                period=period,
                data=form.report_data(),
                evidence=form.cleaned_data["evidence"],
                today=today,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report has been filed and waits for the TKKSD's review."))
            return redirect(report)
    return render(
        request,
        "monitoring/report_form.html",
        {
            "agreement": agreement,
            "period": period,
            "due_date": periods.due_date(period),
            "form": form,
            # The same empty form for every agreement and month (kerjasama/blank_forms.py).
            "form_html": printed_blank(form),
        },
    )


@login_required
def report_detail(request, pk):
    report = selectors.get_report_for(request.user, pk)
    can_review = services.can_review_reports(request.user) and report.status == "submitted"
    next_to_review = None
    if services.can_review_reports(request.user):
        next_to_review = selectors.review_queue(request.user).exclude(pk=report.pk).first()
    return render(
        request,
        "monitoring/report_detail.html",
        {
            "report": report,
            "agreement": report.agreement,
            "attachments": report.attachments.all(),
            "events": report.events.select_related("actor"),
            "due_date": periods.due_date(report.period),
            "can_revise": services.can_revise_report(request.user, report),
            "review_form": ReviewForm() if can_review else None,
            "next_to_review": next_to_review,
        },
    )


@login_required
def report_edit(request, pk):
    report = selectors.get_report_for(request.user, pk)
    if not services.can_revise_report(request.user, report):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.revise_report(
                report,
                actor=request.user,
                data=form.report_data(),
                evidence=form.cleaned_data["evidence"],
                edition=form.edition,
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report has been filed again for review."))
            return redirect(report)
    return render(
        request,
        "monitoring/report_form.html",
        {
            "agreement": report.agreement,
            "report": report,
            "period": report.period,
            "due_date": periods.due_date(report.period),
            "form": form,
        },
    )


@require_POST
@role_required(Role.TKKSD)
def report_review(request, pk):
    report = selectors.get_report_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(report)
    try:
        services.review_report(
            report, actor=request.user, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(report)
    if form.cleaned_data["decision"] == services.ReviewDecision.ACCEPT:
        messages.success(request, _("The report has been accepted."))
    else:
        messages.success(request, _("The report has been returned to the OPD."))
    # Back to the report just reviewed, so that the message stands above it; the page links to
    # the next report waiting for review.
    return redirect(report)


@login_required
def attachment_download(request, pk):
    attachment = selectors.get_attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=False, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
