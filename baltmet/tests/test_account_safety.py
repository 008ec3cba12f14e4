"""Account safety through real requests: login throttling and session expiry."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-password-1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def password_step_only(settings):
    """These tests are about the password step; test_two_factor.py tests the second."""
    settings.REQUIRE_2FA_FOR_ADMINS = False


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("alice", password=PASSWORD)


def log_in(client, username="alice", password=PASSWORD, remember=False, **environ):
    """Wagtail's admin login form, posted from the client address in `environ`."""
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(LOGIN, data, **environ)


def fail(client, times, username="alice", **environ):
    return [log_in(client, username, "wrong-password", **environ).status_code for _ in range(times)]


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


# Login throttling


def test_the_fifth_failure_locks_the_account_out_with_a_clear_message(client, editor):
    assert fail(client, 4) == [200] * 4

    response = log_in(client, password="wrong-password")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "account/lockout.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "<h1>Too many failed logins</h1>" in html
    assert "after 5 failed attempts" in html
    assert "Please wait 15 minutes, then try again." in html
    assert 'href="/admin/password_reset/"' in html
    # The site's own design: one h1, the language, the main landmark.
    assert html.count("<h1") == 1
    assert '<html lang="en"' in html
    assert '<main id="main"' in html


def test_the_right_password_is_refused_while_locked_out(client, editor):
    fail(client, 5)

    response = log_in(client)

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not logged_in(client)


def test_the_right_password_logs_in_after_the_cool_off(client, editor):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, 5)
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert log_in(client).status_code == 429

        # That attempt started the wait anew.
        traveller.shift(timedelta(minutes=14))
        assert log_in(client).status_code == 429
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = log_in(client)

        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert logged_in(client)


def test_a_successful_login_resets_the_count(client, editor):
    fail(client, 4)
    assert log_in(client).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post("/admin/logout/")

    assert fail(client, 4) == [200] * 4
    assert log_in(client).status_code == 302


def test_the_lockout_is_per_username_and_address(client, editor, django_user_model):
    django_user_model.objects.create_superuser("bob", password=PASSWORD)
    fail(client, 5)

    assert log_in(client, REMOTE_ADDR="192.0.2.7").status_code == 302
    client.post("/admin/logout/")
    assert log_in(client, "bob").status_code == 302
    client.post("/admin/logout/")
    assert log_in(client).status_code == 429


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(client, editor, settings):
    # What TRUSTED_PROXY_COUNT=1 sets (see test_the_limits_come_from_the_environment).
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)

    # The same client is locked out, even when it puts a made-up address in front of its own.
    assert log_in(client, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 429
    spoofed = log_in(client, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1", **proxy)
    assert spoofed.status_code == 429
    # Another client behind the same proxy is not.
    assert log_in(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302


# Session expiry


def session_cookie(response):
    return response.cookies["sessionid"]


def test_remember_me_keeps_the_session_for_the_configured_age(client, editor, settings):
    settings.SESSION_COOKIE_AGE = 3600

    response = log_in(client, remember=True)

    cookie = session_cookie(response)
    assert cookie["max-age"] == 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Every request renews it: the session ends after an hour without one.
    assert session_cookie(client.get("/admin/"))["max-age"] == 3600


def test_without_remember_me_the_session_ends_with_the_browser(client, editor):
    response = log_in(client)

    cookie = session_cookie(response)
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


@pytest.mark.parametrize("remember", [False, True], ids=["browser session", "remember me"])
def test_a_session_ends_after_eight_hours_without_a_request(client, editor, remember):
    with time_machine.travel(START, tick=False) as traveller:
        log_in(client, remember=remember)
        for _ in range(3):
            traveller.shift(timedelta(hours=7, minutes=59))
            assert logged_in(client)

        traveller.shift(timedelta(hours=8, seconds=1))

        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_the_limits_come_from_the_environment():
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="baltmet.settings.production",
        SECRET_KEY="k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
        SESSION_COOKIE_AGE="3600",
        TRUSTED_PROXY_COUNT="1",
    )
    code = (
        "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME,"
        " s.SESSION_COOKIE_AGE, s.SESSION_COOKIE_SECURE, s.AXES_IPWARE_META_PRECEDENCE_ORDER,"
        " s.AXES_IPWARE_PROXY_COUNT, s.IPWARE_STRICT)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "3 0:30:00 3600 True ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR'] 0 False"
    )


# Logging out


def test_a_get_of_the_logout_address_changes_nothing(client, editor):
    assert log_in(client).status_code == 302
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.get("/admin/logout/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is None or (cookie.value == session_key and cookie["max-age"] != 0), (
        "the cookie is kept"
    )
    assert logged_in(client)
    assert Session.objects.filter(session_key=session_key).exists()


def test_logging_out_ends_the_session_on_the_server(client, editor):
    assert log_in(client).status_code == 302
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    # Whoever kept a copy of the cookie holds nothing.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert stolen.get("/admin/").status_code == 302
