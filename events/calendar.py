"""iCalendar (RFC 5545) files: one event, or the network's events to subscribe to.

The calendar to subscribe to holds the upcoming events and the latest past ones, at most
CALENDAR_EVENTS in all: calendar apps fetch it again every few hours, and its cost must
not grow with the years of events behind it. Every event keeps its own .ics file.

icalendar takes about a quarter of a millisecond to build and write an event, and 6 ms to
work out a time zone's transitions. Each process keeps what it wrote of both, by what they
say (`written_entry`, `written_time_zone`): an event changed is a new entry.

All-day events are DATE values whose DTEND is the day after the last day (exclusive);
timed events are DATE-TIMEs in the event's own time zone (TZID), with its VTIMEZONE.
"""

import datetime as dt
import functools
from typing import NamedTuple

from django.http import Http404, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone
from wagtail.models import Site

from baltmet.queries import as_cards, published

from .models import EventPage, past, upcoming

PRODID = "-//BaltMet Inno//Events//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
CALENDAR_EVENTS = 100
# What an event's entry shows besides its card's fields (baltmet.queries.as_cards).
ENTRY_FIELDS = ("venue", "last_published_at", "slug")


def uid_host(request) -> str:
    """The host name in UIDs: the Wagtail site's, so a UID does not depend on the address used."""
    site = Site.find_for_request(request)
    return site.hostname if site else request.get_host().split(":")[0]


class Entry(NamedTuple):
    """What an event's VEVENT says: its written form depends on this alone."""

    uid: str
    stamp: dt.datetime
    summary: str
    description: str
    location: str
    url: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    # Datetimes in two zones can be equal (the same instant): the zone is part of the key.
    time_zone: str | None


def entry_of(event: EventPage, request, host: str) -> Entry:
    if event.is_all_day:
        start, end, time_zone = event.start_date, event.last_date + dt.timedelta(days=1), None
    else:
        (start, end), time_zone = event.local_instants(), event.time_zone
    return Entry(
        uid=f"event-{event.pk}@{host}",
        stamp=event.last_published_at or timezone.now(),
        summary=event.title,
        description=event.intro,
        location=", ".join(part for part in (event.venue, event.city, event.country) if part),
        # Absolute on the address the calendar was asked from, as the feeds' links are.
        url=request.build_absolute_uri(event.get_url(request)),
        start=start,
        end=end,
        time_zone=time_zone,
    )


def event_component(entry: Entry) -> Event:
    component = Event()
    component.add("uid", entry.uid)
    component.add("dtstamp", entry.stamp)
    component.add("summary", entry.summary)
    if entry.description:
        component.add("description", entry.description)
    component.add("location", entry.location)
    component.add("url", entry.url)
    component.add("dtstart", entry.start)
    component.add("dtend", entry.end)
    return component


@functools.lru_cache(maxsize=4 * CALENDAR_EVENTS)
def written_entry(entry: Entry) -> bytes:
    """An event's VEVENT as written, kept per process: icalendar takes about a quarter of a
    millisecond to build and write one, and the calendar's events seldom change."""
    return event_component(entry).to_ical()


@functools.lru_cache(maxsize=64)
def written_time_zone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of a time zone over whole years, as written (empty for a zone icalendar
    does not know). Working out its transitions takes about 6 ms, and the network's calendar
    needs one per city's zone."""
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
        )
    except ValueError:
        return b""
    return zone.to_ical()


def written_event(event: EventPage, request, host: str) -> bytes:
    entry = entry_of(event, request, host)
    if event.last_published_at is None:
        # Stamped now: never the same entry twice, so not kept.
        return event_component(entry).to_ical()
    return written_entry(entry)


def calendar_response(events, request, filename: str, name: str | None = None) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    host = uid_host(request)
    events = list(events)
    written = [written_event(event, request, host) for event in events]
    if events:
        # VTIMEZONEs cover the years of the events and one on either side, not icalendar's
        # default of decades.
        first_year = min(event.start_date for event in events).year - 1
        last_year = max(event.last_date for event in events).year + 1
        zones = sorted({event.time_zone for event in events if not event.is_all_day})
        written += [written_time_zone(tzid, first_year, last_year) for tzid in zones]
    # The calendar's own properties, then its components, as icalendar writes them nested.
    head, end = calendar.to_ical().removesuffix(CALENDAR_END), CALENDAR_END
    response = HttpResponse(
        b"".join([head, *written, end]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def published_events():
    return as_cards(published(EventPage.objects.all()), *ENTRY_FIELDS)


def event_calendar(request, page_id: int):
    """One published event as an .ics file (404 for anything else)."""
    event = published_events().filter(pk=page_id).first()
    if event is None:
        raise Http404("No such event.")
    return calendar_response([event], request, filename=f"{event.slug}.ics")


def calendar_events(now: dt.datetime) -> list[EventPage]:
    """The upcoming events (soonest first) and then the latest past ones, CALENDAR_EVENTS at
    most in all, in the order they start."""
    coming = list(upcoming(published_events(), now)[:CALENDAR_EVENTS])
    if len(coming) < CALENDAR_EVENTS:
        coming += past(published_events(), now)[: CALENDAR_EVENTS - len(coming)]
    return sorted(coming, key=lambda event: (event.starts_at, event.pk))


def events_calendar(request):
    """The calendar to subscribe to: upcoming events and the latest past ones."""
    return calendar_response(
        calendar_events(timezone.now()),
        request,
        filename="baltmet-inno-events.ics",
        name="BaltMet Inno events",
    )
