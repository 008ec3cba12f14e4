"""Bounded waits on PostgreSQL for web requests.

libpq bounds the making of a connection (`connect_timeout`) but not a query: a server that
took the connection and then stopped answering (its processes paused, its storage hung)
keeps a worker waiting for as long as TCP holds, and the kernel keeps acknowledging, so not
even TCP timeouts end it. So, during a web request (`DatabaseDeadlineMiddleware`):

- every wait for PostgreSQL (a query, a commit or rollback, the health check of a kept
  connection) has a deadline, `DATABASE_DEADLINE_SECONDS`. A watchdog thread shuts down the
  socket of a connection whose wait is past it, so the waiting call fails at once with a
  database error, which the 503 page answers (DatabaseUnavailableMiddleware);
- after such a failure, or a connection that could not be made, the process holds the
  database unavailable for `DATABASE_RETRY_SECONDS` (a circuit breaker): requests get the
  503 page at once instead of each waiting out its deadline, the page cache serves what it
  holds (generation.py), and the first request after that tries PostgreSQL again.

PostgreSQL's own `statement_timeout` (deploy/gunicorn.conf.py) ends a slow statement with an
error before the deadline; the deadline is for a server that answers nothing at all.
Management commands have no deadline: they run outside a web request.
"""

from __future__ import annotations

import contextvars
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from itertools import count

from django.conf import settings
from django.db import OperationalError

logger = logging.getLogger(__name__)

# The deadline of the waits in this context (a web request), or None outside one.
current_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "database_deadline", default=None
)


@contextmanager
def database_deadline(seconds: float | None):
    """Waits for PostgreSQL inside the block end after `seconds` (None: no deadline)."""
    token = current_deadline.set(seconds)
    try:
        yield
    finally:
        current_deadline.reset(token)


class Breaker:
    """Whether this process holds the database unavailable, and until when."""

    def __init__(self):
        self.until = 0.0

    def trip(self, reason: str) -> None:
        seconds = settings.DATABASE_RETRY_SECONDS
        if not self.is_open():
            logger.error(
                "The database is unavailable (%s): 503 for %s s, then a retry", reason, seconds
            )
        self.until = time.monotonic() + seconds

    def is_open(self) -> bool:
        return time.monotonic() < self.until

    def reset(self) -> None:
        self.until = 0.0


breaker = Breaker()


def unavailable_error() -> OperationalError:
    return OperationalError("the database is held unavailable after a failure; retried soon")


def break_connection(raw_connection) -> None:
    """Shut the connection's socket down, so that a call waiting on it returns an error.

    The descriptor is duplicated so that psycopg's own stays open until psycopg closes it.
    """
    try:
        duplicate = socket.socket(fileno=os.dup(raw_connection.pgconn.socket))
    except (OSError, AttributeError, ValueError):
        return  # already closed
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


class Watchdog:
    """One thread per process that breaks the connections whose wait is past its deadline."""

    INTERVAL_SECONDS = 0.05

    def __init__(self):
        self.lock = threading.Lock()
        self.waits: dict[int, tuple[float, object]] = {}
        self.fired: set[int] = set()
        self.numbers = count()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def watch(self, raw_connection, seconds: float) -> int:
        number = next(self.numbers)
        with self.lock:
            self.waits[number] = (time.monotonic() + seconds, raw_connection)
            # Started here, not at import: a thread does not survive gunicorn's fork.
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()
                self.thread = threading.Thread(
                    target=self.run, name="database-deadlines", daemon=True
                )
                self.thread.start()
        return number

    def release(self, number: int) -> bool:
        """Stop watching the wait; whether its deadline had passed (its connection broken)."""
        with self.lock:
            self.waits.pop(number, None)
            if number in self.fired:
                self.fired.discard(number)
                return True
        return False

    def run(self) -> None:
        while True:
            time.sleep(self.INTERVAL_SECONDS)
            now = time.monotonic()
            with self.lock:
                late = [(n, raw) for n, (deadline, raw) in self.waits.items() if deadline <= now]
                for number, _ in late:
                    del self.waits[number]
                    self.fired.add(number)
            for _, raw_connection in late:
                break_connection(raw_connection)


watchdog = Watchdog()


@contextmanager
def bounded_wait(raw_connection, what: str):
    """A wait for PostgreSQL on `raw_connection` (psycopg's), ended at the deadline.

    Outside a web request, or without a connection yet, it is not watched. A wait that was
    ended raises OperationalError, whatever the call made of its broken connection, and
    holds the database unavailable for a while.
    """
    seconds = current_deadline.get()
    if seconds is None or raw_connection is None:
        yield
        return
    if breaker.is_open():
        raise unavailable_error()
    number = watchdog.watch(raw_connection, seconds)
    try:
        yield
    except Exception as error:
        if watchdog.release(number):
            raise ended(what, seconds) from error
        raise
    if watchdog.release(number):
        raise ended(what, seconds)


def ended(what: str, seconds: float) -> OperationalError:
    breaker.trip(f"no answer to {what} within {seconds} s")
    return OperationalError(f"PostgreSQL gave no answer to {what} within {seconds} s")


def query_deadline(execute, sql, params, many, context):
    """An execute wrapper, installed by the backend (baltmet/ops/postgresql) on every
    connection; it watches only inside a web request."""
    with bounded_wait(context["connection"].connection, "a query"):
        return execute(sql, params, many, context)


class DatabaseDeadlineMiddleware:
    """Gives the waits for PostgreSQL of each request a deadline (see the module).

    It sits right below the 503 page's middleware, above the health checks and the page
    cache, which read the database too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with database_deadline(settings.DATABASE_DEADLINE_SECONDS or None):
            return self.get_response(request)
