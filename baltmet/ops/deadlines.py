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
  holds (generation.py); then one request tries PostgreSQL again while the others are
  still answered at once.

PostgreSQL's own `statement_timeout` (deploy/gunicorn.conf.py) ends a slow statement with an
error before the deadline; the deadline is for a server that answers nothing at all. (A
socket shut down does not cancel the statement on the server: its statement_timeout does.)
Server-side cursors are off (settings), so that every wait for rows is a query's.
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

import psycopg
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
    """Whether this process holds the database unavailable (a circuit breaker).

    After a failure, waits are refused at once for DATABASE_RETRY_SECONDS. Then one thread
    tries (the "trial"); the others are still refused until it has an answer or fails, so
    that a long outage costs one slow request per period, not one per thread.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0
        self.trial: int | None = None  # the thread trying the database again

    def trip(self, reason: str) -> None:
        seconds = settings.DATABASE_RETRY_SECONDS
        with self.lock:
            if not self.until:
                logger.error(
                    "The database is unavailable (%s): 503 for %s s, then a retry",
                    reason,
                    seconds,
                )
            self.until = time.monotonic() + seconds
            self.trial = None

    def is_open(self) -> bool:
        """Whether a wait must be refused now (False also grants the trial, once due)."""
        if not self.until:  # the usual case, without the lock
            return False
        me = threading.get_ident()
        with self.lock:
            if not self.until or self.trial == me:
                return False
            now = time.monotonic()
            if now < self.until:
                return True
            # The hold is over: this thread tries; the others wait for its outcome, for as
            # long as a connection and a wait may take at most.
            self.trial = me
            self.until = now + settings.DATABASE_DEADLINE_SECONDS + TRIAL_MARGIN_SECONDS
            return False

    def succeeded(self) -> None:
        """A wait was answered: the database is back."""
        if self.until:
            with self.lock:
                if self.until:
                    logger.warning("The database answers again")
                self.until = 0.0
                self.trial = None

    def reset(self) -> None:
        with self.lock:
            self.until = 0.0
            self.trial = None


# A trial's connection may take connect_timeout (2 s) before its wait.
TRIAL_MARGIN_SECONDS = 3.0
breaker = Breaker()


def unavailable_error() -> OperationalError:
    return OperationalError("the database is held unavailable after a failure; retried soon")


def break_connection(raw_connection) -> None:
    """Shut the connection's socket down, so that a call waiting on it returns an error.

    The descriptor is duplicated so that psycopg's own stays open until psycopg closes it.
    """
    try:
        duplicate = socket.socket(fileno=os.dup(raw_connection.pgconn.socket))
    except (OSError, AttributeError, ValueError, psycopg.Error):
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
            # Under the lock: a wait is released (and only then its connection closed) either
            # before its socket is shut down or after, never while; so no other socket can
            # have taken its number. Shutting a socket down does not block.
            with self.lock:
                late = [(n, raw) for n, (deadline, raw) in self.waits.items() if deadline <= now]
                for number, raw_connection in late:
                    del self.waits[number]
                    self.fired.add(number)
                    try:
                        break_connection(raw_connection)
                    except Exception:  # the thread must outlive any one connection
                        logger.exception("Could not end a wait for the database")


watchdog = Watchdog()


@contextmanager
def bounded_wait(raw_connection, what: str, seconds: float | None = None):
    """A wait for PostgreSQL on `raw_connection` (psycopg's), ended at the deadline.

    The deadline is the web request's unless `seconds` is given; without one, or without a
    connection yet, the wait is not watched. A wait that was ended raises OperationalError
    and holds the database unavailable for a while. A call that returned anyway (a commit
    answered just as its deadline passed, a health check that found its socket shut) keeps
    its result, and the database is held unavailable all the same.
    """
    seconds = seconds or current_deadline.get()
    if not seconds or raw_connection is None:
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
    else:
        if watchdog.release(number):  # returned, but only as it was ended: not answered
            breaker.trip(f"no answer to {what} within {seconds} s")
        else:
            breaker.succeeded()
    finally:
        watchdog.release(number)  # whatever ended the block; releasing twice is harmless


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
