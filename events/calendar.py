"""iCalendar (RFC 5545) files: one event, or the network's events to subscribe to.

The calendar to subscribe to holds the upcoming events and the latest past ones, at most
CALENDAR_EVENTS in all: calendar apps fetch it again every few hours, and its cost must
not grow with the years of events behind it. Every event keeps its own .ics file.

icalendar takes about a quarter of a millisecond to build and write an event, and 6 ms to
work out a time zone's transitions. Each process keeps what it wrote of both, by what they
say (`written_entry`, `written_time_zone`): an event changed is a new entry. The calendar to
subscribe to is kept whole, as a fact, until an event changes or the next one ends.

All-day events are DATE values whose DTEND is the day after the last day (exclusive);
timed events are DATE-TIMEs in the event's own time zone (TZID), with its VTIMEZONE.
"""

import datetime as dt
import functools
from typing import NamedTuple

from django.db.models import Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone
from wagtail.models import Site

from baltmet.cache.facts import Fact, address_asked, remembered
from baltmet.cache.tags import view_dependencies
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


def calendar_body(events, request, name: str | None = None) -> bytes:
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
    return b"".join([head, *written, end])


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def published_events():
    return as_cards(published(EventPage.objects.all()), *ENTRY_FIELDS)


def event_calendar(request, page_id: int):
    """One published event as an .ics file (404 for anything else)."""
    event = published_events().filter(pk=page_id).first()
    if event is None:
        raise Http404("No such event.")
    return calendar_response(calendar_body([event], request), filename=f"{event.slug}.ics")


def calendar_events(now: dt.datetime) -> list[EventPage]:
    """The upcoming events (soonest first) and then the latest past ones, CALENDAR_EVENTS at
    most in all, in the order they start."""
    coming = list(upcoming(published_events(), now)[:CALENDAR_EVENTS])
    if len(coming) < CALENDAR_EVENTS:
        coming += past(published_events(), now)[: CALENDAR_EVENTS - len(coming)]
    return sorted(coming, key=lambda event: (event.starts_at, event.pk))


def seconds_until_the_next_end(now: dt.datetime) -> float | None:
    """Until the next upcoming event ends, and leaves the upcoming ones (None: none will)."""
    next_end = upcoming(published_events(), now).aggregate(at=Min("ends_at"))["at"]
    return None if next_end is None else (next_end - now).total_seconds()


def events_calendar(request):
    """The calendar to subscribe to: upcoming events and the latest past ones.

    Kept as a fact (baltmet/cache/facts.py) for the site and address asked (its links and
    UIDs name them) until an event changes or the next upcoming one ends: calendar apps of
    every subscriber fetch it again every few hours.
    """

    def written() -> Fact:
        now = timezone.now()
        body = calendar_body(calendar_events(now), request, name="BaltMet Inno events")
        return Fact(body, valid_for=seconds_until_the_next_end(now))

    name = f"calendar:{address_asked(request)}"
    body = remembered(name, view_dependencies("events_calendar"), written)
    return calendar_response(body, filename="baltmet-inno-events.ics")
