"""`make bench`: serve the app under gunicorn against PostgreSQL and measure its pages.

Every page in bench/pages.py is loaded over loopback for a fixed time by a few keep-alive
clients; the table gives throughput, p50/p95 latency and the SQL queries per request (counted
by the server, kerjasama.middleware.QueryCountMiddleware), side by side with yardsticks measured
in the same run: each page's own (a minimal view running the page's main query and printing its
rows with no layout, kerjasama/yardsticks.py), a minimal 25-row view and Django admin's
changelist on the same data. Ratios are throughput relative to those yardsticks. The load time
is split into rounds, each measuring every page and yardstick in turn, so that a slow spell of
the machine weighs on pages and yardsticks alike. At the end it prints each gunicorn worker's
resident memory.

    python -m bench [--size 100000] [--seconds 5] [--rounds 3] [--clients 4] [--reuse]
        [--only "agreement list;monitoring dashboard"]
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import django
import psycopg2

if TYPE_CHECKING:
    from bench.pages import Page

ROOT = Path(__file__).resolve().parent.parent
# The name under which a page's own yardstick is measured (its path tells which).
YARDSTICK = "yardstick"
PYTHON = sys.executable


@dataclass
class Result:
    page: "Page"
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    queries: set[int] = field(default_factory=set)

    @property
    def queries_shown(self) -> str:
        if not self.queries:
            return "?"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def environment(database_url: str) -> dict[str, str]:
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "BEHIND_PROXY": "false",
        "BENCHMARK_VIEWS": "true",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
        # The demo's notifications are not mailed anywhere (the console backend would print them).
        "EMAIL_URL": "dummymail://",
        # Each seeded database its own open data files.
        "OPEN_DATA_DIR": str(Path(tempfile.gettempdir()) / f"kerjasama-bench-open-data-{database}"),
    }


def ensure_database(database_url: str) -> None:
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "kerjasama.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # gunicorn.conf.py (the deployment's) is read from the working directory: keep its
            # limits, but no access log line per request, and no worker recycled during the run,
            # so that the resident memory printed at the end is that of workers that served it all.
            "--access-logfile",
            os.devnull,
            "--max-requests",
            "0",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/masuk/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start within 30 seconds")


def login(port: int, username: str, password: str) -> str:
    """Log in through the real form; returns the Cookie header for later requests."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/masuk/")
    response = connection.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    connection.request(
        "POST",
        "/masuk/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/masuk/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if response.status != 302 or not session:
        raise SystemExit(f"could not log in as {username}: HTTP {response.status}")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}"


def load(port: int, page: "Page", cookie: str, seconds: float, clients: int, max_requests: int) -> Result:
    """Hit one page with `clients` keep-alive connections for `seconds` (bounded by max_requests)."""
    result = Result(page)
    lock = threading.Lock()
    budget = [max_requests]

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", page.path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                count = response.getheader("X-Query-Count")
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok, count = False, None
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    result.latencies.append(elapsed)
                    if count and count.isdigit():
                        result.queries.add(int(count))
                else:
                    result.errors += 1

    # Warm up the workers' caches and connections before measuring.
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(5):
        warm.request("GET", page.path, headers={"Cookie": cookie})
        warm.getresponse().read()
    # The measured window starts after the warm-up, however long that took.
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - begin
    return result


def _ratio(result: Result, yardstick: Result | None) -> float:
    return result.throughput / yardstick.throughput if yardstick and yardstick.throughput else float("nan")


def misses(result: Result, own: Result | None, admin: Result) -> list[str]:
    """The targets of the Speed issue a page misses."""
    from bench.pages import ADMIN_RATIO_TARGET

    page = result.page
    missed = []
    if not result.percentile(0.95) <= page.p95_target_ms:
        missed.append(f"p95>{page.p95_target_ms}")
    if not _ratio(result, admin) >= ADMIN_RATIO_TARGET:
        missed.append(f"admin<{ADMIN_RATIO_TARGET:g}x")
    if own is not None and not _ratio(result, own) >= page.yardstick_ratio_target:
        missed.append(f"own<{page.yardstick_ratio_target:g}x")
    return missed


def report(results: list[Result], yardsticks: dict[tuple[str, str], Result], baseline) -> None:
    minimal = next(r for r in results if r.page.name == baseline[0].name)
    admin = next(r for r in results if r.page.name == baseline[1].name)
    header = (
        f"{'page':<34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'errors':>6} "
        f"{'vs own':>6} {'own q':>5} {'vs admin':>8} {'vs minimal':>10}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        baseline_row = r.page in baseline
        own = yardsticks.get((r.page.yardstick, r.page.username)) if r.page.yardstick else None
        own_ratio = f"{_ratio(r, own):>6.2f}" if own else f"{'-':>6}"
        own_queries = own.queries_shown if own else "-"
        missed = misses(r, own, admin)
        target = "" if baseline_row else ("met" if not missed else "MISSED " + ", ".join(missed))
        print(
            f"{r.page.name:<34} {r.throughput:>7.1f} {r.percentile(0.5):>7.1f} {r.percentile(0.95):>7.1f} "
            f"{r.queries_shown:>7} {r.errors:>6} {own_ratio} {own_queries:>5} {_ratio(r, admin):>8.2f} "
            f"{_ratio(r, minimal):>10.2f}  {target}"
        )
    print()
    print(
        "req/s: throughput with the given clients; queries: SQL queries per request; vs own: throughput\n"
        "ratio to the page's own yardstick (same main query, rows without layout), whose queries per\n"
        "request are in 'own q'; vs admin, vs minimal: throughput ratios to the admin changelist and the\n"
        "minimal 25-row view. Targets: p95 <= 50 ms, >= 2x the admin changelist, >= 0.8x the own\n"
        "yardstick for list and search pages and >= 0.5x for the others."
    )


def worker_memory(server: subprocess.Popen) -> list[tuple[int, int]]:
    """(pid, resident kB) of each gunicorn worker: the children of the master process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server.pid):
            found.append((int(entry.name), int(fields.get("VmRSS", "0 kB").split()[0])))
    return sorted(found)


def run_jobs(jobs) -> None:
    """Measure in-process work (PDF rendering, scans) against the same database."""
    import importlib

    if not jobs:
        return
    header = f"{'job':<40} {'runs':>5} {'median s':>9} {'max s':>8}"
    lines = []
    for job in jobs:
        module, name = job.function.split(":")
        print(f"measuring {job.name} ...", flush=True)
        seconds = getattr(importlib.import_module(module), name)()
        target = f"  target ≤ {job.target_s} s" if job.target_s else ""
        median = statistics.median(seconds) if seconds else float("nan")
        lines.append(
            f"{job.name:<40} {len(seconds):>5} {median:>9.3f} {max(seconds, default=float('nan')):>8.3f}{target}"
        )
    print()
    print(header)
    print("-" * len(header))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="generated records to seed")
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per page, over all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the pages, each with an equal share")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--max-requests", type=int, default=20_000, help="upper bound per page")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kerjasama_bench"),
    )
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of an earlier run")
    parser.add_argument("--only", default="", help="page and job names, separated by ';' (yardsticks always run)")
    options = parser.parse_args()

    env = environment(options.database_url)
    # This process reads the page table (and the demo password) with the same settings as gunicorn.
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kerjasama.settings"
    django.setup()
    from bench.pages import BASELINE, JOBS, PAGES, Page, seeded_ids

    ensure_database(options.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    if not options.reuse:
        manage(env, "flush", "--noinput")
        started = time.monotonic()
        manage(env, "seed_demo", "--size", str(options.size))
        # The Speed issue: --size 1000000 seeds within 15 minutes.
        print(f"seeded {options.size:,} agreements in {time.monotonic() - started:.0f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # As after a deployment: the open data files are there before the first download.
    started = time.monotonic()
    manage(env, "publish_open_data")
    print(f"open data written in {time.monotonic() - started:.0f} s", flush=True)
    ids = seeded_ids()

    server = start_gunicorn(env, options.port)
    try:
        cookies: dict[str, str] = {}
        only = {name.strip() for name in options.only.split(";") if name.strip()}
        pages = [
            page.resolved(ids) for page in (*BASELINE, *PAGES) if not only or page in BASELINE or page.name in only
        ]
        # Each page's own yardstick, once per path and user, measured in the same rounds.
        yardstick_pages = {
            (page.yardstick, page.username): Page(YARDSTICK, page.yardstick, page.username)
            for page in pages
            if page.yardstick
        }
        results = {page.name: Result(page) for page in pages}
        yardsticks = {key: Result(page) for key, page in yardstick_pages.items()}
        rounds = max(options.rounds, 1)
        for round_number in range(1, rounds + 1):
            for page in [*pages, *yardstick_pages.values()]:
                if page.username not in cookies:
                    cookies[page.username] = login(options.port, page.username, page.password)
                print(f"round {round_number}/{rounds}: {page.name} ({page.path}) ...", flush=True)
                measured = load(
                    options.port,
                    page,
                    cookies[page.username],
                    options.seconds / rounds,
                    options.clients,
                    options.max_requests // rounds,
                )
                total = yardsticks[(page.path, page.username)] if page.name == YARDSTICK else results[page.name]
                total.queries |= measured.queries
                total.latencies.extend(measured.latencies)
                total.errors += measured.errors
                total.elapsed += measured.elapsed
        results = list(results.values())
        report(results, yardsticks, BASELINE)
        print()
        for pid, kilobytes in worker_memory(server):
            print(f"gunicorn worker {pid}: resident memory {kilobytes / 1024:.0f} MB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    run_jobs([job for job in JOBS if not only or job.name in only])
    if any(r.errors for r in [*results, *yardsticks.values()]):
        # A yardstick is named by its path, which tells whose it is.
        failing = ", ".join(
            f"{r.page.name} ({r.page.path}: {r.errors})" for r in [*results, *yardsticks.values()] if r.errors
        )
        raise SystemExit(f"pages answered with errors: {failing}")
    if statistics.fmean(len(r.latencies) for r in results) == 0:
        raise SystemExit("no request succeeded")


if __name__ == "__main__":
    main()
