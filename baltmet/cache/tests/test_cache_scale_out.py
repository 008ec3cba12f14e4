"""The cache shared by several server processes (Redis), and what happens when Redis is down.

Two real server processes (gunicorn) share the test database and a Redis database of their
own (REDIS_DB): a page published through the admin of one is served fresh by the other, and
a login on one is valid on the other.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from baltmet.models import SiteSettings
from news.factories import NewsPageFactory
from tests.helpers import log_in, news_form

REDIS_DB = 7
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
BASE_DIR = Path(__file__).resolve().parents[3]


def redis_cache_settings(url: str) -> dict:
    """The CACHES that baltmet/settings/base.py makes of REDIS_URL."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": django_settings.CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# Redis down ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_redis_down_pages_are_served_uncached_and_publishing_works(settings, world):
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{free_port()}/0")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SiteSettings.for_site(world.news_index.get_site())
    news = NewsPageFactory(parent=world.news_index, title="Seminar in Vilnius")
    visitor = Client()

    for _ in range(2):
        response = visitor.get(news.url)
        assert response.status_code == 200
        assert response["X-Cache"] == "MISS", "nothing can be stored, nothing is served stale"
        assert "Seminar in Vilnius" in response.content.decode()

    moderator = Client()
    log_in(moderator, world.moderator)  # sessions fall back to the database
    form = news_form("Seminar in Vilnius, programme online", **{"action-publish": "publish"})
    form["slug"] = news.slug
    assert moderator.post(f"/admin/pages/{news.pk}/edit/", form).status_code == 302
    assert "programme online" in visitor.get(news.url).content.decode()


# Two server processes ----------------------------------------------------------------------


class Server:
    def __init__(self, port: int, env: dict):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "baltmet.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_until_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode()[-3000:])
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"{self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def shared_redis(settings):
    if not redis_is_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = redis_cache_settings(REDIS_URL)
    caches["default"].clear()  # FLUSHDB of this test's own Redis database
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def two_servers(shared_redis, transactional_db):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baltmet.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER'] or 'postgres'}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "PAGE_CACHE": "true",
        # The moderator logs in with a password alone: two-factor login has tests of its own.
        "REQUIRE_2FA_FOR_ADMINS": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    servers = [Server(free_port(), env), Server(free_port(), env)]
    try:
        for server in servers:
            server.wait_until_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def admin_session(server: Server, username: str, password: str) -> requests.Session:
    """Log in through the admin's login form, as a browser does."""
    session = requests.Session()
    session.get(f"{server.url}/admin/login/", timeout=10)
    response = session.post(
        f"{server.url}/admin/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_published_through_one_process_is_fresh_on_the_other(two_servers, world):
    first, second = two_servers
    SiteSettings.for_site(world.news_index.get_site())
    news = NewsPageFactory(parent=world.news_index, title="Conference in Oslo")
    visitor = requests.Session()
    # Behind the load balancer both processes see the same Host, part of the cache key.
    visitor.headers["Host"] = "testserver"

    answers = [visitor.get(f"{second.url}{news.url}", timeout=10) for _ in range(2)]
    assert [a.headers["X-Cache"] for a in answers] == ["MISS", "HIT"]
    assert visitor.get(f"{first.url}{news.url}", timeout=10).headers["X-Cache"] == "HIT", (
        "the processes share one cache"
    )
    index = f"{second.url}{world.news_index.url}"
    visitor.get(index, timeout=10)

    moderator = admin_session(first, "moderator", "a-long-password-1")
    form = news_form("Conference in Oslo, registration open", **{"action-publish": "publish"})
    form["slug"] = news.slug
    form["csrfmiddlewaretoken"] = moderator.cookies["csrftoken"]
    response = moderator.post(
        f"{first.url}/admin/pages/{news.pk}/edit/", data=form, allow_redirects=False, timeout=30
    )
    assert response.status_code == 302, response.text[:2000]

    for url in (f"{second.url}{news.url}", index):
        fresh = visitor.get(url, timeout=10)
        assert fresh.headers["X-Cache"] == "MISS", url
        assert "Conference in Oslo, registration open" in fresh.text, url

    # The session lives in Redis and the database, not in one process.
    elsewhere = moderator.get(f"{second.url}/admin/", allow_redirects=False, timeout=10)
    assert elsewhere.status_code == 200
    page = moderator.get(f"{second.url}{news.url}", timeout=10)
    assert page.headers["X-Cache"] == "BYPASS"
    assert "private" in page.headers["Cache-Control"]
