"""The pages `make bench` measures. Each issue that adds a page worth measuring adds it here."""

from dataclasses import dataclass

from registry.demo import DEMO_PASSWORD  # imported after django.setup() by bench/__main__.py


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    username: str = "tkksd"
    password: str = DEMO_PASSWORD
    # Only where an issue sets one (the agreement list, the dashboard).
    p95_target_ms: int | None = None


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

PAGES = (
    Page("agreement list", "/registri/kerja-sama/", p95_target_ms=50),
    Page("agreement list, filtered", "/registri/kerja-sama/?kind=ksdd&status=active&sort=-start", p95_target_ms=50),
    Page("agreement list, search", "/registri/kerja-sama/?q=sampah+perbatasan"),
    Page("agreement list (PPKSD)", "/registri/kerja-sama/", username="ppksd.dishub", p95_target_ms=50),
    Page("agreement detail", "/registri/kerja-sama/1/"),
    Page("partner page", "/registri/mitra/1/"),
    # Every role's home page opens with its work queue (kerjasama/workqueue.py).
    Page("home (TKKSD)", "/", p95_target_ms=50),
    Page("home (PPKSD)", "/", username="ppksd.dishub", p95_target_ms=50),
    Page("home (Pimpinan)", "/", username="bupati", p95_target_ms=50),
    Page("home (DPRD)", "/", username="dprd", p95_target_ms=50),
    Page("home (Admin)", "/", username="admin", p95_target_ms=50),
    Page("notifications", "/monitoring/notifikasi/", username="admin"),
    Page("OPD list", "/registri/opd/"),
    Page("DPRD queue", "/registri/dprd/", username="dprd"),
    Page("DPRD queue (overdue)", "/registri/dprd/?status=overdue", username="dprd"),
    Page("DPRD overview", "/registri/dprd/ikhtisar/"),
    Page("planning: proposal list", "/perencanaan/usulan/"),
    Page("planning: proposal list (PPKSD)", "/perencanaan/usulan/", username="ppksd.dlh"),
    Page("planning: cycle progress", "/perencanaan/siklus/1/"),
    Page("planning: plenary", "/perencanaan/pleno/1/"),
    Page("planning: proposal path", "/perencanaan/usulan/1/"),
    Page("monitoring dashboard", "/monitoring/dasbor/", p95_target_ms=80),
    Page("monitoring dashboard (PPKSD)", "/monitoring/dasbor/", username="ppksd.dishub", p95_target_ms=80),
    Page("implementation reports", "/monitoring/laporan/"),
    Page("reports waiting for review", "/monitoring/laporan/?status=submitted"),
    Page("implementation reports (PPKSD)", "/monitoring/laporan/", username="ppksd.dishub"),
    Page("annual evaluations", "/monitoring/evaluasi/"),
    Page("agreements needing attention", "/monitoring/perlu-perhatian/"),
    Page("public register", "/publik/"),
    Page("public register search", "/publik/?q=sampah&status=berjalan"),
    Page("open data CSV", "/publik/data/kerja-sama.csv"),
)

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
