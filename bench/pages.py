"""The pages `make bench` measures. Each issue that adds a page worth measuring adds it here."""

from dataclasses import dataclass

from registry.demo import DEMO_PASSWORD  # imported after django.setup() by bench/__main__.py


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    username: str = "tkksd"
    password: str = DEMO_PASSWORD
    p95_target_ms: int | None = None


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
    Page("home (TKKSD)", "/"),
    Page("home (PPKSD)", "/", username="ppksd.dishub"),
    Page("notifications", "/monitoring/notifikasi/", username="admin"),
    Page("OPD list", "/registri/opd/"),
)
