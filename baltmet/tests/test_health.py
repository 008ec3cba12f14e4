"""Health probes: /healthz (the process answers) and /readyz (the database works; a cache
outage is reported as degraded, not as unready)."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection

from baltmet.ops import health

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Port 1: nothing listens there, the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


@pytest.fixture
def session_cookie(client, django_user_model):
    """A logged-in editor's browser: a probe must not load its session or user."""
    client.force_login(django_user_model.objects.create_user("editor", password="x" * 16))
    return client


def assert_never_cached(response):
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_answers_ok_without_touching_the_database(
    session_cookie, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = session_cookie.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert_never_cached(response)


def test_healthz_works_while_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 200


def test_readyz_checks_the_database_and_the_cache(session_cookie, django_assert_num_queries):
    # One query, the probe's own: no session, user or two-factor device is loaded.
    with django_assert_num_queries(1):
        response = session_cookie.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert_never_cached(response)


def test_readyz_answers_503_naming_the_database_when_it_fails(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error", "cache": "ok"}
    assert_never_cached(response)


def test_readyz_says_degraded_but_ready_when_redis_is_unreachable(client, settings):
    settings.CACHES = UNREACHABLE_REDIS

    response = client.get("/readyz")

    assert response.status_code == 200, "pages are still served, rendered each time"
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "error"}


def test_readyz_says_degraded_when_the_cache_loses_values(client, settings):
    # A dummy cache stores nothing, as a Redis cache that ignores its errors would.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["cache"] == "error"


def test_readyz_works_with_the_redis_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }

    response = client.get("/readyz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_any_host_over_plain_http(client, settings, path):
    """A balancer probes the instance's own address, without TLS: no 400, no redirect."""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(path, HTTP_HOST="10.0.3.17:8000")

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_head_and_refuse_writes(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_the_probes_are_routed_without_the_middleware(client, settings):
    settings.MIDDLEWARE = [
        entry for entry in settings.MIDDLEWARE if not entry.endswith("HealthCheckMiddleware")
    ]

    assert client.get("/healthz").content == b"ok"
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_the_probes_are_not_in_the_sitemap(client, site_tree):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "<loc>" in sitemap
    assert "healthz" not in sitemap
    assert "readyz" not in sitemap


def test_every_probe_is_routed():
    routed = {f"/{pattern.pattern}" for pattern in health.urlpatterns}

    assert routed == set(health.PROBES) == {"/healthz", "/readyz"}
