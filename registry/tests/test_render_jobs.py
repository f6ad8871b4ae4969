"""No numbered document is left without its file: render jobs as an outbox (claimed with a lease,
swept when their message or their worker is lost), and stored files checked against their SHA-256."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kerjasama import jobs
from registry import official, tasks
from registry.models import OfficialDocument, RenderJob


@pytest.fixture
def no_broker(monkeypatch):
    """Publishing reaches nothing: the job rows stay as the broker would have left them."""
    published = []
    monkeypatch.setattr(jobs, "publish", lambda task, *args: published.append((task.name, *args)) or False)
    return published


@pytest.fixture
def unrendered(letter, tkksd, no_broker, pimpinan):
    return official.issue_document(letter, actor=pimpinan)


@pytest.fixture
def rendered(issue, letter, tkksd, pimpinan):
    return issue(letter, actor=pimpinan)


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


# --- the sweeper -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_whose_message_was_lost_is_published_again_after_a_minute(unrendered, no_broker):
    job = unrendered.render_jobs.get()
    no_broker.clear()
    assert official.sweep_render_jobs(now=timezone.now()) == 0, "a fresh job is left to its message"
    assert no_broker == []
    official.sweep_render_jobs(now=later(1.5))
    assert no_broker == [("registry.tasks.render_official_document", job.pk)]
    # Published again at most once a minute while the broker stays away.
    no_broker.clear()
    official.sweep_render_jobs(now=later(1.6))
    assert no_broker == []


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_taken_back_after_its_lease(unrendered, no_broker, settings):
    job = unrendered.render_jobs.get()
    # A worker claimed it, then died (OOM, SIGKILL) without a word.
    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderJob.State.RUNNING, claimed_by="dead-task", lease_expires_at=later(settings.JOB_LEASE_SECONDS / 60)
    )
    no_broker.clear()
    official.sweep_render_jobs(now=later(2))
    assert no_broker == [], "a live lease is never overtaken"
    official.sweep_render_jobs(now=later(settings.JOB_LEASE_SECONDS / 60 + 1))
    assert no_broker == [("registry.tasks.render_official_document", job.pk)]
    job.refresh_from_db()
    assert (job.state, job.lease_expires_at) == (RenderJob.State.QUEUED, None)
    official.run_render_job(job.pk, claim="new-task")
    unrendered.refresh_from_db()
    assert unrendered.is_rendered


@pytest.mark.django_db
def test_a_claimed_job_is_rendered_once_whatever_the_messages(unrendered):
    job = unrendered.render_jobs.get()
    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderJob.State.RUNNING, claimed_by="task-a", lease_expires_at=later(5)
    )
    official.run_render_job(job.pk, claim="task-b")  # another message for the same job: nothing to do
    unrendered.refresh_from_db()
    assert not unrendered.is_rendered
    official.run_render_job(job.pk, claim="task-a")  # the same task, retried or re-delivered: it renders
    unrendered.refresh_from_db()
    job.refresh_from_db()
    assert unrendered.is_rendered and job.state == RenderJob.State.DONE and job.attempts == 1
    digest = unrendered.sha256
    official.run_render_job(job.pk, claim="task-a")
    RenderJob.objects.filter(pk=job.pk).update(state=RenderJob.State.QUEUED)
    official.run_render_job(job.pk, claim="task-c")
    unrendered.refresh_from_db()
    assert unrendered.sha256 == digest


@pytest.mark.django_db
def test_a_database_error_gives_the_job_back_for_the_retry(unrendered, monkeypatch):
    from django.db import OperationalError

    job = unrendered.render_jobs.get()

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(official, "_store_issued", database_gone)
    with pytest.raises(OperationalError):
        official.run_render_job(job.pk, claim="task-a")
    job.refresh_from_db()
    assert job.state == RenderJob.State.QUEUED, "given back, not failed: the task retries it"
    monkeypatch.undo()
    official.run_render_job(job.pk, claim="task-a")
    unrendered.refresh_from_db()
    assert unrendered.is_rendered


def test_the_render_task_retries_database_errors_and_the_broker_gives_lost_work_back():
    from django.db import InterfaceError, OperationalError

    from kerjasama.celery import app

    task = tasks.render_official_document
    assert set(task.autoretry_for) == {OperationalError, InterfaceError}
    assert task.retry_backoff and task.max_retries >= 5
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert task.time_limit < visibility < 3600
    assert app.conf.broker_transport_options["socket_timeout"] <= 2
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2
    for name in ("sweep-render-jobs", "resend-unsent-notification-emails"):
        assert str(app.conf.beat_schedule[name]["schedule"]._orig_minute) == "*", name


# --- what people see -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_issue_while_the_broker_is_down_is_a_success_and_says_it_is_being_processed(
    letter,
    pimpinan,
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from kombu.exceptions import OperationalError as BrokerDown

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_official_document, "apply_async", broker_down)
    client.force_login(pimpinan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:official_issue", args=[letter.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    letter.refresh_from_db()
    assert f"Diterbitkan dengan nomor {letter.number}" in page
    assert "Sedang diproses" in page
    assert letter.render_jobs.get().state == RenderJob.State.QUEUED

    public = client.get(reverse("verify_document", args=[letter.verification_code])).content.decode()
    assert "sedang diproses" in public and "belum tersedia" in public
    assert "telah diterbitkan dan sah" not in public
    assert 'type="file"' not in public, "nothing to compare a copy with yet"


@pytest.mark.django_db
def test_after_the_lease_staff_see_the_failure_and_render_again(
    unrendered, tkksd, pimpinan, client, monkeypatch, django_capture_on_commit_callbacks
):
    RenderJob.objects.filter(document=unrendered).update(created_at=later(-30), queued_at=later(-30))
    client.force_login(pimpinan)
    page = client.get(unrendered.get_absolute_url()).content.decode()
    assert "Gagal dirender" in page and "Render ulang" not in page
    client.force_login(tkksd)
    page = client.get(unrendered.get_absolute_url()).content.decode()
    assert "Gagal dirender" in page and "Render ulang" in page

    monkeypatch.undo()  # the broker is back (eager here)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:official_rerender", args=[unrendered.pk]))
    assert response.status_code == 302
    unrendered.refresh_from_db()
    assert unrendered.is_rendered
    assert unrendered.render_jobs.filter(state=RenderJob.State.DONE).count() == 1
    assert client.post(reverse("registry:official_rerender", args=[unrendered.pk])).status_code == 302
    assert unrendered.render_jobs.count() == 2, "a rendered document is never rendered again"


@pytest.mark.django_db
def test_only_tkksd_and_admin_render_again(unrendered, users, client):
    RenderJob.objects.filter(document=unrendered).update(state=RenderJob.State.FAILED, error="boom")
    expected = {"tkksd": 302, "admin": 302, "pimpinan": 403, "dprd": 403, "ppksd": 403, "outsider": 403}
    for name, status in expected.items():
        client.force_login(users[name])
        response = client.post(reverse("registry:official_rerender", args=[unrendered.pk]))
        assert response.status_code == status, name


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_a_missing_or_altered_file_answers_a_clear_page_never_a_500(damage, rendered, tkksd, admin_user, client):
    stored = rendered.file.path
    if damage == "missing":
        rendered.file.storage.delete(rendered.file.name)
    else:
        with open(stored, "r+b") as file:
            file.seek(200)
            file.write(b"XXXX")
    client.force_login(tkksd)

    detail = client.get(rendered.get_absolute_url())
    assert detail.status_code == 200
    assert 'data-testid="file-problem"' in detail.content.decode()
    assert "Unduh PDF" not in detail.content.decode()

    download = client.get(reverse("registry:official_download", args=[rendered.pk]))
    assert download.status_code == (404 if damage == "missing" else 409)
    assert download["Content-Type"].startswith("text/html")
    assert ("hilang" if damage == "missing" else "tidak lagi cocok") in download.content.decode()

    client.logout()
    public = client.get(reverse("verify_document", args=[rendered.verification_code]))
    assert public.status_code == 200
    assert "sedang dipulihkan" in public.content.decode()
    assert rendered.sha256 in public.content.decode()

    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("check_documents", stdout=out)
    assert damage in out.getvalue() and rendered.number in out.getvalue()


@pytest.mark.django_db
def test_check_documents_passes_when_every_file_is_intact_and_reports_one_never_rendered(
    rendered, unrendered_other, settings
):
    out = StringIO()
    RenderJob.objects.filter(document=unrendered_other).update(created_at=later(-60))
    with pytest.raises(CommandError):
        call_command("check_documents", stdout=out)
    assert "failed" in out.getvalue() and unrendered_other.number in out.getvalue()
    assert rendered.number not in out.getvalue()
    RenderJob.objects.filter(document=unrendered_other).delete()
    OfficialDocument.objects.filter(pk=unrendered_other.pk).delete()
    out = StringIO()
    call_command("check_documents", stdout=out)
    assert "1 issued documents checked" in out.getvalue()


@pytest.fixture
def unrendered_other(letter_series, tkksd, monkeypatch, pimpinan):
    from registry.models import DocumentKind
    from registry.tests.official_data import surat_data

    monkeypatch.setattr(jobs, "publish", lambda task, *args: False)
    draft = official.create_draft(
        actor=tkksd, kind=DocumentKind.SURAT, series=letter_series, title="Surat kedua", data=surat_data()
    )
    return official.issue_document(draft, actor=pimpinan)


@pytest.mark.django_db
def test_the_weekly_check_tells_the_administrators(rendered, admin_user, tkksd):
    from monitoring import tasks as monitoring_tasks
    from monitoring.models import Notification

    # The handoffs of drafting and issuing told the TKKSD and the Pimpinan; the check tells admins.
    told = Notification.objects.filter(recipient=admin_user)
    assert monitoring_tasks.check_documents.apply().get() == 0
    assert told.count() == 0
    rendered.file.storage.delete(rendered.file.name)
    assert monitoring_tasks.check_documents.apply().get() == 1
    notification = told.get()
    assert notification.recipient == admin_user
    assert rendered.number in notification.body and "berkas hilang" in notification.body
