"""The OPD's own evaluations of an agreement: the parts of the year owed, filing and revising."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kerjasama.concurrency import StaleEdit

from .. import opd_evaluations, selectors
from ..forms import OpdEvaluationForm, OpdEvaluationPartForm
from ..models import OpdEvaluation
from ..services import ServiceError


@login_required
def agreement_opd_evaluations(request, pk):
    agreement = selectors.get_monitored_agreement_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/opd_evaluations.html",
        {
            "agreement": agreement,
            "states": opd_evaluations.part_states(agreement, today),
            "can_file": opd_evaluations.can_file(request.user, agreement),
            "per_year": opd_evaluations.parts_per_year(),
        },
    )


@login_required
def opd_evaluation_create(request, pk):
    agreement = selectors.get_monitored_agreement_for(request.user, pk)
    if not opd_evaluations.can_file(request.user, agreement):
        raise PermissionDenied
    today = timezone.localdate()
    part_form = OpdEvaluationPartForm(request.GET)
    year, part = (
        (part_form.cleaned_data["tahun"], part_form.cleaned_data["bagian"])
        if part_form.is_valid()
        else opd_evaluations.last_ended_part(today)
    )
    existing = agreement.opd_evaluations.filter(year=year, part=part).first()
    if existing is not None:
        return redirect(existing)
    try:
        opd_evaluations.check_part(agreement, year, part, today)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("monitoring:agreement_opd_evaluations", pk=agreement.pk)
    form = OpdEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opd_evaluations.file_opd_evaluation(
                agreement, actor=request.user, year=year, part=part, data=form.evaluation_data(), today=today
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The OPD's evaluation has been filed."))
            return redirect("monitoring:agreement_opd_evaluations", pk=agreement.pk)
    return render(
        request,
        "monitoring/opd_evaluation_form.html",
        {"agreement": agreement, "form": form, "label": opd_evaluations.part_label(year, part)},
    )


@login_required
def opd_evaluation_edit(request, pk):
    evaluation = get_object_or_404(
        OpdEvaluation.objects.select_related("agreement").filter(
            agreement__in=selectors.agreements_monitored_by(request.user)
        ),
        pk=pk,
    )
    agreement = evaluation.agreement
    if not opd_evaluations.can_file(request.user, agreement):
        return redirect("monitoring:agreement_opd_evaluations", pk=agreement.pk)
    form = OpdEvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            opd_evaluations.revise_opd_evaluation(
                evaluation, actor=request.user, data=form.evaluation_data(), edition=form.edition
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The OPD's evaluation has been saved."))
            return redirect("monitoring:agreement_opd_evaluations", pk=agreement.pk)
    return render(
        request,
        "monitoring/opd_evaluation_form.html",
        {
            "agreement": agreement,
            "form": form,
            "evaluation": evaluation,
            "label": opd_evaluations.part_label(evaluation.year, evaluation.part),
        },
    )
