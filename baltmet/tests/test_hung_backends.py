"""PostgreSQL or Redis hung (not stopped: their processes paused with SIGSTOP) under the
portal as it runs in production: gunicorn with deploy/gunicorn.conf.py and the production
settings, its own throw-away PostgreSQL cluster and Redis server, never the shared ones.

With either one hung, pages from the cache answer within 100 ms once the process knows,
pages that need the database get the 503 page within 3 s, /healthz answers, and all is
normal again within seconds of SIGCONT, without a restart. The figures measured are printed
(pytest -s) for the notes.
"""

import contextlib
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from baltmet.cache.tests.test_redis_outage import RedisServer
from baltmet.tests.gunicorn_server import gunicorn, production_environment
from baltmet.tests.test_database_outage import (  # noqa: F401  (cluster: a fixture)
    Cluster,
    cluster,
    copy_test_database_to,
    free_port,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CACHED = "/"  # stored in the page cache before the fault
UNCACHED = "/sitemap/"  # never requested before the fault: it needs the database


def cluster_processes(postgresql: Cluster) -> list[int]:
    """The postmaster and every process it started."""
    postmaster = int((postgresql.folder / "data" / "postmaster.pid").read_text().split()[0])
    processes = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            processes.append(int(stat.parent.name))
    return processes


def signal_all(processes: list[int], signum: int) -> None:
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


class Answer:
    def __init__(self, status: int, headers, body: str, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds


class Portal:
    def __init__(self, url: str):
        self.url = url

    def get(self, path: str) -> Answer:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.url + path, timeout=20) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return Answer(status, headers, body.decode(), time.monotonic() - started)

    def wait_until_normal(self, seconds: float = 15) -> float:
        """Seconds until an uncached page and /readyz answer 200 again."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.get(UNCACHED).status == 200 and self.get("/readyz").status == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError(f"not normal {seconds} s after the fault ended")


@pytest.fixture
def redis():
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def portal(cluster, redis, home_page, tmp_path):  # noqa: F811
    """The portal in gunicorn, configured by deploy/gunicorn.conf.py, page cache on Redis."""
    copy_test_database_to(cluster, tmp_path)
    port = free_port()
    env = production_environment(
        tmp_path,
        DATABASE_URL=cluster.url,
        REDIS_URL=redis.url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    arguments = ["-c", "deploy/gunicorn.conf.py", "baltmet.wsgi"]
    with gunicorn(arguments, env, port) as base:
        portal = Portal(base)
        for _ in range(2):
            portal.get(CACHED)
        assert portal.get(CACHED).headers["X-Cache"] == "HIT"
        yield portal


def report(fault: str, figures: dict[str, float]) -> None:
    print(f"\n{fault}: " + ", ".join(f"{name} {value:.3f} s" for name, value in figures.items()))


def test_with_postgresql_hung_cached_pages_answer_others_get_503_and_it_recovers(
    cluster,  # noqa: F811
    portal,
):
    processes = cluster_processes(cluster)
    signal_all(processes, signal.SIGSTOP)
    try:
        # The first request after the hang waits out the deadline on the page cache's
        # generation; then the process holds the database unavailable and serves what the
        # cache holds.
        first_cached = portal.get(CACHED)
        assert (first_cached.status, first_cached.headers["X-Cache"]) == (200, "HIT")
        assert first_cached.seconds < 3
        cached = [portal.get(CACHED) for _ in range(5)]
        assert {(a.status, a.headers["X-Cache"]) for a in cached} == {(200, "HIT")}
        assert max(a.seconds for a in cached) < 0.1
        uncached = portal.get(UNCACHED)
        assert uncached.status == 503 and uncached.headers["Retry-After"]
        assert uncached.seconds < 0.5
        ready = portal.get("/readyz")
        assert ready.status == 503 and ready.seconds < 0.5
        health = portal.get("/healthz")
        assert health.status == 200 and health.seconds < 0.5
        assert health.headers["Server"] == "gunicorn", "no version"
        # The process tries again after DATABASE_RETRY_SECONDS: that request waits out the
        # deadline once more, and gets the 503 page.
        time.sleep(3.2)
        retried = portal.get(UNCACHED)
        assert retried.status == 503 and retried.seconds < 3
    finally:
        signal_all(processes, signal.SIGCONT)
    recovered = portal.wait_until_normal()
    report(
        "PostgreSQL hung",
        {
            "first cached page": first_cached.seconds,
            "slowest cached page after it": max(a.seconds for a in cached),
            "503 while held unavailable": uncached.seconds,
            "503 on a retry": retried.seconds,
            "/readyz 503": ready.seconds,
            "/healthz": health.seconds,
            "normal after SIGCONT": recovered,
        },
    )
    assert recovered < 10


def test_with_redis_hung_pages_are_served_uncached_and_it_recovers(portal, redis):
    redis.hang()
    try:
        answers = [portal.get(path) for path in (CACHED, UNCACHED, CACHED, UNCACHED)]
        assert {a.status for a in answers} == {200}
        assert max(a.seconds for a in answers) < 1
        ready = portal.get("/readyz")
        assert ready.status == 200 and '"cache": "error"' in ready.body  # degraded, not unready
        health = portal.get("/healthz")
        assert health.status == 200
    finally:
        redis.resume()
    recovered = portal.wait_until_normal()
    assert '"cache": "ok"' in portal.get("/readyz").body
    report(
        "Redis hung",
        {
            "slowest page": max(a.seconds for a in answers),
            "/readyz (degraded)": ready.seconds,
            "normal after SIGCONT": recovered,
        },
    )
