"""The partner registry: list, page with its agreements, add and edit."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kerjasama.concurrency import StaleEdit

from .. import rows, selectors, services
from ..forms import PartnerForm
from ..models import PartnerKind
from ..pagination import page_of
from ..roles import PARTNER_READERS, Role, role_required


class PartnerSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *PartnerKind.choices])


READERS = PARTNER_READERS
EDITORS = (Role.TKKSD, Role.ADMIN)


@role_required(*READERS)
def partner_list(request):
    partners = selectors.partners_for(request.user).order_by("name")
    search = PartnerSearchForm(request.GET)
    search.is_valid()
    # An invalid value (a NUL character, an unknown kind) filters nothing rather than failing.
    text = " ".join(search.cleaned_data.get("q", "").split())
    kind = search.cleaned_data.get("kind", "")
    if text:
        partners = partners.filter(Q(name__icontains=text) | Q(regency__name__icontains=text))
    if kind in PartnerKind.values:
        partners = partners.filter(kind=kind)
    page = page_of(partners, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/partner_list.html",
        {"page": page, "q": text, "kind": kind, "kinds": PartnerKind.choices, "query": query.urlencode()},
    )


@role_required(*READERS)
def partner_detail(request, pk):
    partner = selectors.get_partner_for(request.user, pk)
    today = timezone.localdate()
    page = page_of(selectors.partner_agreements(partner, request.user), request.GET.get("page"))
    return render(
        request,
        "registry/partner_detail.html",
        {
            "partner": partner,
            "rows_html": rows.partner_rows(rows.agreement_rows(page.rows, today)),
            "page": page,
            "can_edit": services.can_edit_partner(request.user),
        },
    )


@role_required(*READERS)
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.save_partner(form.save(commit=False), actor=request.user)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The partner has been registered."))
            return redirect(partner)
    return render(request, "registry/partner_form.html", {"form": form})


@role_required(*EDITORS)
def partner_edit(request, pk):
    partner = selectors.get_partner_for(request.user, pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.update_partner(
                partner, actor=request.user, changes=form.model_changes(), edition=form.edition
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The partner has been saved."))
            return redirect(partner)
    return render(request, "registry/partner_form.html", {"form": form, "partner": partner})
