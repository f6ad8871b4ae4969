from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.pagination import page_of

from .. import rows, selectors, services
from ..forms import NotificationPreferenceForm


@login_required
def notification_list(request):
    # Newest first by the notification_recent index, without counting them all.
    page = page_of(selectors.notifications_for(request.user), request.GET.get("page"))
    return render(
        request,
        "monitoring/notification_list.html",
        {"page": page, "rows_html": rows.notification_rows(request, page.rows)},
    )


@require_POST
@login_required
def notification_open(request, pk):
    """Mark one notification read and follow its link."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_read(notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("monitoring:notification_list")


@require_POST
@login_required
def notification_read_all(request):
    services.mark_all_read(request.user)
    return redirect("monitoring:notification_list")


@login_required
def notification_settings(request):
    """Each user chooses how their notifications reach them by e-mail."""
    preference = services.preference_of(request.user)
    form = NotificationPreferenceForm(request.POST or None, initial={"email": preference.email})
    if request.method == "POST" and form.is_valid():
        services.set_email_preference(request.user, form.cleaned_data["email"])
        messages.success(request, _("Your e-mail preference is saved."))
        return redirect("monitoring:notification_list")
    return render(
        request,
        "monitoring/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
