"""iCalendar (RFC 5545) files: one event, or the network's events to subscribe to.

The calendar to subscribe to holds the upcoming events and the latest past ones, at most
CALENDAR_EVENTS in all: calendar apps fetch it again every few hours, and its cost must
not grow with the years of events behind it. Every event keeps its own .ics file.

The page cache keeps the calendar until an event changes, starts or ends.

All-day events are DATE values whose DTEND is the day after the last day (exclusive);
timed events are DATE-TIMEs in the event's own time zone (TZID), with its VTIMEZONE.
"""

import datetime as dt
from typing import NamedTuple

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone
from wagtail.models import Site

from baltmet.languages.queries import in_active_language
from baltmet.queries import published

from .models import EventPage, past, upcoming

PRODID = "-//BaltMet Inno//Events//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
CALENDAR_EVENTS = 100


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


def time_zone_component(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of a time zone over whole years (empty for a zone icalendar does not
    know)."""
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
        )
    except ValueError:
        return b""
    return zone.to_ical()


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
    written = [event_component(entry_of(event, request, host)).to_ical() for event in events]
    if events:
        # VTIMEZONEs cover the years of the events and one on either side, not icalendar's
        # default of decades.
        first_year = min(event.start_date for event in events).year - 1
        last_year = max(event.last_date for event in events).year + 1
        zones = sorted({event.time_zone for event in events if not event.is_all_day})
        written += [time_zone_component(tzid, first_year, last_year) for tzid in zones]
    # The calendar's own properties, then its components, as icalendar writes them nested.
    head, end = calendar.to_ical().removesuffix(CALENDAR_END), CALENDAR_END
    return b"".join([head, *written, end])


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def published_events():
    return published(EventPage.objects.all()).defer_streamfields()


def event_calendar(request, page_id: int):
    """One published event as an .ics file (404 for anything else)."""
    event = published_events().filter(pk=page_id).first()
    if event is None:
        raise Http404("No such event.")
    return calendar_response(calendar_body([event], request), filename=f"{event.slug}.ics")


def calendar_events(now: dt.datetime) -> list[EventPage]:
    """The upcoming events (soonest first) and then the latest past ones, CALENDAR_EVENTS at
    most in all, in the order they start; each in the calendar's language where it has been
    translated into it, else in English."""
    events = in_active_language(published_events())
    coming = list(upcoming(events, now)[:CALENDAR_EVENTS])
    if len(coming) < CALENDAR_EVENTS:
        coming += past(events, now)[: CALENDAR_EVENTS - len(coming)]
    return sorted(coming, key=lambda event: (event.starts_at, event.pk))


def events_calendar(request):
    """The calendar to subscribe to: upcoming events and the latest past ones."""
    body = calendar_body(calendar_events(timezone.now()), request, name=_("BaltMet Inno events"))
    return calendar_response(body, filename="baltmet-inno-events.ics")
