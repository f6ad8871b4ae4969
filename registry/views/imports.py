"""Registri → Impor: upload an existing register, map its columns, preview every row, commit."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..imports import services
from ..imports.forms import DECISIONS_SHOWN, MappingForm, PartnerDecisionForm, RowFilterForm, UploadForm
from ..imports.reading import ImportFileError
from ..imports.report import error_report
from ..models import ImportJob, ImportPartner
from ..pagination import page_of
from ..roles import Role, role_required

IMPORTERS = (Role.TKKSD, Role.ADMIN)


def _job(pk) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("created_by", "committed_by"), pk=pk)


@role_required(*IMPORTERS)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.receive(upload.read(), upload.name, actor=request.user)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect(job)
    jobs = ImportJob.objects.select_related("created_by", "committed_by").order_by("-created_at", "-pk")
    page = page_of(jobs, request.GET.get("page"), per_page=25)
    return render(request, "registry/import_list.html", {"form": form, "page": page})


@role_required(*IMPORTERS)
def import_detail(request, pk):
    job = _job(pk)
    return render(request, "registry/import_detail.html", _context(request, job))


def _context(request, job: ImportJob, *, mapping_form=None, partner_form=None) -> dict:
    filters = RowFilterForm(request.GET or None)
    outcome = filters.cleaned_data.get("outcome") if filters.is_valid() else ""
    rows = job.rows.order_by("number")
    if outcome:
        rows = rows.filter(outcome=outcome)
    names = list(
        job.partner_names.select_related("partner").exclude(decision=ImportPartner.Decision.MATCH, score=100)[
            :DECISIONS_SHOWN
        ]
    )
    shows_rows = job.state in (ImportJob.State.PREVIEWED, ImportJob.State.COMMITTED)
    return {
        "job": job,
        "mapping_form": mapping_form
        or (
            MappingForm(job=job)
            if job.state in (ImportJob.State.UPLOADED, ImportJob.State.PREVIEWED, ImportJob.State.FAILED)
            else None
        ),
        "partner_form": partner_form
        or (PartnerDecisionForm(names=names) if names and job.state == ImportJob.State.PREVIEWED else None),
        "filters": filters,
        "outcome": outcome or "",
        "page": page_of(rows, request.GET.get("page"), per_page=100) if shows_rows else None,
        "previous": services.previous_imports(job).select_related("committed_by")[:5],
    }


@require_POST
@role_required(*IMPORTERS)
def import_mapping(request, pk):
    job = _job(pk)
    form = MappingForm(request.POST, job=job)
    if not form.is_valid():
        return render(request, "registry/import_detail.html", _context(request, job, mapping_form=form), status=400)
    try:
        sheet = form.cleaned_data.get("sheet")
        if sheet and sheet != job.sheet:
            services.change_sheet(job, actor=request.user, sheet=sheet)
            messages.info(request, _("The sheet “%(sheet)s” has been read; check the columns.") % {"sheet": sheet})
            return redirect(job)
        job = services.set_mapping(job, actor=request.user, mapping=form.mapping(), options=form.options())
    except services.ServiceError as error:
        messages.error(request, error.message)
    return redirect(job)


@require_POST
@role_required(*IMPORTERS)
def import_partners(request, pk):
    job = _job(pk)
    names = list(
        job.partner_names.select_related("partner").exclude(decision=ImportPartner.Decision.MATCH, score=100)[
            :DECISIONS_SHOWN
        ]
    )
    form = PartnerDecisionForm(request.POST, names=names)
    if not form.is_valid():
        return render(request, "registry/import_detail.html", _context(request, job, partner_form=form), status=400)
    try:
        services.decide_partners(job, actor=request.user, choices=form.choices())
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The partners have been saved and the rows checked again."))
    return redirect(job)


@require_POST
@role_required(*IMPORTERS)
def import_commit(request, pk):
    job = _job(pk)
    try:
        job = services.request_commit(job, actor=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(job)
    if job.state == ImportJob.State.COMMITTED:
        messages.success(
            request,
            _("Import committed: %(created)s agreements filed, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": job.created_count, "updated": job.updated_count, "unchanged": job.unchanged_count},
        )
    return redirect(job)


@role_required(*IMPORTERS)
def import_progress(request, pk):
    """The progress of a big import's preview or commit (polled by htmx while it runs)."""
    return render(request, "registry/_import_progress.html", {"job": _job(pk)})


@role_required(*IMPORTERS)
def import_report(request, pk):
    job = _job(pk)
    response = HttpResponse(
        error_report(job), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="impor-{job.pk}-kesalahan.xlsx"'
    return response
