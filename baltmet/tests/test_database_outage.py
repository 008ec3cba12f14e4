"""A database outage: the "back soon" page (503) at once, and recovery without a restart.

The first tests raise database errors inside the test client. The last one runs the portal
for real: its own throw-away PostgreSQL cluster, gunicorn with the production settings, and
the cluster stopped and started again under it.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from wagtail.models import Site

from baltmet.ops import backup
from baltmet.ops.middleware import database_unavailable_response
from baltmet.tests.gunicorn_server import gunicorn, production_environment


def assert_is_the_503_page(status: int, headers, html: str) -> None:
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]
    assert "default-src 'none'; style-src 'self'" in headers["Content-Security-Policy"]
    assert "<h1>The portal is back soon</h1>" in html
    # The site's look and accessibility: its stylesheet, language, landmarks, skip link.
    assert 'href="/static/css/site.css"' in html
    assert '<html lang="en">' in html
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert 'class="skip-link" href="#main"' in html
    assert "<header" in html
    assert "<footer" in html
    # Ready for a strict Content-Security-Policy.
    assert "<script" not in html
    assert "style=" not in html


# Inside the test client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection refused"),
        InterfaceError("connection already closed"),
        psycopg.OperationalError("server closed the connection unexpectedly"),
    ],
    ids=["django OperationalError", "django InterfaceError", "psycopg OperationalError"],
)
def test_a_view_that_loses_the_database_answers_the_503_page(client, site_tree, error):
    with mock.patch.object(Site, "find_for_request", side_effect=error):
        response = client.get("/")

    assert_is_the_503_page(response.status_code, response, response.content.decode())
    assert [template.name for template in response.templates] == ["503.html"]


@pytest.mark.django_db
def test_a_middleware_that_loses_the_database_answers_the_503_page(site_tree, django_user_model):
    """A logged-in editor: the session is loaded by the two-factor middleware, before any view."""
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("editor", password="x" * 16))

    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("refused")):
        response = client.get("/")

    assert_is_the_503_page(response.status_code, response, response.content.decode())


@pytest.mark.django_db
def test_other_errors_are_still_server_errors(site_tree):
    client = Client(raise_request_exception=False)

    with mock.patch.object(Site, "find_for_request", side_effect=ValueError("a bug")):
        response = client.get("/")

    assert response.status_code == 500


@pytest.mark.django_db
def test_the_503_page_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = database_unavailable_response()

    assert_is_the_503_page(response.status_code, response, response.content.decode())


# For real: a PostgreSQL cluster of its own, stopped and started under a running portal


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        # Often a link into the versioned folder that also holds pg_ctl.
        return Path(initdb).resolve().parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


@dataclass
class Cluster:
    """A throw-away PostgreSQL cluster, made as scripts/with-postgres.sh makes one."""

    bindir: Path
    folder: Path
    port: int
    run_as: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / tool), *args],
            check=check,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        data, log = str(self.folder / "data"), str(self.folder / "server.log")
        self.run("pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")

    def stop(self, check: bool = True) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop", check=check)


@pytest.fixture
def cluster():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb) installed")
    folder = Path(tempfile.mkdtemp(prefix="baltmet-outage-"))
    run_as = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root.
        shutil.chown(folder, user="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bindir, folder, free_port(), run_as)
    try:
        data = str(folder / "data")
        cluster.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        cluster.start()
        yield cluster
    finally:
        cluster.stop(check=False)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Portal:
    url: str

    def get(self, path: str) -> tuple[int, dict, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


def copy_test_database_to(cluster: Cluster, folder: Path) -> None:
    """The test database (migrated, with the test's pages) into the cluster: far quicker
    than migrating the cluster from scratch."""
    dump = folder / "portal.dump"
    backup.dump_database(dump)
    subprocess.run(
        [backup.pg_tool("pg_restore"), "--no-owner", f"--dbname={cluster.url}", str(dump)],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def portal(cluster, home_page, tmp_path):
    """The portal in gunicorn, with the production settings, on the cluster."""
    copy_test_database_to(cluster, tmp_path)
    env = production_environment(
        tmp_path,
        DATABASE_URL=cluster.url,
        # Every request must reach the database: no page from the page cache.
        PAGE_CACHE="false",
        DB_CONNECT_TIMEOUT="2",
    )
    port = free_port()
    options = ["--bind", f"127.0.0.1:{port}", "--threads", "2", "--graceful-timeout", "1"]
    with gunicorn(["baltmet.wsgi", *options], env, port) as base:
        yield Portal(base)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_portal_answers_503_while_postgresql_is_down_and_recovers(cluster, portal):
    status, _, html = portal.get("/")
    assert status == 200
    assert "Network home" in html

    cluster.stop()

    started = time.monotonic()
    status, headers, html = portal.get("/")
    assert time.monotonic() - started < 3, "the worker waited for the database"
    assert_is_the_503_page(status, headers, html)
    assert headers["X-Request-ID"]
    status, headers, body = portal.get("/readyz")
    assert status == 503
    assert json.loads(body) == {"status": "error", "database": "error", "cache": "ok"}
    assert portal.get("/healthz")[0] == 200

    cluster.start()

    # No restart: once the process tries again (DATABASE_RETRY_SECONDS after the failure),
    # it reconnects.
    status, html = wait_for_pages(portal)
    assert status == 200
    assert "Network home" in html
    assert portal.get("/readyz")[0] == 200


def wait_for_pages(portal, seconds: float = 10) -> tuple[int, str]:
    """The home page's status once it is served again, or the last one after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        status, _, html = portal.get("/")
        if status == 200 or time.monotonic() > deadline:
            return status, html
        time.sleep(0.2)
