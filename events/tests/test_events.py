"""Events are entered in local time; the UTC instants and the listings follow from that."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from events.factories import EventPageFactory
from events.models import EventPage, UpcomingThenPast


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def t(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


INSTANT_CASES = {
    # case: (start_date, start_time, end_date, end_time, time_zone, starts_at, ends_at)
    "Helsinki in winter is UTC+2": (
        "2025-01-15", "10:00", None, "12:30", "Europe/Helsinki",
        utc(2025, 1, 15, 8, 0), utc(2025, 1, 15, 10, 30),
    ),
    "Helsinki in summer is UTC+3": (
        "2025-07-15", "10:00", None, "12:30", "Europe/Helsinki",
        utc(2025, 7, 15, 7, 0), utc(2025, 7, 15, 9, 30),
    ),
    "all day: midnight to midnight in Helsinki": (
        "2025-07-15", None, None, None, "Europe/Helsinki",
        utc(2025, 7, 14, 21, 0), utc(2025, 7, 15, 21, 0),
    ),
    "all day: midnight to midnight in Berlin": (
        "2025-01-15", None, None, None, "Europe/Berlin",
        utc(2025, 1, 14, 23, 0), utc(2025, 1, 15, 23, 0),
    ),
    "all day over three days": (
        "2025-06-10", None, "2025-06-12", None, "Europe/Riga",
        utc(2025, 6, 9, 21, 0), utc(2025, 6, 12, 21, 0),
    ),
    "no end time: ends at the end of the day": (
        "2025-01-15", "10:00", None, None, "Europe/Helsinki",
        utc(2025, 1, 15, 8, 0), utc(2025, 1, 15, 22, 0),
    ),
    "no end time: ends at the end of the last day": (
        "2025-01-15", "09:00", "2025-01-17", None, "Europe/Helsinki",
        utc(2025, 1, 15, 7, 0), utc(2025, 1, 17, 22, 0),
    ),
    "over the change to summer time": (
        "2025-03-29", "10:00", "2025-03-31", "16:00", "Europe/Helsinki",
        utc(2025, 3, 29, 8, 0), utc(2025, 3, 31, 13, 0),
    ),
    "the day summer time starts has 23 hours": (
        "2025-03-30", None, None, None, "Europe/Helsinki",
        utc(2025, 3, 29, 22, 0), utc(2025, 3, 30, 21, 0),
    ),
}  # fmt: skip


# Building a page reads its content type, from the database the first time in a process.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start_date", "start_time", "end_date", "end_time", "time_zone", "starts_at", "ends_at"),
    INSTANT_CASES.values(),
    ids=INSTANT_CASES.keys(),
)
def test_sync_instants(start_date, start_time, end_date, end_time, time_zone, starts_at, ends_at):
    event = EventPage(
        start_date=d(start_date),
        start_time=t(start_time),
        end_date=end_date and d(end_date),
        end_time=t(end_time),
        time_zone=time_zone,
    )

    event.sync_instants()

    assert (event.starts_at, event.ends_at) == (starts_at, ends_at)
    assert event.starts_at.utcoffset() == dt.timedelta(0)


@pytest.mark.django_db
@pytest.mark.parametrize("live", [True, False], ids=["published", "draft"])
def test_save_derives_the_instants(site_tree, live):
    event = EventPageFactory(
        parent=site_tree.events,
        live=live,
        start_date=d("2025-01-15"),
        start_time=t("10:00"),
        end_time=t("12:00"),
        time_zone="Europe/Helsinki",
    )
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (utc(2025, 1, 15, 8), utc(2025, 1, 15, 10))

    for clean, time_zone, hour in [(True, "Europe/Warsaw", 9), (False, "Europe/London", 10)]:
        event.time_zone = time_zone
        event.save(clean=clean)
        event.refresh_from_db()
        assert event.starts_at == utc(2025, 1, 15, hour), f"save(clean={clean})"


CLEAN_ERRORS = {
    # case: (fields, the field the error is keyed by)
    "ends on a day before it starts": (
        {"start_date": "2025-05-10", "end_date": "2025-05-09"},
        "end_date",
    ),
    "ends before it starts on the same day": (
        {"start_date": "2025-05-10", "start_time": "14:00", "end_time": "13:00"},
        "end_time",
    ),
    "ends when it starts": (
        {"start_date": "2025-05-10", "start_time": "14:00", "end_time": "14:00"},
        "end_time",
    ),
    "same day given as end date": (
        {
            "start_date": "2025-05-10",
            "start_time": "14:00",
            "end_date": "2025-05-10",
            "end_time": "09:00",
        },
        "end_time",
    ),
    "end time without a start time": (
        {"start_date": "2025-05-10", "end_time": "13:00"},
        "end_time",
    ),
    "unknown time zone": (
        {"start_date": "2025-05-10", "time_zone": "Europe/Atlantis"},
        "time_zone",
    ),
}

VALID = {
    "all day": {"start_date": "2025-05-10"},
    "timed": {"start_date": "2025-05-10", "start_time": "09:00", "end_time": "17:00"},
    "no end time": {"start_date": "2025-05-10", "start_time": "09:00"},
    "ends earlier in the day, days later": {
        "start_date": "2025-05-10",
        "start_time": "14:00",
        "end_date": "2025-05-12",
        "end_time": "09:00",
    },
}


def build_event(fields: dict) -> EventPage:
    parsers = {"start_date": d, "end_date": d, "start_time": t, "end_time": t}
    values = {key: parsers.get(key, str)(value) for key, value in fields.items()}
    return EventPageFactory.build(**{"start_time": None, "end_time": None, **values})


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "key"), CLEAN_ERRORS.values(), ids=CLEAN_ERRORS.keys())
def test_clean_rejects(fields, key):
    event = build_event(fields)

    with pytest.raises(ValidationError) as error:
        event.clean()

    assert key in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("fields", VALID.values(), ids=VALID.keys())
def test_clean_accepts(fields):
    build_event(fields).clean()


# 12:00 UTC on Wednesday 12 March 2025: 14:00 in Helsinki.
NOW = utc(2025, 3, 12, 12, 0)


@pytest.mark.django_db
def test_index_lists_upcoming_soonest_first_and_past_by_year(site_tree, rf):
    def event(title, start, end, **fields):
        """A timed UTC event: start and end are aware datetimes."""
        return EventPageFactory(
            parent=site_tree.events,
            title=title,
            time_zone="UTC",
            start_date=start.date(),
            start_time=start.time(),
            end_date=end.date(),
            end_time=end.time(),
            **fields,
        )

    minute = dt.timedelta(minutes=1)
    next_year = event("Next year", utc(2026, 2, 1, 9), utc(2026, 2, 1, 17))
    running = event("Running now", NOW - dt.timedelta(hours=2), NOW + dt.timedelta(hours=2))
    next_week = event("Next week", utc(2025, 3, 19, 9), utc(2025, 3, 19, 17))
    just_ended = event("Just ended", NOW - dt.timedelta(hours=3), NOW - minute)
    ends_now = event("Ends now", NOW - dt.timedelta(hours=1), NOW)
    last_year = event("Last year", utc(2024, 11, 5, 9), utc(2024, 11, 6, 17))
    earlier_last_year = event("Earlier last year", utc(2024, 3, 5, 9), utc(2024, 3, 5, 17))
    january = event("January", utc(2025, 1, 20, 9), utc(2025, 1, 20, 17))
    # Published, then withdrawn: see test_save_derives_the_instants[draft] for new drafts.
    event("Draft", utc(2025, 3, 20, 9), utc(2025, 3, 20, 17)).unpublish()
    event("Draft past", utc(2024, 3, 20, 9), utc(2024, 3, 20, 17)).unpublish()

    with time_machine.travel(NOW, tick=False):
        context = site_tree.events.get_context(rf.get("/events/"))

    assert context["upcoming_events"] == [running, next_week, next_year]
    assert list(context["past_events_by_year"].items()) == [
        (2025, [ends_now, just_ended, january]),  # by start, latest first
        (2024, [last_year, earlier_last_year]),
    ]


def test_the_listing_slices_like_one_ordered_list_at_every_boundary(site_tree):
    """UpcomingThenPast reads upcoming and past events apart; any slice of it must be the
    slice of the whole order: upcoming soonest first, then past latest first, and events that
    start together in the order they were created."""
    now = dt.datetime(2009, 6, 1, 12, tzinfo=dt.UTC)
    starts = [d("2009-07-01"), d("2009-06-10"), d("2009-06-10"), d("2010-01-05")]
    starts += [d("2009-05-01"), d("2008-03-03"), d("2008-03-03"), d("2001-09-09"), d("2009-01-01")]
    events = [EventPageFactory(parent=site_tree.events, start_date=day) for day in starts]
    upcoming = sorted((e for e in events if e.ends_at > now), key=lambda e: (e.starts_at, e.pk))
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: (e.starts_at, e.pk))
    expected = [e.pk for e in upcoming] + [e.pk for e in reversed(past)]
    assert len(upcoming) == 4

    listing = UpcomingThenPast(site_tree.events.events(), now)
    assert listing.count() == len(events)
    for start in range(len(events) + 1):
        for stop in range(start, len(events) + 2):
            page = listing[start:stop]
            assert [e.pk for e in page] == expected[start:stop], (start, stop)
            assert [e.is_past for e in page] == [pk in {p.pk for p in past} for pk in expected][
                start:stop
            ]


def test_the_listing_counts_in_one_query_unless_told(site_tree, django_assert_num_queries):
    now = dt.datetime(2009, 6, 1, 12, tzinfo=dt.UTC)
    for day in (d("2009-07-01"), d("2008-01-01")):
        EventPageFactory(parent=site_tree.events, start_date=day)

    with django_assert_num_queries(1):
        assert UpcomingThenPast(site_tree.events.events(), now).count() == 2
    with django_assert_num_queries(0):
        assert (
            UpcomingThenPast(site_tree.events.events(), now, count=2, upcoming_count=1).count() == 2
        )
    with django_assert_num_queries(1):  # a page across both groups is one query
        told = UpcomingThenPast(site_tree.events.events(), now, count=2, upcoming_count=1)
        assert [e.start_date for e in told[0:20]] == [d("2009-07-01"), d("2008-01-01")]
