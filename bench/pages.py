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
    Page("baseline: admin changelist", "/admin/monitoring/notification/", username="admin"),
)

PAGES = (
    Page("home (TKKSD)", "/"),
    Page("home (PPKSD)", "/", username="ppksd.dishub"),
    Page("notifications", "/monitoring/notifikasi/", username="admin"),
    Page("OPD list", "/registri/opd/"),
)
