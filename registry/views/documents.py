"""Uploading and downloading an agreement's documents, and the DPRD request and decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import DocumentUploadForm, DprdDecisionForm, DprdRequestForm
from ..roles import Role, role_required


@require_POST
@login_required
def document_upload(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    if not services.can_upload(request.user, agreement):
        raise PermissionDenied
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{agreement.get_absolute_url()}#dokumen")
    data = form.cleaned_data
    document = services.upload_document(
        agreement,
        actor=request.user,
        upload=services.DocumentUpload(
            doc_type=data["doc_type"],
            file=data["file"],
            is_signed=data["is_signed"],
            number=data["number"],
            partner_number=data["partner_number"],
            date=data["date"],
            has_paraf=data["has_paraf"],
            has_materai=data["has_materai"],
            has_stempel=data["has_stempel"],
            note=data["note"],
        ),
    )
    messages.success(
        request,
        _("%(document)s version %(version)s has been filed.")
        % {"document": document.get_doc_type_display(), "version": document.version},
    )
    return redirect(f"{agreement.get_absolute_url()}#dokumen")


@login_required
def document_download(request, pk):
    document = selectors.get_document_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=False, filename=document.original_name, content_type="application/pdf")


@role_required(Role.TKKSD, Role.ADMIN)
def dprd_request(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    form = DprdRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_dprd_approval(agreement, actor=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The request to the DPRD has been recorded."))
            return redirect(agreement)
    return render(
        request, "registry/dprd_form.html", {"agreement": agreement, "form": form, "title": _("Request DPRD approval")}
    )


@role_required(Role.TKKSD, Role.ADMIN, Role.DPRD)
def dprd_decision(request, pk):
    approval = selectors.get_open_dprd_approval_for(request.user, pk)
    agreement = approval.agreement
    form = DprdDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.upload_dprd_letter(
                agreement,
                actor=request.user,
                file=data["letter"],
                number=data["decision_number"],
                date=data["decision_date"],
            )
            services.record_dprd_decision(
                approval,
                actor=request.user,
                decision=data["decision"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                letter=letter,
                reasons=data["reasons"],
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The DPRD's decision has been recorded."))
            return redirect(agreement)
    return render(
        request,
        "registry/dprd_form.html",
        {
            "agreement": agreement,
            "form": form,
            "approval": approval,
            "title": _("Record the DPRD's decision"),
            "multipart": True,
        },
    )
