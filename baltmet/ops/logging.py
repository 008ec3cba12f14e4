"""Logging: one line per record, JSON in production, each with the ID of its request.

`logging_settings()` builds the LOGGING setting (base.py, production.py). The request ID is
set by RequestIDMiddleware in a context variable, so every record logged while a request is
handled carries it, whichever library logs it, and concurrent requests never mix them up.

Error reports: Django mails ADMINS (env "Name <email>, ...") about every server error
(status 500) when DEBUG is off, through the `mail_admins` handler set up here. An error
tracker such as Sentry could be added later with its own SDK and a SENTRY_DSN variable; it
would sit beside this, not replace it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# "-" outside a request (management commands, start-up).
NO_REQUEST = "-"
request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

LOG_FORMATS = ("json", "text")


class RequestIDFilter(logging.Filter):
    """Adds `request_id` to every record (a filter on the handler, so it sees them all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class SecretPathFilter(logging.Filter):
    """Keeps the token of a password-reset or invitation link out of error records.

    Django's `django.request` records (a 500, a 404 logged as a warning) name the request's
    path and carry the request, which the e-mail to ADMINS writes out in full. For a path
    with a secret, the path is written as the access log writes it and the request is left
    out of the record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from baltmet.ops.middleware import loggable_path  # the middleware imports this module

        path = getattr(getattr(record, "request", None), "path", None)
        if path and loggable_path(path) != path:
            if isinstance(record.args, tuple):
                record.args = tuple(loggable_path(a) if a == path else a for a in record.args)
            record.msg = str(record.msg).replace(path, loggable_path(path))
            record.request = None
        return True


class JSONFormatter(JsonFormatter):
    """One JSON object a line: time, level, logger, message, request ID and any `extra`.

    Django attaches the request object to its `django.request` records; written out it
    would show the query string, so it stays out of the JSON (the e-mail to ADMINS still
    gets it).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["asctime", "levelname", "name", "message", "request_id"])
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(*args, **kwargs)


def logging_settings(log_format: str, level: str) -> dict:
    """The LOGGING setting: records of `level` and above to stderr, server errors by e-mail."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}"
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "baltmet.ops.logging.RequestIDFilter"},
            "secret_paths": {"()": "baltmet.ops.logging.SecretPathFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "json": {"()": "baltmet.ops.logging.JSONFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "secret_paths"],
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false", "secret_paths"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Replaces Django's default handlers for "django" (a console handler only when
            # DEBUG is on, and mail_admins); its records still reach the console through root.
            "django": {"handlers": ["mail_admins"], "level": level},
            # One line per request (RequestIDMiddleware), whatever LOG_LEVEL says.
            "baltmet.access": {"level": "INFO"},
        },
    }


def parse_admins(value: str) -> list[tuple[str, str]]:
    """ADMINS from "Name <email>, other@example.org" (names are optional)."""
    admins = []
    for name, address in getaddresses([value]):
        if not address:
            continue
        if "@" not in address:
            raise ImproperlyConfigured(f"ADMINS: {address!r} is not an e-mail address")
        admins.append((name or address, address))
    return admins
