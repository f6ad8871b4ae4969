"""Benchmark yardsticks (routed only when BENCHMARK_VIEWS is on): for each page `make bench`
measures, a minimal view that runs the same main query as the page (the same scope, filters,
search and order, or for a detail page the same record and its timeline) through the same
selector, and prints its rows as plain text with no layout. The ratio of a page's throughput to
its yardstick's says how much the page spends beyond its query.

Each yardstick takes the request (its query string is the page's) and the page's object id, and
returns the rows it prints.
"""

from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from monitoring import periods
from monitoring import selectors as monitoring_selectors
from monitoring.dashboard import dashboard_for
from monitoring.forms import ReportFilter, YearForm
from monitoring.views.overview import dormant_groups
from planning import selectors as planning_selectors
from planning.filters import ProposalFilter
from planning.forms import ProposalForm
from public import opendata
from public import selectors as public_selectors
from public.forms import PublicSearchForm
from registry import dprd, official
from registry import selectors as registry_selectors
from registry.filters import agreement_list_query
from registry.pagination import page_of
from registry.rows import LIST_VALUES

from . import views, workqueue

Yardstick = Callable[..., Iterable]
YARDSTICKS: dict[str, Yardstick] = {}


def yardstick(key: str):
    def register(function: Yardstick) -> Yardstick:
        YARDSTICKS[key] = function
        return function

    return register


@yardstick("agreement-list")
def agreement_list(request, pk=None):
    _filterset, queryset = agreement_list_query(request.user, request.GET, today=timezone.localdate())
    return page_of(queryset.values(*LIST_VALUES), request.GET.get("page")).rows


@yardstick("agreement-detail")
def agreement_detail(request, pk):
    agreement = registry_selectors.get_agreement_for(request.user, pk)
    return [agreement, *registry_selectors.timeline(agreement)]


@yardstick("partner")
def partner(request, pk):
    found = registry_selectors.get_partner_for(request.user, pk)
    return [found, *page_of(registry_selectors.partner_agreements(found, request.user), request.GET.get("page")).rows]


@yardstick("home")
def home(request, pk=None):
    return [(row.kind, row.label, row.age) for row in workqueue.queue_for(request.user).rows]


@yardstick("work-queue-count")
def work_queue_count(request, pk=None):
    return [workqueue.total_for(request.user)]


@yardstick("notifications")
def notifications(request, pk=None):
    return page_of(monitoring_selectors.notifications_for(request.user), request.GET.get("page")).rows


@yardstick("opd-list")
def opd_list(request, pk=None):
    return registry_selectors.opd_list(request.user)


@yardstick("dprd-queue")
def dprd_queue(request, pk=None):
    queryset = dprd.filter_queue(dprd.dprd_queue(request.user), request.GET.get("status", ""), timezone.localdate())
    return page_of(queryset, request.GET.get("page")).rows


@yardstick("dprd-overview")
def dprd_overview(request, pk=None):
    return [dprd.overview(timezone.localdate())]


@yardstick("proposal-list")
def proposal_list(request, pk=None):
    base = planning_selectors.proposal_list(request.user)
    filterset = ProposalFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return page_of(queryset, request.GET.get("page")).rows


@yardstick("proposal-form")
def proposal_form(request, pk=None):
    return ProposalForm(user=request.user, potential=None).fields["potential"].queryset


@yardstick("cycle")
def cycle(request, pk):
    found = planning_selectors.get_cycle_for(request.user, pk)
    return [found, *planning_selectors.cycle_progress(found, request.user)]


@yardstick("plenary")
def plenary(request, pk):
    found = planning_selectors.get_plenary_for(request.user, pk)
    return [found, *planning_selectors.agenda_of(found)]


@yardstick("proposal")
def proposal(request, pk):
    found = planning_selectors.get_proposal_for(request.user, pk)
    return [found, *planning_selectors.proposal_events(found)]


@yardstick("dashboard")
def dashboard(request, pk=None):
    scope_key = monitoring_selectors.dashboard_scope_key(request.user)
    if scope_key is None:
        raise Http404
    return [dashboard_for(scope_key, timezone.localdate())]


@yardstick("report-list")
def report_list(request, pk=None):
    base = monitoring_selectors.report_list(request.user)
    filterset = ReportFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return page_of(queryset, request.GET.get("page")).rows


@yardstick("report-form")
def report_form(request, pk):
    agreement = monitoring_selectors.get_monitored_agreement_for(request.user, pk)
    period = periods.parse_period(request.GET.get("periode")) or periods.current_period(timezone.localdate())
    return [agreement, agreement.implementation_reports.filter(period=period).first()]


@yardstick("evaluation-list")
def evaluation_list(request, pk=None):
    year = YearForm(request.GET or None).chosen_year()
    return page_of(monitoring_selectors.evaluation_list(request.user, year), request.GET.get("page")).rows


@yardstick("attention")
def attention(request, pk=None):
    scope_key = monitoring_selectors.dashboard_scope_key(request.user)
    if scope_key is None:
        raise Http404
    groups = dormant_groups(scope_key, timezone.localdate())
    return list(groups.items())


@yardstick("official-document")
def official_document(request, pk):
    document = official.get_document_for(request.user, pk)
    return [document, *document.corrections.all()]


@yardstick("public-register")
def public_register(request, pk=None):
    form = PublicSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return page_of(public_selectors.public_list(data), data.get("page"), per_page=25).rows


@yardstick("open-data")
def open_data(request, pk=None):
    return opendata.rows()


@login_required
def bench_yardstick(request, key, pk=None):
    """Print the rows of a page's main query, one per line, with no template."""
    function = YARDSTICKS.get(key)
    if function is None:
        raise Http404
    rows = function(request, pk) if pk is not None else function(request)
    if isinstance(rows, Iterator):
        # The open data's rows, a register's worth: streamed, as the page streams its file.
        return StreamingHttpResponse((f"{row}\n" for row in rows), content_type="text/plain; charset=utf-8")
    return HttpResponse("\n".join(str(row) for row in rows), content_type="text/plain; charset=utf-8")


# Included under /_bench/ by kerjasama/urls.py when BENCHMARK_VIEWS is on.
urlpatterns = [
    path("baseline/", views.bench_baseline, name="bench_baseline"),
    path("<slug:key>/", bench_yardstick, name="bench_yardstick"),
    path("<slug:key>/<int:pk>/", bench_yardstick, name="bench_yardstick"),
]
