"""Bounded waits on PostgreSQL (baltmet/ops/deadlines.py), in-process.

A server that answers nothing is made here without pausing the shared server: a query that
sleeps on the server, or one that waits for a row another connection holds locked. From
the client's side both are a silent server. (test_hung_backends.py pauses a server of its
own under gunicorn.)
"""

import threading
import time

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from baltmet.ops.deadlines import break_connection, breaker, database_deadline
from news.factories import NewsPageFactory
from tests.helpers import log_in, news_form

# Real transactions (a broken connection cannot be rolled back to a savepoint); the data the
# migrations made is restored after each test for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def closed_breaker():
    breaker.reset()
    yield
    breaker.reset()
    connection.close()


def another_connection() -> psycopg.Connection:
    """A session of its own on the test database, outside Django (not in autocommit)."""
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"],
        dbname=database["NAME"],
    )


def sleep_on_the_server(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])


def test_a_wait_past_its_deadline_ends_and_the_process_holds_the_database_unavailable():
    started = time.monotonic()
    with database_deadline(0.3), pytest.raises(OperationalError, match="no answer"):
        sleep_on_the_server(5)
    assert time.monotonic() - started < 1

    assert breaker.is_open()
    started = time.monotonic()
    with database_deadline(0.3), pytest.raises(OperationalError, match="held unavailable"):
        sleep_on_the_server(0)
    assert time.monotonic() - started < 0.2, "no wait while held unavailable"


def test_outside_a_web_request_there_is_no_deadline():
    started = time.monotonic()
    sleep_on_the_server(0.5)  # a management command's long statement
    assert time.monotonic() - started >= 0.5
    assert not breaker.is_open()


def test_after_the_retry_time_the_database_is_tried_again(settings):
    settings.DATABASE_RETRY_SECONDS = 0.2
    with database_deadline(0.3), pytest.raises(OperationalError):
        sleep_on_the_server(5)
    connection.close_if_unusable_or_obsolete()  # as Django does at the end of a request
    time.sleep(0.25)
    with database_deadline(0.3):
        sleep_on_the_server(0)  # a new connection, answered
    assert not breaker.is_open()


def test_a_publish_left_waiting_says_why_changes_nothing_and_works_once_free(settings, world):
    settings.DATABASE_DEADLINE_SECONDS = 0.5
    settings.DATABASE_RETRY_SECONDS = 0.2
    news = NewsPageFactory(parent=world.news_index, title="Before", live=False)
    moderator = Client()
    log_in(moderator, world.moderator)
    form = {**news_form("After", **{"action-publish": "publish"}), "slug": news.slug}
    other = another_connection()
    # Another session holds the page's row: the publish's UPDATE waits for it, and so the
    # server answers nothing, as a hung one would.
    other.execute("SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE", [news.pk])
    try:
        started = time.monotonic()
        response = moderator.post(f"/admin/pages/{news.pk}/edit/", form)
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()

    assert response.status_code == 503, "the 503 page says why"
    assert response["Retry-After"]
    assert waited < 2
    news.refresh_from_db()
    assert (news.title, news.live) == ("Before", False), "nothing half-published"

    time.sleep(0.25)
    response = moderator.post(f"/admin/pages/{news.pk}/edit/", form)
    assert response.status_code == 302
    news.refresh_from_db()
    assert (news.title, news.live) == ("After", True)


def test_once_the_hold_is_over_one_thread_tries_while_the_others_are_still_refused(settings):
    settings.DATABASE_RETRY_SECONDS = 0.1
    breaker.trip("a test")
    assert breaker.is_open()
    time.sleep(0.15)
    trial = []
    worker = threading.Thread(target=lambda: trial.append(breaker.is_open()))
    worker.start()
    worker.join()
    assert trial == [False], "one thread goes ahead"
    assert breaker.is_open(), "the others wait for its outcome"
    breaker.succeeded()
    assert not breaker.is_open()


def test_ending_a_wait_on_a_connection_closed_meanwhile_is_harmless():
    closed = another_connection()
    closed.close()
    break_connection(closed)  # the watchdog's thread would have died of this
