"""Dates of events for people (and for machines, in <time datetime> attributes)."""

import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

register = template.Library()

DASH = "\u2013"  # en dash: "13–15 June", "09:00–17:00"
SPACED_DASH = f" {DASH} "  # between dates that have spaces themselves


def _in_default_language() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def _day(value: dt.date, month=True, year=True) -> str:
    """A date, without its month or year where a range shares them ("13–15 June 2007").
    Other languages write whole dates in their own format: their ranges repeat the month."""
    if not _in_default_language():
        return date_format(value, "DATE_FORMAT")
    return format_date(value, "j" + (" F" if month else "") + (" Y" if year else ""))


def _clock(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _iso(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def zone_label(name: str) -> str:
    return name.replace("_", " ")


def when_parts(event) -> list[tuple[str, str | None]]:
    """The event's dates as (text, ISO value or None) pieces, in reading order.

    Pieces with an ISO value are dates or instants; the others join them. All-day events
    give ISO dates; timed events give ISO datetimes with the offset of their own time zone.
    """
    start_date = getattr(event, "start_date", None)
    if start_date is None:
        return []
    last_date = event.end_date or start_date
    if event.start_time is None:
        if last_date == start_date:
            return [(_day(start_date), _iso(start_date))]
        same_month = (start_date.year, start_date.month) == (last_date.year, last_date.month)
        if same_month and _in_default_language():
            first = _day(start_date, month=False, year=False)
            return [(first, _iso(start_date)), (DASH, None), (_day(last_date), _iso(last_date))]
        first = _day(start_date, year=start_date.year != last_date.year)
        return [(first, _iso(start_date)), (SPACED_DASH, None), (_day(last_date), _iso(last_date))]

    start, end = event.local_instants()
    parts = [(f"{_day(start_date)}, {_clock(event.start_time)}", _iso(start))]
    if last_date == start_date:
        if event.end_time is not None:
            parts += [(DASH, None), (_clock(event.end_time), _iso(end))]
    elif event.end_time is not None:
        parts += [(SPACED_DASH, None), (f"{_day(last_date)}, {_clock(event.end_time)}", _iso(end))]
    else:
        parts += [(SPACED_DASH, None), (_day(last_date), _iso(last_date))]
    parts.append((f" ({zone_label(event.time_zone)})", None))
    return parts


@register.filter
def event_when(event) -> str:
    """The event's dates and times as text, e.g. "13–15 June 2007" or
    "23 January 2008, 09:00–17:00 (Europe/Stockholm)"."""
    return "".join(text for text, _ in when_parts(event))


@register.filter
def event_when_html(event):
    """The same text as `event_when`, its dates and instants marked up as <time datetime>."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<time datetime="{}">{}</time>', iso, text) if iso else text,)
            for text, iso in when_parts(event)
        ),
    )


@register.filter
def event_start_iso(event) -> str:
    """ISO date (all-day) or datetime with offset (timed) of the event's start."""
    if getattr(event, "start_date", None) is None:
        return ""
    if event.start_time is None:
        return _iso(event.start_date)
    return _iso(event.local_instants()[0])


@register.filter
def event_end_iso(event) -> str:
    """ISO date of the last day (all-day, or no end time) or datetime of the event's end."""
    if getattr(event, "start_date", None) is None:
        return ""
    if event.start_time is None or event.end_time is None:
        return _iso(event.end_date or event.start_date)
    return _iso(event.local_instants()[1])


@register.filter
def event_has_ended(event) -> bool:
    ends_at = getattr(event, "ends_at", None)
    return ends_at is not None and ends_at <= timezone.now()


class ProgrammeDay:
    def __init__(self, day):
        self.day = day
        self.blocks = []


@register.filter
def programme_days(programme):
    """A programme's blocks grouped by day: a new group starts where an item names a new
    day; breaks and items without a day stay in the current one."""
    days = []
    for block in programme or ():
        value = block.value
        day = value.get("day") if block.block_type == "item" and hasattr(value, "get") else None
        if not days or (day and day != days[-1].day):
            days.append(ProgrammeDay(day))
        elif day and days[-1].day is None:
            days[-1].day = day
        days[-1].blocks.append(block)
    return days
