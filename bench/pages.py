"""The pages `make bench` measures. Each issue that adds a page worth measuring adds it here."""

from dataclasses import dataclass, replace

from registry.demo import DEMO_PASSWORD  # imported after django.setup() by bench/__main__.py

# Every page: p95 ≤ 50 ms, at least 2x the admin changelist's throughput, and a query count that
# does not grow with the data (bench/tests/test_pages.py pins it).
P95_TARGET_MS = 50
ADMIN_RATIO_TARGET = 2.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    username: str = "tkksd"
    password: str = DEMO_PASSWORD
    p95_target_ms: int = P95_TARGET_MS
    # The page's own yardstick (kerjasama/yardsticks.py): the same main query, its rows with no layout.
    yardstick: str = ""
    # List and search pages should reach 0.8 of their yardstick's throughput, other pages 0.5.
    listing: bool = False

    def resolved(self, ids: dict[str, int]) -> "Page":
        """The page with the ids of records found in the seeded data put into its paths."""
        return replace(self, path=self.path.format(**ids), yardstick=self.yardstick.format(**ids))

    @property
    def yardstick_ratio_target(self) -> float:
        return 0.8 if self.listing else 0.5


@dataclass(frozen=True)
class Job:
    """Work measured in the bench process itself (a PDF, a scan): `function` ("module:name")
    returns the seconds of each run."""

    name: str
    function: str
    target_s: float | None = None


# The yardsticks, measured in the same run: a minimal view (one indexed query, 25 rows) and
# Django admin's changelist on the same table.
BASELINE = (
    Page("baseline: minimal 25 rows", "/_bench/baseline/", username="admin"),
    Page("baseline: admin changelist", "/admin/registry/agreement/", username="admin"),
)

_LIST = "/_bench/agreement-list/"
_HOME = "/_bench/home/"
_PUBLIC = "/_bench/public-register/"

PAGES = (
    Page("agreement list", "/registri/kerja-sama/", yardstick=_LIST, listing=True),
    Page(
        "agreement list, filtered",
        "/registri/kerja-sama/?kind=ksdd&status=active&sort=-start",
        yardstick=_LIST + "?kind=ksdd&status=active&sort=-start",
        listing=True,
    ),
    Page(
        "agreement list, search",
        "/registri/kerja-sama/?q=sampah+perbatasan",
        yardstick=_LIST + "?q=sampah+perbatasan",
        listing=True,
    ),
    Page(
        "agreement list, by title",
        "/registri/kerja-sama/?sort=title",
        yardstick=_LIST + "?sort=title",
        listing=True,
    ),
    Page("agreement list (PPKSD)", "/registri/kerja-sama/", username="ppksd.dishub", yardstick=_LIST, listing=True),
    Page("agreement detail", "/registri/kerja-sama/{agreement}/", yardstick="/_bench/agreement-detail/{agreement}/"),
    Page("partner page", "/registri/mitra/{partner}/", yardstick="/_bench/partner/{partner}/"),
    # Every role's home page opens with its work queue (kerjasama/workqueue.py).
    Page("home (TKKSD)", "/", yardstick=_HOME),
    Page("home (PPKSD)", "/", username="ppksd.dishub", yardstick=_HOME),
    Page("home (Pimpinan)", "/", username="bupati", yardstick=_HOME),
    Page("home (DPRD)", "/", username="dprd", yardstick=_HOME),
    Page("home (Admin)", "/", username="admin", yardstick=_HOME),
    # Every other page's navigation loads its "To do" count after the page (kerjasama.views).
    Page("navigation: work queue count", "/antrian/jumlah/", yardstick="/_bench/work-queue-count/"),
    Page(
        "navigation: work queue count (PPKSD)",
        "/antrian/jumlah/",
        username="ppksd.dishub",
        yardstick="/_bench/work-queue-count/",
    ),
    Page(
        "notifications", "/monitoring/notifikasi/", username="admin", yardstick="/_bench/notifications/", listing=True
    ),
    Page("OPD list", "/registri/opd/", yardstick="/_bench/opd-list/", listing=True),
    Page("DPRD queue", "/registri/dprd/", username="dprd", yardstick="/_bench/dprd-queue/", listing=True),
    Page(
        "DPRD queue (overdue)",
        "/registri/dprd/?status=overdue",
        username="dprd",
        yardstick="/_bench/dprd-queue/?status=overdue",
        listing=True,
    ),
    Page("DPRD overview", "/registri/dprd/ikhtisar/", yardstick="/_bench/dprd-overview/"),
    Page("official document", "/registri/dokumen-resmi/{document}/", yardstick="/_bench/official-document/{document}/"),
    Page("planning: proposal list", "/perencanaan/usulan/", yardstick="/_bench/proposal-list/", listing=True),
    Page(
        "planning: proposal list (PPKSD)",
        "/perencanaan/usulan/",
        username="ppksd.dlh",
        yardstick="/_bench/proposal-list/",
        listing=True,
    ),
    Page(
        "planning: proposal form", "/perencanaan/usulan/baru/", username="ppksd.dlh", yardstick="/_bench/proposal-form/"
    ),
    Page("planning: cycle progress", "/perencanaan/siklus/{cycle}/", yardstick="/_bench/cycle/{cycle}/"),
    Page("planning: plenary", "/perencanaan/pleno/{plenary}/", yardstick="/_bench/plenary/{plenary}/"),
    Page("planning: proposal path", "/perencanaan/usulan/{proposal}/", yardstick="/_bench/proposal/{proposal}/"),
    Page("monitoring dashboard", "/monitoring/dasbor/", yardstick="/_bench/dashboard/"),
    Page(
        "monitoring dashboard (PPKSD)", "/monitoring/dasbor/", username="ppksd.dishub", yardstick="/_bench/dashboard/"
    ),
    Page("implementation reports", "/monitoring/laporan/", yardstick="/_bench/report-list/", listing=True),
    Page(
        "reports waiting for review",
        "/monitoring/laporan/?status=submitted",
        yardstick="/_bench/report-list/?status=submitted",
        listing=True,
    ),
    Page(
        "implementation reports (PPKSD)",
        "/monitoring/laporan/",
        username="ppksd.dishub",
        yardstick="/_bench/report-list/",
        listing=True,
    ),
    Page(
        "monitoring: report form",
        "/monitoring/kerja-sama/{report_agreement}/laporan/baru/?periode={report_period}",
        username="ppksd.dishub",
        yardstick="/_bench/report-form/{report_agreement}/?periode={report_period}",
    ),
    Page("annual evaluations", "/monitoring/evaluasi/", yardstick="/_bench/evaluation-list/", listing=True),
    Page("agreements needing attention", "/monitoring/perlu-perhatian/", yardstick="/_bench/attention/", listing=True),
    Page("public register", "/publik/", yardstick=_PUBLIC, listing=True),
    Page(
        "public register search",
        "/publik/?q=sampah&status=berjalan",
        yardstick=_PUBLIC + "?q=sampah&status=berjalan",
        listing=True,
    ),
    Page("open data CSV", "/publik/data/kerja-sama.csv", yardstick="/_bench/open-data/", listing=True),
    Page("open data JSON", "/publik/data/kerja-sama.json", yardstick="/_bench/open-data/", listing=True),
)


def seeded_ids() -> dict[str, int | str]:
    """Records the pages above open, found in the seeded data: the first agreement, partner,
    mapping cycle, plenary and proposal (the demo's own), the first issued official document, and
    an agreement of the Dinas Perhubungan with a month it has not reported on yet (its PPKSD's
    report form), the most recent such month."""
    from django.utils import timezone

    from monitoring import periods
    from monitoring import selectors as monitoring_selectors
    from planning.models import Cycle, Plenary, Proposal
    from registry.lifecycle import ACTIVE_STAGES
    from registry.models import Agreement, OfficialDocument, Partner, User

    def first(model) -> int:
        return model.objects.order_by("pk").values_list("pk", flat=True).first() or 0

    document = OfficialDocument.objects.exclude(status=OfficialDocument.Status.DRAFT).order_by("pk").first()
    ppksd = User.objects.get(username="ppksd.dishub")
    running = monitoring_selectors.dashboard_scope(ppksd).filter(stage__in=ACTIVE_STAGES)
    latest = periods.current_period(timezone.localdate())
    agreement, period = 0, latest
    for back in range(24):
        period = periods.add_months(latest, -back)
        agreement = (
            monitoring_selectors.owing_report(running, period).order_by("pk").values_list("pk", flat=True).first()
        )
        if agreement:
            break
    return {
        "agreement": first(Agreement),
        "partner": first(Partner),
        "cycle": first(Cycle),
        "plenary": first(Plenary),
        "proposal": first(Proposal),
        "document": document.pk if document else 0,
        "report_agreement": agreement or 0,
        "report_period": f"{period:%Y-%m}",
    }


JOBS = (
    Job("SK TKKSD render (3 pages)", "bench.documents:decree_three_pages", target_s=0.5),
    Job("Berita Acara render (3 pages)", "bench.documents:berita_acara_three_pages", target_s=0.5),
    Job("issue 100-row lampiran (request)", "bench.documents:hundred_row_issue_request", target_s=0.5),
    Job("render 100-row lampiran (task)", "bench.documents:hundred_row_render_task"),
    Job("reminder scan + send (ordinary day)", "bench.monitoring:scan_ordinary_day", target_s=3.0),
    Job("reminder scan + send (report day)", "bench.monitoring:scan_report_reminder_day", target_s=3.0),
    Job("import 10,000 rows: preview", "bench.imports:preview_ten_thousand", target_s=30.0),
    Job("import 10,000 rows: commit", "bench.imports:commit_ten_thousand", target_s=30.0),
)
