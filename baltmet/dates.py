"""Dates written for people, each distinct one once per process and language.

Django's `date` filter builds a formatter for every value it writes (20 µs), and a listing
writes two dates per item. A calendar date formats the same every time in one language, so
what it gives is kept. Datetimes are not: they depend on the time zone being shown.
"""

import datetime as dt
import functools

from django.utils import dateformat, translation


@functools.lru_cache(maxsize=8192)
def _formatted(value: dt.date, format_string: str, language: str | None) -> str:
    return dateformat.format(value, format_string)


def format_day(value: dt.date, format_string: str) -> str:
    """`value` written as Django's `date` filter writes it with the same format string."""
    return _formatted(value, format_string, translation.get_language())
