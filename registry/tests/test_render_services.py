"""Issuing survives the broker and the worker: with the real PostgreSQL, Redis and Celery (CI).

- a broker that refuses connections, or accepts them and never answers, costs the issuing
  request at most a couple of seconds and never its success page; once a broker and a worker
  are there, the sweeper renders what was issued meanwhile;
- a worker whose pool process is killed mid-render leaves a job that is rendered again, once.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kerjasama.celery import app
from registry import official
from registry.models import DocumentKind, OfficialDocument, RenderJob
from registry.tests.factories import PemdaProfileFactory
from registry.tests.official_data import keputusan_data, surat_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def require_services():
    assert django_settings.CELERY_BROKER_URL.startswith("redis://"), "CI must provide CELERY_BROKER_URL"
    assert django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@contextmanager
def broker_at(url: str):
    """Publish to `url` instead of the configured broker, as a web process would after Redis died."""
    conf = app.conf
    previous = conf.broker_write_url

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    conf.broker_write_url = url
    reset()
    try:
        yield
    finally:
        conf.broker_write_url = previous
        reset()


@contextmanager
def silent_server():
    """A TCP server that accepts every connection and never answers: a hung Redis."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        server.close()


def closed_port() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


def a_letter(tkksd) -> OfficialDocument:
    PemdaProfileFactory()
    return official.create_draft(
        actor=tkksd,
        kind=DocumentKind.SURAT,
        series=official.series_for("surat-kerja-sama"),
        title="S",
        data=surat_data(),
    )


def issue_through_the_page(user, document) -> tuple[float, object]:
    client = Client()
    client.force_login(user)
    started = time.monotonic()
    response = client.post(reverse("registry:official_issue", args=[document.pk]), follow=True)
    return time.monotonic() - started, response


def wait_for(predicate, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def rendered(document) -> bool:
    document.refresh_from_db()
    return document.is_rendered


def test_an_issue_with_the_broker_down_succeeds_and_the_sweeper_renders_it_later(tkksd, pimpinan, settings):
    require_services()
    app.control.purge()
    letter = a_letter(tkksd)
    with broker_at(closed_port()):
        elapsed, response = issue_through_the_page(pimpinan, letter)
    assert response.status_code == 200
    letter.refresh_from_db()
    assert f"Diterbitkan dengan nomor {letter.number}" in response.content.decode()
    assert "Sedang diproses" in response.content.decode()
    assert elapsed < 3
    assert letter.render_jobs.get().state == RenderJob.State.QUEUED and not letter.is_rendered

    # The broker is back, a worker runs; beat's sweeper finds the job queued past its minute.
    settings.JOB_REPUBLISH_SECONDS = 0
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        app.send_task("registry.tasks.sweep_render_jobs")
        assert wait_for(lambda: rendered(letter), 60), "the sweeper did not get the document rendered"
    job = letter.render_jobs.get()
    assert (job.state, job.attempts) == (RenderJob.State.DONE, 1)


def test_an_issue_with_a_broker_that_never_answers_returns_within_three_seconds(tkksd, pimpinan):
    require_services()
    letter = a_letter(tkksd)
    with silent_server() as url, broker_at(url):
        elapsed, response = issue_through_the_page(pimpinan, letter)
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.number and f"Diterbitkan dengan nomor {letter.number}" in response.content.decode()
    assert elapsed < 3, f"the request waited {elapsed:.1f} s for the broker"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_render_whose_pool_process_is_killed_is_rendered_once_after_the_lease(pimpinan, tkksd, tmp_path):
    require_services()
    app.control.purge()
    PemdaProfileFactory()
    database = django_settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER'] or 'postgres'}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    log = tmp_path / "worker.log"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "JOB_LEASE_SECONDS": "40",
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kerjasama",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: "ready" in log.read_text(), 60), log.read_text()
        decree = official.create_draft(
            actor=tkksd,
            kind=DocumentKind.KEPUTUSAN,
            series=official.series_for("keputusan-bupati"),
            title="Program",
            data=keputusan_data(rows=1000),
        )
        issued = official.issue_document(decree, actor=pimpinan)
        job = issued.render_jobs.get()

        def laying_out():
            job.refresh_from_db()
            return job.state == RenderJob.State.RUNNING and job.progress >= 30

        assert wait_for(laying_out, 60, step=0.05), log.read_text()
        pool = children_of(worker.pid)
        assert pool, "no pool process"
        for pid in pool:
            os.kill(pid, signal.SIGKILL)  # as the kernel's OOM killer would

        assert wait_for(lambda: rendered(issued), 120), log.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    job.refresh_from_db()
    assert job.state == RenderJob.State.DONE
    assert job.attempts == 2, "claimed by the killed process, then once more"
    stored = sorted((Path(django_settings.MEDIA_ROOT) / "official").rglob("*.pdf"))
    assert [path.name for path in stored] == [f"{issued.verification_code}.pdf"], "one rendering, one file"
    assert official.check_file(issued) == official.FileState.INTACT
