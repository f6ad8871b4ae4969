"""The site's URLs with the benchmark's yardsticks, as `make bench` serves them (BENCHMARK_VIEWS)."""

from django.urls import include, path

from kerjasama.urls import handler400
from kerjasama.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("_bench/", include("kerjasama.yardsticks"))]

__all__ = ["handler400", "urlpatterns"]
