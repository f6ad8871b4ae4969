"""Delegations of an office's authority to issue documents: recorded and ended by Admin, read by
the TKKSD and Pimpinan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import official
from ..errors import AlreadyDone, ServiceError
from ..forms import DelegationForm
from ..models import Delegation
from ..pagination import page_of
from ..roles import Role, role_required

READERS = (Role.ADMIN, Role.TKKSD, Role.PIMPINAN)


@role_required(*READERS)
def delegation_list(request):
    can_manage = official.can_manage_delegations(request.user)
    form = DelegationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                official.record_delegation(form.save(commit=False), actor=request.user)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The delegation has been recorded."))
                return redirect("registry:delegation_list")
    delegations = Delegation.objects.select_related("delegate", "recorded_by")
    return render(
        request,
        "registry/delegation_list.html",
        {
            "page": page_of(delegations, request.GET.get("page")),
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def delegation_end(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk)
    try:
        official.end_delegation(delegation, actor=request.user)
    except AlreadyDone as done:
        messages.info(request, done.message)
    else:
        messages.success(request, _("The delegation has ended."))
    return redirect("registry:delegation_list")
