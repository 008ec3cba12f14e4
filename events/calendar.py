"""iCalendar (RFC 5545) files: one event, or the network's events to subscribe to.

The calendar to subscribe to holds the upcoming events and the latest past ones, at most
CALENDAR_EVENTS in all: calendar apps fetch it again every few hours, and its cost (about
half a millisecond per event to write) must not grow with the years of events behind
it. Every event keeps its own .ics file.

All-day events are DATE values whose DTEND is the day after the last day (exclusive);
timed events are DATE-TIMEs in the event's own time zone (TZID), with its VTIMEZONE.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.models import Site

from baltmet.queries import published

from .models import EventPage, past, upcoming

PRODID = "-//BaltMet Inno//Events//EN"
CALENDAR_EVENTS = 100


def uid_host(request) -> str:
    """The host name in UIDs: the Wagtail site's, so a UID does not depend on the address used."""
    site = Site.find_for_request(request)
    return site.hostname if site else request.get_host().split(":")[0]


def event_component(event: EventPage, request, host: str) -> Event:
    component = Event()
    component.add("uid", f"event-{event.pk}@{host}")
    component.add("dtstamp", event.last_published_at or timezone.now())
    component.add("summary", event.title)
    if event.intro:
        component.add("description", event.intro)
    component.add(
        "location", ", ".join(part for part in (event.venue, event.city, event.country) if part)
    )
    # Absolute on the address the calendar was asked from, as the feeds' links are.
    component.add("url", request.build_absolute_uri(event.get_url(request)))
    if event.is_all_day:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.last_date + dt.timedelta(days=1))
    else:
        start, end = event.local_instants()
        component.add("dtstart", start)
        component.add("dtend", end)
    return component


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
    for event in events:
        calendar.add_component(event_component(event, request, host))
    if events:
        # VTIMEZONEs cover the years of the events, not icalendar's default of decades.
        calendar.add_missing_timezones(
            first_date=min(event.start_date for event in events) - dt.timedelta(days=366),
            last_date=max(event.last_date for event in events) + dt.timedelta(days=366),
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def published_events():
    return published(EventPage.objects.all()).defer_streamfields()


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
