"""The dashboard, the agreements needing attention, the periodic report and the iCal feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.roles import READ_ALL_ROLES, Role, has_role, role_required
from registry.rows import dormant_body

from .. import ical, periodic, selectors
from ..dashboard import dashboard_for
from ..forms import PeriodicReportForm
from ..services import ServiceError, can_review_reports

DASHBOARD_ROLES = (*READ_ALL_ROLES, Role.PPKSD)
# The longest-standing agreements listed per reason (the page gives each reason's count): a page
# of rows one reads, rendered quickly whatever the register's size.
DORMANT_ROWS = 50
# Each reason's count stops beyond this ("100+"): the same work at any size of the register.
DORMANT_CAP = 100


def dormant_groups(scope_key: str, today):
    """The "Perlu perhatian" page's groups for a dashboard scope (its bench yardstick runs the same)."""
    return selectors.dormant_with_counts(
        selectors.scope_of_key(scope_key), today, limit=DORMANT_ROWS, cap=DORMANT_CAP, whole_register=scope_key == "all"
    )


def _scope_key_or_403(user) -> str:
    key = selectors.dashboard_scope_key(user)
    if key is None:
        raise PermissionDenied
    return key


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    """Counts by stage, kind, OPD and year, what expires, what is overdue, what waits, what sleeps."""
    user = request.user
    scope_key = _scope_key_or_403(user)
    board = dashboard_for(scope_key, timezone.localdate())
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "board": board,
            "scope_key": scope_key,
            "fragment_seconds": settings.MONITORING_DASHBOARD_CACHE_SECONDS,
            "opd": None if selectors.reads_all(user) else user.opd,
            "can_review": can_review_reports(user),
            "can_report_upward": selectors.reads_all(user),
        },
    )


@role_required(*DASHBOARD_ROLES)
def dormant_list(request):
    scope_key = _scope_key_or_403(request.user)
    today = timezone.localdate()
    # Read at every load: the dates it filters on are kept on each agreement (registry/attention.py).
    groups = dormant_groups(scope_key, today)
    report_cutoff, kb_cutoff = selectors.dormant_cutoffs(today)
    return render(
        request,
        "monitoring/dormant_list.html",
        {
            "groups": groups,
            "sections": [(reason, count, rows, dormant_body(rows)) for reason, (count, rows) in groups.items()],
            "limit": DORMANT_ROWS,
            "cap": DORMANT_CAP,
            "report_cutoff": report_cutoff,
            "kb_cutoff": kb_cutoff,
            "today": today,
        },
    )


@role_required(*READ_ALL_ROLES)
def periodic_report(request):
    """The report to the Gubernur and the Menteri: choose the period, download the XLSX, or draft the
    Bupati's letter that sends it (issued and signed on the official document's page)."""
    form = PeriodicReportForm(request.POST or request.GET or None)
    may_draft = has_role(request.user, Role.TKKSD, Role.ADMIN, Role.PIMPINAN)
    if form.is_bound and form.is_valid():
        period = periodic.Period(form.cleaned_data["year"], form.cleaned_data["part"])
        if request.method == "POST":
            if not may_draft:
                raise PermissionDenied
            try:
                letter = periodic.draft_letter(period, actor=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("The report letter has been drafted: check it, then have it issued and signed.")
                )
                return redirect(letter)
        elif request.GET.get("format") == "xlsx":
            return periodic.xlsx(period)
    return render(
        request,
        "monitoring/periodic_report.html",
        {"form": form, "may_draft": may_draft, "letters": periodic.letters()[:10]},
    )


@login_required
def calendar_settings(request):
    feed = ical.feed_for(request.user)
    return render(
        request,
        "monitoring/calendar.html",
        {"feed_url": request.build_absolute_uri(_feed_path(feed.token))},
    )


@require_POST
@login_required
def calendar_regenerate(request):
    ical.regenerate(request.user)
    messages.success(request, _("A new calendar address has been made; the old one no longer works."))
    return redirect("monitoring:calendar_settings")


def _feed_path(token: str) -> str:
    return reverse("monitoring:calendar_feed", args=[token])


@never_cache
def calendar_feed(request, token):
    """Public with the secret token: calendar programs cannot log in."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404
    events = ical.events_for(user, timezone.localdate())
    body = ical.render(events, name=_("Kerja Sama deadlines"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kerja-sama.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
