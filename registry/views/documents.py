"""Uploading and downloading an agreement's documents (the DPRD's request and decision: views/dprd.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import DocumentUploadForm


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
