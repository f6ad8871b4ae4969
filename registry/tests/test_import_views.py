"""Registri → Impor on the web: permissions, upload, preview, decisions, commit, background work."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.imports import services
from registry.imports.analysis import Options
from registry.models import Agreement, ImportJob, PartnerKind, Urusan
from registry.tests.factories import OPDFactory, make_partner, region_partner
from registry.tests.import_data import FIRST_DATA_ROW, expected_outcomes, messy_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def register(db):
    OPDFactory(name="Dinas Lingkungan Hidup", abbreviation="DLH")
    dishub = OPDFactory(name="Dinas Perhubungan", abbreviation="Dishub")
    region_partner("34.71")
    make_partner("PT Kereta Api Indonesia (Persero)", kind=PartnerKind.BUMN)
    return {"opd": dishub, "urusan": Urusan.objects.get(code="2.11")}


@pytest.fixture
def job(register, tkksd):
    return services.receive(messy_workbook(), "register.xlsx", actor=tkksd)


def _urls(job):
    return [
        ("get", reverse("registry:import_list")),
        ("get", reverse("registry:import_detail", args=[job.pk])),
        ("get", reverse("registry:import_progress", args=[job.pk])),
        ("get", reverse("registry:import_report", args=[job.pk])),
        ("post", reverse("registry:import_mapping", args=[job.pk])),
        ("post", reverse("registry:import_partners", args=[job.pk])),
        ("post", reverse("registry:import_commit", args=[job.pk])),
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("tkksd", True),
        ("admin", True),
        ("ppksd", False),
        ("other_ppksd", False),
        ("dprd", False),
        ("pimpinan", False),
        ("outsider", False),
    ],
)
def test_only_tkksd_and_admin_reach_the_import_pages(client, users, job, who, allowed):
    client.force_login(users[who])
    for method, url in _urls(job):
        response = getattr(client, method)(url)
        if allowed:
            assert response.status_code in (200, 302, 400), url
        else:
            assert response.status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(client, job):
    for method, url in _urls(job):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_upload_map_preview_and_commit_on_the_web(client, register, tkksd):
    client.force_login(tkksd)
    upload = SimpleUploadedFile("register.xlsx", messy_workbook(), content_type=XLSX)
    response = client.post(reverse("registry:import_list"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert 'name="column_1"' in page.text and "Nomor Pihak II" in page.text

    data = {f"column_{i}": name for i, name in ((int(k), v) for k, v in job.mapping.items())}
    data.update({"sheet": job.sheet, "lead_opd": register["opd"].pk, "urusan": register["urusan"].pk})
    client.post(reverse("registry:import_mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED
    assert dict(job.rows.values_list("number", "outcome")) == expected_outcomes()

    page = client.get(job.get_absolute_url())
    assert "Universitas Gadjah Mada" in page.text and 'data-testid="commit-form"' in page.text
    report = client.get(reverse("registry:import_report", args=[job.pk]))
    assert report["Content-Type"] == XLSX

    ugm = job.partner_names.get(name="Universitas Gadjah Mada")
    names = job.partner_names.exclude(decision="match", score=100)
    decisions = {f"name_{name.pk}_choice": "" for name in names}
    decisions[f"name_{ugm.pk}_choice"] = "create"
    decisions[f"name_{ugm.pk}_agreement_kind"] = "ksdpk"
    for name in names.exclude(pk=ugm.pk).filter(decision="create"):
        decisions[f"name_{name.pk}_choice"] = "create"
    client.post(reverse("registry:import_partners", args=[job.pk]), decisions)
    job.refresh_from_db()
    assert job.rows.get(number=FIRST_DATA_ROW + 3).outcome == "new"

    client.post(reverse("registry:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and job.created_count == 6
    assert Agreement.objects.filter(title="Pengabdian Masyarakat Kesehatan").exists()


def test_a_bad_upload_is_a_form_error_never_a_server_error(client, tkksd):
    client.force_login(tkksd)
    for name, content in (
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ("nul\x00.csv", b"a,b\n"),
        ("teks.csv", b"x" * 100_000),
    ):
        response = client.post(reverse("registry:import_list"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert "is-invalid" in response.text or "invalid-feedback" in response.text
    assert not ImportJob.objects.exists()


def test_a_mapping_post_with_junk_is_refused_as_a_form_error(client, tkksd, job):
    client.force_login(tkksd)
    response = client.post(
        reverse("registry:import_mapping", args=[job.pk]), {"column_1": "x" * 100_000, "lead_opd": "\x00"}
    )
    assert response.status_code == 400


def test_a_big_file_is_previewed_and_committed_by_the_task(
    client, register, tkksd, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 3
    client.force_login(tkksd)
    job = services.receive(messy_workbook(), "register.xlsx", actor=tkksd)
    data = {f"column_{k}": v for k, v in job.mapping.items()}
    data.update({"sheet": job.sheet, "lead_opd": register["opd"].pk, "urusan": register["urusan"].pk})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("registry:import_mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert (job.state, job.work) == (ImportJob.State.PREVIEWING, ImportJob.Work.PREVIEW)
    assert 'hx-get="' in client.get(reverse("registry:import_progress", args=[job.pk])).text
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, job.work, job.progress) == (ImportJob.State.PREVIEWED, "", 100)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and job.created_count == 5


def test_the_task_claims_its_job_once_and_the_sweeper_takes_back_a_lost_one(register, tkksd, settings):
    from registry import tasks

    settings.IMPORT_BACKGROUND_ROWS = 3
    job = services.receive(messy_workbook(), "register.xlsx", actor=tkksd)
    published = []
    job = services.set_mapping(
        job,
        actor=tkksd,
        mapping=job.mapping,
        options=Options(lead_opd_id=register["opd"].pk, urusan_id=register["urusan"].pk),
    )
    # A worker claimed it and died: the lease runs out, the sweeper publishes it again.
    ImportJob.objects.filter(pk=job.pk).update(
        claimed_by="dead-worker", lease_expires_at=dt.datetime(2026, 6, 15, 8, 0, tzinfo=dt.UTC)
    )
    import kerjasama.jobs

    original = kerjasama.jobs.publish

    def capture(task, *args):
        published.append((task.name, args))
        return True

    kerjasama.jobs.publish = capture
    try:
        assert services.sweep_import_jobs() == 1
    finally:
        kerjasama.jobs.publish = original
    assert published == [("registry.tasks.run_import_job", (job.pk,))]
    tasks.run_import_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED and job.attempts == 1
    # Delivered again: nothing to claim, nothing done twice.
    tasks.run_import_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.attempts == 1
