"""The work queue's counts read indexes, not the rows behind them (PostgreSQL's plans)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kerjasama import workqueue
from kerjasama.tests.plans import plan_of
from registry.models import User


@pytest.mark.services
@pytest.mark.django_db
def test_a_ppksds_agreements_at_the_opds_stages_are_counted_from_the_index_alone():
    """Migration 0030 of the registry: before it the count read the rows of every agreement the
    OPD prepares (2,138 of them at 100,000 agreements, 3.8 ms) to check their stage."""
    call_command("seed_demo", size=300, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_agreement")
    user = User.objects.get(username="ppksd.dishub")
    (source,) = [s for s in workqueue.sources_for(user, timezone.localdate()) if s.kind == "opd_stages"]
    counted = source.queryset.order_by().values("pk")[: workqueue.CAP + 1]
    # Neither a whole-table scan nor a bitmap of every matching row on offer: the cheapest index.
    plan = plan_of(counted, disable=("enable_seqscan", "enable_bitmapscan"))
    assert "Index Only Scan using agreement_opd_stage" in plan, plan
    assert len(counted) == source.queryset.count() > 0


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize(("username", "kind"), [("dprd", "dprd_requests"), ("tkksd", "dprd_silent")])
def test_the_requests_nearest_their_deadline_are_read_in_order_from_the_index(username, kind):
    """Migration 0032 of the registry: with the id in the index `dprd_due`, the rows (deadline,
    then id) are read in order and the read stops at the rows shown. Before it PostgreSQL read and
    sorted every request sharing the first deadline: 483 of them at 1,000,000 agreements, 3.4 ms."""
    call_command("seed_demo", size=300, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_dprdapproval")
    user = User.objects.get(username=username)
    (source,) = [s for s in workqueue.sources_for(user, timezone.localdate()) if s.kind == kind]
    shown = source.queryset[: workqueue.ROWS_PER_KIND]
    plan = plan_of(shown, disable=("enable_seqscan", "enable_bitmapscan"))
    assert "Index Scan using dprd_due" in plan, plan
    assert "Sort" not in plan, plan
