"""Project-level pages: each role's home page and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from monitoring import rows as monitoring_rows
from monitoring import selectors as monitoring_selectors
from registry import selectors as registry_selectors
from registry.models import PemdaProfile
from registry.roles import Role, primary_role

from . import workqueue

HOME_TEMPLATES = {
    Role.ADMIN: "home/admin.html",
    Role.TKKSD: "home/tkksd.html",
    Role.PIMPINAN: "home/pimpinan.html",
    Role.DPRD: "home/dprd.html",
    Role.PPKSD: "home/ppksd.html",
}


@require_GET
def work_queue_nav(request):
    """The navigation's "To do" entry with the count of the user's queue, and the count of unread
    notifications beside its entry, loaded after each page so that no page waits for them. Nothing
    (204: the navigation stays as it is) for an empty queue and no unread notification, or for a
    visitor not logged in."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    queued = workqueue.total_for(request.user)
    unread = monitoring_selectors.unread_count(request.user)
    if not queued and not unread:
        return HttpResponse(status=204)
    # Without the request's context processors: the entries need none of the page's data. The
    # count of unread notifications replaces its empty place in the navigation (htmx out of band).
    html = render_to_string("includes/work_queue_nav.html", {"queued": queued, "unread": unread, "out_of_band": True})
    response = HttpResponse(html)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def home(request):
    """Each role lands on its own home page; a user without a role sees how to get one."""
    user = request.user
    role = primary_role(user)
    queue = workqueue.queue_for(user)
    # The navigation's count reads the same queue instead of counting it again.
    request.work_queue_total = "" if queue.is_empty else queue.total_shown
    request.unread_notifications = monitoring_selectors.unread_count(user)
    recent = list(monitoring_selectors.notifications_for(user)[:5])
    context = {
        "role": role,
        "government_name": PemdaProfile.current_government_name(),
        "recent_notifications": recent,
        "recent_notifications_html": monitoring_rows.recent_notification_rows(request, recent),
        "work_queue": queue,
    }
    if role == Role.ADMIN:
        # Read once: the card prints the first ten and counts them all.
        context["opds_short_of_ppksd"] = list(registry_selectors.opds_short_of_ppksd())
        context["reference_counts"] = registry_selectors.reference_counts()
        context["users_per_role"] = registry_selectors.users_per_role()
    if role == Role.PPKSD and user.opd_id:
        context["opd"] = user.opd
        context["liaison_officers"] = registry_selectors.ppksd_of(user.opd)
    template = HOME_TEMPLATES.get(role, "home/no_role.html")
    return render(request, template, context)


def csrf_failure(request, reason=""):
    return render(
        request,
        "403_csrf.html",
        {"message": _("Your form has expired or was not sent from this site. Reload the page and try again.")},
        status=403,
    )


def bad_request(request, exception):
    return render(request, "400.html", status=400)


@login_required
def bench_baseline(request):
    """Benchmark yardstick (only routed when BENCHMARK_VIEWS is on): one indexed query, 25 rows."""
    from registry.models import Agreement

    # Served by the agreement_recent index, like the registry list's default order.
    rows = Agreement.objects.order_by("-updated_at", "-id").values("pk", "title", "end_date")[:25]
    return render(request, "bench/baseline.html", {"rows": rows})
