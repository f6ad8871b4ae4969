"""The annual evaluation (monev): list with the agreements still to evaluate, writing, making
final, and the printed report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit
from registry.official.pdf import pdf_response
from registry.pagination import head_and_tally, page_of
from registry.roles import READ_ALL_ROLES, Role, role_required

from .. import evaluations, opd_evaluations, rows, selectors
from ..forms import EvaluationForm, YearForm
from ..models import Score
from ..services import ServiceError

READERS = (*READ_ALL_ROLES, Role.PPKSD, Role.DPRD)
AWAITING_ROWS = 50
# Beyond this the backlog reads "more than 100": counted the same way at any size of the register.
AWAITING_CAP = 100


@role_required(*READERS)
def evaluation_list(request):
    user = request.user
    year_form = YearForm(request.GET or None)
    year = year_form.chosen_year()
    queryset = selectors.evaluation_list(user, year)
    page = page_of(queryset, request.GET.get("page"))
    context = {"year_form": year_form, "year": year, "page": page, "rows_html": rows.evaluation_rows(page.rows)}
    if evaluations.can_evaluate(user):
        awaiting = selectors.awaiting_evaluation(selectors.agreements_monitored_by(user), year)
        context["awaiting"], context["awaiting_tally"] = head_and_tally(
            awaiting.values("pk", "title", "lead_opd__name"), AWAITING_ROWS, AWAITING_CAP
        )
        context["awaiting_html"] = rows.awaiting_rows(context["awaiting"])
    return render(request, "monitoring/evaluation_list.html", context)


@role_required(Role.TKKSD)
def evaluation_create(request, pk):
    agreement = selectors.get_monitored_agreement_for(request.user, pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluations.create_evaluation(
                agreement, actor=request.user, year=form.cleaned_data["year"], data=form.evaluation_data()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The evaluation has been saved as a draft."))
            return redirect(evaluation)
    return render(request, "monitoring/evaluation_form.html", {"agreement": agreement, "form": form})


@login_required
def evaluation_detail(request, pk):
    evaluation = selectors.get_evaluation_for(request.user, pk)
    can_edit = evaluations.can_evaluate(request.user) and not evaluation.is_final
    criteria = [
        (criterion, score, Score(score).label)
        for criterion in evaluations.CRITERIA
        if (score := getattr(evaluation, criterion.field))
    ]
    return render(
        request,
        "monitoring/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "agreement": evaluation.agreement,
            "criteria": criteria,
            "can_edit": can_edit,
            "opd_evaluations": opd_evaluations.of_year(evaluation.agreement, evaluation.year),
        },
    )


@role_required(Role.TKKSD)
def evaluation_edit(request, pk):
    evaluation = selectors.get_evaluation_for(request.user, pk)
    if evaluation.is_final:
        messages.info(request, _("This evaluation is final; it can no longer be changed."))
        return redirect(evaluation)
    form = EvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluations.update_evaluation(
                evaluation, actor=request.user, data=form.evaluation_data(), edition=form.edition
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The evaluation has been saved."))
            return redirect(evaluation)
    return render(
        request,
        "monitoring/evaluation_form.html",
        {"agreement": evaluation.agreement, "evaluation": evaluation, "form": form},
    )


@require_POST
@role_required(Role.TKKSD)
def evaluation_finalise(request, pk):
    evaluation = selectors.get_evaluation_for(request.user, pk)
    try:
        evaluations.finalise_evaluation(evaluation, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evaluation is final; its recommendation shows on the agreement."))
    return redirect(evaluation)


@login_required
def evaluation_pdf(request, pk):
    evaluation = selectors.get_evaluation_for(request.user, pk)
    try:
        content = evaluations.report_pdf(evaluation)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(evaluation)
    return pdf_response(evaluations.report_filename(evaluation), content)
