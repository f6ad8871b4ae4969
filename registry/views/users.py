"""The Admin's user management: list, add, edit, deactivate and reactivate."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kerjasama.concurrency import StaleEdit

from .. import history, people
from ..models import User
from ..pagination import page_of
from ..people_forms import UserCreateForm, UserEditForm, UserFilterForm
from ..roles import Role, role_required


@role_required(Role.ADMIN)
def user_list(request):
    search = UserFilterForm(request.GET or None)
    filters = search.filters() if request.GET else {}
    page = page_of(people.user_list(**filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/user_list.html", {"page": page, "search": search, "query": query.urlencode()})


@role_required(Role.ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = people.create_user(
                actor=request.user,
                roles=set(form.cleaned_data["roles"]),
                password=form.cleaned_data["password1"],
                **form.details(),
            )
            if not form.cleaned_data["password1"]:
                people.send_password_link(user, actor=request.user)
        except people.ServiceError as error:
            form.add_error(None, error.message)
        else:
            if form.cleaned_data["password1"]:
                messages.success(request, _("The user has been added with the initial password."))
            else:
                messages.success(request, _("The user has been added; a link to set the password was e-mailed."))
            return redirect("registry:user_edit", pk=user.pk)
    return render(request, "registry/user_form.html", {"form": form})


@role_required(Role.ADMIN)
def user_edit(request, pk):
    user = people.get_user_for(request.user, pk)
    form = UserEditForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            people.update_user(
                user,
                actor=request.user,
                changes=form.model_changes(),
                roles=set(form.cleaned_data["roles"]),
                edition=form.edition,
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except people.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The user has been saved."))
            return redirect("registry:user_edit", pk=user.pk)
    entries = history.entries(user.history.select_related("history_user").order_by("-history_date")[:50], User)
    return render(
        request,
        "registry/user_form.html",
        {"form": form, "edited": user, "entries": entries, "is_self": user.pk == request.user.pk},
    )


@require_POST
@role_required(Role.ADMIN)
def user_set_active(request, pk, active):
    user = people.get_user_for(request.user, pk)
    try:
        people.set_active(user, actor=request.user, active=active)
    except people.ServiceError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("The user has been reactivated and can log in again."))
        else:
            messages.success(request, _("The user has been deactivated and can no longer log in."))
    return redirect("registry:user_edit", pk=user.pk)


@require_POST
@role_required(Role.ADMIN)
def user_send_link(request, pk):
    """E-mail the user a new link to set their password (the first one expires after a few hours)."""
    user = people.get_user_for(request.user, pk)
    try:
        people.send_password_link(user, actor=request.user)
    except people.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A link to set the password has been e-mailed to the user."))
    return redirect("registry:user_edit", pk=user.pk)
