"""The signed original of an official document: recording a wet-ink scan, signing electronically,
downloading the signed file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import official
from ..errors import AlreadyDone
from ..forms import ElectronicSignatureForm, WetSignatureForm
from ..official import signed
from ..roles import Role, role_required
from .official import READERS, _document_for, serve_stored


@role_required(Role.TKKSD, Role.PIMPINAN)
def record_wet_signature(request, pk):
    document = _document_for(request.user, pk)
    if not signed.can_record_wet_signature(request.user, document):
        if document.is_signed:
            messages.info(request, _("The signed original of this document has already been recorded."))
            return redirect(document)
        raise PermissionDenied
    form = WetSignatureForm(request.POST or None, request.FILES or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            signed.record_wet_signature(
                document,
                actor=request.user,
                content=form.cleaned_data["file"].read(),
                signed_on=form.cleaned_data["signed_on"],
                signer_name=form.cleaned_data["signer_name"],
            )
        except AlreadyDone as done:
            messages.info(request, done.message)
        except official.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The signed original has been recorded."))
            return redirect(document)
    return render(request, "registry/official_sign_wet.html", {"document": document, "form": form})


@require_POST
@role_required(Role.PIMPINAN, Role.TKKSD)
def sign_electronically(request, pk):
    document = _document_for(request.user, pk)
    form = ElectronicSignatureForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(document)
    try:
        signed.sign_electronically(document, actor=request.user, password=form.cleaned_data["password"])
    except AlreadyDone as done:
        messages.info(request, done.message)
    except official.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document has been signed electronically."))
    return redirect(document)


@role_required(*READERS)
def download_signed(request, pk):
    document = _document_for(request.user, pk)
    if not document.is_signed:
        messages.info(request, _("This document has no signed original yet."))
        return redirect(document)
    return serve_stored(
        request, document, signed.read_signed, f"{document.number} {document.title} (ditandatangani).pdf"
    )
