"""Django's PostgreSQL backend, with bounded waits during web requests (deadlines.py).

A subclass of the built-in backend, as Django documents for adding behaviour to one. Every
connection gets the deadline's execute wrapper; the set-up of a new connection, the commits
and rollbacks, which Django makes outside its execute wrappers, get the same deadline, and
so does the health check of a kept connection, even after a request (a failed check is
"unusable"); while the process holds the database unavailable, no connection is attempted.
"""

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from baltmet.ops.deadlines import (
    bounded_wait,
    breaker,
    current_deadline,
    query_deadline,
    unavailable_error,
)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(query_deadline)

    def get_new_connection(self, conn_params):
        in_request = current_deadline.get() is not None
        if in_request and breaker.is_open():
            raise unavailable_error()
        try:
            connection = super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            if in_request:  # refused, or no answer within connect_timeout
                breaker.trip("no connection")
            raise
        breaker.succeeded()
        return connection

    def init_connection_state(self):
        # Django sets the time zone of a new connection outside its execute wrappers.
        with bounded_wait(self.connection, "the new connection's set-up"):
            super().init_connection_state()

    def create_cursor(self, name=None):
        if current_deadline.get() is not None and breaker.is_open():
            raise unavailable_error()
        return super().create_cursor(name)

    def is_usable(self):
        # Also outside a request: Django checks a connection after an error when the request
        # has finished, and a hung server must not hold the thread then either.
        seconds = settings.DATABASE_DEADLINE_SECONDS or None
        try:
            with bounded_wait(self.connection, "the health check", seconds):
                return super().is_usable()
        except OperationalError:  # ended, or held unavailable: Django closes the connection
            return False

    def commit(self):
        with bounded_wait(self.connection, "a commit"):
            super().commit()

    def rollback(self):
        with bounded_wait(self.connection, "a rollback"):
            super().rollback()
