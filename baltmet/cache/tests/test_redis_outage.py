"""The page cache with Redis restarted or hung: pages, the admin and publishing go on, and
no page changed meanwhile is served stale afterwards.

Each test runs a Redis server of its own (Debian's redis-server) on a free port, and stops
it (SIGSTOP) to make it hang or restarts it to empty it.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client

from baltmet.models import SiteSettings
from news.factories import NewsPageFactory
from tests.helpers import log_in, news_form

FEED = "/news/feed/rss/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(
            [binary, *options, "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis(settings):
    server = RedisServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": django_settings.CACHE_KEY_PREFIX,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": django_settings.REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": django_settings.REDIS_TIMEOUT,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield server
    caches["default"].close()
    server.stop()


@pytest.fixture
def news(world, redis):
    SiteSettings.for_site(world.news_index.get_site())
    return NewsPageFactory(parent=world.news_index, title="Seminar in Vilnius")


def addresses(news) -> list[str]:
    """The page, its index, the home page and the feed: each shows the item's title."""
    return [news.url, news.get_parent().url, "/", FEED]


def warm(visitor, urls) -> None:
    for url in urls:
        visitor.get(url)
        assert visitor.get(url)["X-Cache"] == "HIT", url


def publish(world, news, title) -> None:
    moderator = Client()
    log_in(moderator, world.moderator)
    form = news_form(title, **{"action-publish": "publish"})
    form["slug"] = news.slug
    response = moderator.post(f"/admin/pages/{news.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def assert_shown_everywhere(visitor, urls, title) -> None:
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert title in response.content.decode(), url


@pytest.mark.django_db
def test_a_publish_shows_at_once_on_the_page_its_index_the_home_page_and_the_feed(world, news):
    visitor = Client()
    warm(visitor, addresses(news))

    publish(world, news, "Seminar in Vilnius, programme online")

    assert_shown_everywhere(visitor, addresses(news), "programme online")
    warm(visitor, addresses(news))  # and stored again


@pytest.mark.django_db
def test_after_a_redis_restart_pages_are_stored_again_and_stay_fresh(world, news, redis):
    visitor = Client()
    warm(visitor, addresses(news))
    redis.restart()  # every stored page is gone

    assert visitor.get(news.url)["X-Cache"] == "MISS"
    warm(visitor, addresses(news))
    publish(world, news, "Seminar in Vilnius, moved to Riga")
    assert_shown_everywhere(visitor, addresses(news), "moved to Riga")


@pytest.mark.django_db
def test_with_redis_hung_pages_and_publishing_go_on_and_nothing_is_stale_after(world, news, redis):
    visitor = Client()
    warm(visitor, addresses(news))
    redis.hang()
    try:
        for url in addresses(news):
            response = visitor.get(url)
            assert response.status_code == 200 and response["X-Cache"] == "MISS", url
        publish(world, news, "Seminar in Vilnius, postponed")  # sessions from the database
        assert_shown_everywhere(visitor, addresses(news), "postponed")
    finally:
        redis.resume()

    # Redis still holds the pages stored before the publish: none of them is served.
    assert_shown_everywhere(visitor, addresses(news), "postponed")
    warm(visitor, addresses(news))
