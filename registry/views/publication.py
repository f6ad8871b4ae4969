"""The TKKSD's decisions on what the public register shows (registry/publication.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit

from .. import publication, selectors
from ..forms import PUBLICATION_CHOICES, DocumentPublicationForm, PublicationForm, publication_choice, publication_value
from ..roles import Role, role_required
from ..rows import publication_rows


def publication_context(request, agreement, documents, form=None) -> dict | None:
    """The publication card of the agreement page, for those who decide."""
    if not publication.can_decide(request.user):
        return None
    signed = publication.agreement_is_public(agreement)
    rows = [
        (document, signed and publication.document_is_public(document), publication_choice(document.public))
        for document in documents
    ]
    return {
        "signed": publication.is_signed(agreement),
        "public": signed,
        "form": form or PublicationForm(agreement=agreement),
        "documents": rows,
        "rows": publication_rows(rows, PUBLICATION_CHOICES, csrf_input(request)),
    }


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def agreement_publication(request, pk):
    agreement = selectors.get_agreement_for(request.user, pk)
    form = PublicationForm(request.POST, agreement=agreement)
    if not form.is_valid():
        messages.error(request, _("The choice could not be read; reload the page and try again."))
        return redirect(agreement)
    try:
        publication.set_agreement_publication(
            agreement, actor=request.user, public=publication_value(form.cleaned_data["public"]), edition=form.edition
        )
    except StaleEdit as stale:
        form.refuse_stale(stale)
        agreement.refresh_from_db()
        from .agreements import _detail_context

        context = _detail_context(request, agreement)
        context["publication"] = publication_context(request, agreement, context["documents"], form)
        return render(request, "registry/agreement_detail.html", context)
    messages.success(request, _("The choice for the public register has been saved."))
    return redirect(agreement)


@require_POST
@role_required(Role.TKKSD, Role.ADMIN)
def document_publication(request, pk):
    document = selectors.get_document_for(request.user, pk)
    form = DocumentPublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The choice could not be read; reload the page and try again."))
        return redirect(document.agreement)
    try:
        publication.set_document_publication(
            document, actor=request.user, public=publication_value(form.cleaned_data["public"])
        )
    except PermissionDenied:
        raise
    messages.success(request, _("The choice for the public register has been saved."))
    return redirect(f"{document.agreement.get_absolute_url()}#publikasi")
