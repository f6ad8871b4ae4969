"""Each form writes only its own fields; lifecycle fields are written only by their own services.

Every edit form of the app is posted, and every lifecycle service run, while the SQL is
captured; the columns each UPDATE sets are compared with what that form or service owns.
(The conftest guard `_no_whole_row_saves` complements this: no code may save an existing row
of the project's models without naming its fields.)
"""

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kerjasama.tests.test_concurrency import CASES, post_data
from monitoring import evaluations
from monitoring import services as monitoring_services
from monitoring.tests.helpers import evaluation_data, report_data, running
from planning import services as planning_services
from planning.tests.factories import draft_proposal, map_potential, open_cycle
from registry import lifecycle, official
from registry.models import Stage
from registry.tests.factories import PemdaProfileFactory, make_agreement

# The fields of each table that only their lifecycle services write.
LIFECYCLE = {
    "registry_agreement": {
        "stage",
        "stage_changed_at",
        "end_reason",
        "register_number",
        "own_number",
        "partner_number",
    },
    "registry_officialdocument": {
        "status",
        "number",
        "year",
        "sequence",
        "snapshot",
        "issue_date",
        "issued_at",
        "issued_by_id",
        "issued_on_delegation_id",
        "file",
        "sha256",
        "voided_at",
        "voided_by_id",
        "void_reason",
        "voided_on_delegation_id",
    },
    "planning_proposal": {"status", "number", "rank", "submitted_at", "revision_note", "minutes_id", "decree_id"},
    "planning_cycle": {"status", "decree_id", "closed_at", "programme_drafted_by_id"},
    "monitoring_implementationreport": {"reviewed_by_id", "reviewed_at", "review_note"},
    "monitoring_evaluation": {"status", "snapshot", "finalised_at", "finalised_by_id"},
}
# What a service derives from a form's fields and writes with them.
DERIVED = {
    "registry_agreement": {"search_document", "partner_names", "term_months"},
    "registry_partner": {"name", "name_key", "province_id"},
    "planning_proposal": {"cycle_id"},
    # Revising a returned report files it again: its status and filer are the revision's own.
    "monitoring_implementationreport": {"status", "submitted_by_id", "submitted_at"},
}
BOOKKEEPING = {"version", "updated_at"}


def updated_columns(queries) -> dict[str, set[str]]:
    """Table -> the columns set by the captured UPDATE statements."""
    written = defaultdict(set)
    for query in queries:
        match = re.match(r'UPDATE "(\w+)" SET (.*) WHERE ', query["sql"], re.S)
        if match:
            written[match.group(1)] |= set(re.findall(r'"(\w+)" = ', match.group(2)))
    return written


def columns_of(record, fields) -> set[str]:
    columns = set()
    for name in fields:
        field = record._meta.get_field(name)
        if not field.many_to_many:
            columns.add(field.column)
    return columns


@pytest.fixture
def editors(users, make_user, opd):
    from registry.roles import Role

    return {**users, "ppksd2": make_user(Role.PPKSD, username="ppksd.rekan", opd=opd)}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_edit_form_writes_only_its_own_fields(case, editors, client):
    record = case.setup(editors)
    client.force_login(editors[case.user])
    form = client.get(case.edit_url(record)).context[case.form_key]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(case.post_url(record), post_data(form, **{form.add_prefix(case.field): case.mine}))
    assert response.status_code == 302
    table = record._meta.db_table
    written = updated_columns(queries)
    own = columns_of(record, form.edition_fields) | BOOKKEEPING | DERIVED.get(table, set())
    assert written[table], "the edit was saved"
    assert written[table] <= own, f"{case.name} wrote {sorted(written[table] - own)}"
    assert not written[table] & (LIFECYCLE.get(table, set()) - DERIVED.get(table, set()) - own)


def lifecycle_moves(users):
    """(name, table, columns it may write, action) for each lifecycle service."""
    tkksd, ppksd, pimpinan = users["tkksd"], users["ppksd"], users["pimpinan"]
    agreement = make_agreement(tkksd)
    yield (
        "advance",
        "registry_agreement",
        {"stage", "stage_changed_at", "end_reason"},
        lambda: lifecycle.advance(agreement, Stage.DIBATALKAN, actor=tkksd, note="Mundur."),
    )
    PemdaProfileFactory()
    from registry.models import DocumentKind
    from registry.tests.official_data import surat_data

    draft = official.create_draft(
        actor=tkksd,
        kind=DocumentKind.SURAT,
        series=official.series_for("surat-kerja-sama"),
        title="S",
        data=surat_data(),
    )
    yield (
        "issue",
        "registry_officialdocument",
        LIFECYCLE["registry_officialdocument"]
        - {"voided_at", "voided_by_id", "void_reason", "voided_on_delegation_id"},
        lambda: official.issue_document(draft, actor=pimpinan),
    )
    yield (
        "void",
        "registry_officialdocument",
        {"status", "voided_at", "voided_by_id", "void_reason", "voided_on_delegation_id"},
        lambda: official.void_document(type(draft).objects.get(pk=draft.pk), actor=pimpinan, reason="Salah."),
    )
    proposal = draft_proposal(ppksd, map_potential(ppksd, open_cycle(tkksd)))
    yield (
        "submit proposal",
        "planning_proposal",
        {"status", "submitted_at"},
        lambda: planning_services.submit_proposal(proposal, actor=ppksd),
    )
    report_agreement = running(tkksd, opd=ppksd.opd)
    report = monitoring_services.file_report(
        report_agreement, actor=ppksd, period=dt.date(2025, 3, 1), data=report_data(), today=dt.date(2025, 4, 2)
    )
    yield (
        "review report",
        "monitoring_implementationreport",
        {"status", "reviewed_by_id", "reviewed_at", "review_note"},
        lambda: monitoring_services.review_report(report, actor=tkksd, decision="accept"),
    )
    evaluation = evaluations.create_evaluation(
        running(tkksd), actor=tkksd, year=2025, data=evaluation_data(), today=dt.date(2026, 1, 10)
    )
    yield (
        "finalise evaluation",
        "monitoring_evaluation",
        LIFECYCLE["monitoring_evaluation"],
        lambda: evaluations.finalise_evaluation(evaluation, actor=tkksd, today=dt.date(2026, 1, 10)),
    )


@pytest.mark.django_db
def test_lifecycle_services_write_only_their_lifecycle_fields(users, django_capture_on_commit_callbacks):
    seen = []
    for name, table, allowed, action in lifecycle_moves(users):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            action()
        written = updated_columns(queries)[table]
        assert written, f"{name} wrote nothing to {table}"
        assert written <= allowed | {"updated_at"}, f"{name} wrote {sorted(written - allowed)}"
        assert "version" not in written, f"{name} is not an edit"
        seen.append(name)
    assert len(seen) == 6
