"""Template tags: event dates for people and machines, protected e-mail addresses, navigation."""

import datetime as dt
import html
import re

import pytest

from baltmet.templatetags.baltmet_tags import protect_email
from events.models import EventPage
from events.templatetags.event_tags import (
    event_end_iso,
    event_start_iso,
    event_when,
    event_when_html,
)


def event(start, end=None, start_time=None, end_time=None, zone="Europe/Stockholm"):
    """The arguments of an unsaved event (built in the test: pages need the database)."""
    return dict(start=start, end=end, start_time=start_time, end_time=end_time, zone=zone)


def build(start, end, start_time, end_time, zone):
    return EventPage(
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end) if end else None,
        start_time=dt.time.fromisoformat(start_time) if start_time else None,
        end_time=dt.time.fromisoformat(end_time) if end_time else None,
        time_zone=zone,
    )


WHEN_CASES = [
    # (event, text, start ISO, end ISO)
    (event("2007-11-13"), "13 November 2007", "2007-11-13", "2007-11-13"),
    (event("2007-06-13", "2007-06-15"), "13–15 June 2007", "2007-06-13", "2007-06-15"),
    (event("2007-06-30", "2007-07-02"), "30 June – 2 July 2007", "2007-06-30", "2007-07-02"),
    (
        event("2007-12-30", "2008-01-02"),
        "30 December 2007 – 2 January 2008",
        "2007-12-30",
        "2008-01-02",
    ),
    (
        event("2008-01-23", start_time="09:00", end_time="17:00"),
        "23 January 2008, 09:00–17:00 (Europe/Stockholm)",
        "2008-01-23T09:00+01:00",
        "2008-01-23T17:00+01:00",
    ),
    (
        event("2008-06-23", "2008-06-24", "09:00", "13:00", zone="Europe/Helsinki"),
        "23 June 2008, 09:00 – 24 June 2008, 13:00 (Europe/Helsinki)",
        "2008-06-23T09:00+03:00",
        "2008-06-24T13:00+03:00",
    ),
    (
        event("2008-01-23", start_time="18:30"),
        "23 January 2008, 18:30 (Europe/Stockholm)",
        "2008-01-23T18:30+01:00",
        "2008-01-23",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "text", "start", "end"), WHEN_CASES)
def test_event_dates(fields, text, start, end):
    page = build(**fields)
    assert event_when(page) == text
    assert event_start_iso(page) == start
    assert event_end_iso(page) == end
    markup = str(event_when_html(page))
    assert f'<time datetime="{start}">' in markup
    assert html.unescape(_strip_tags(markup)) == text


def _strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def test_protected_email_reads_normally_but_hides_the_address_from_the_source():
    link = str(protect_email("linda.pukite@riga.lv"))

    assert "@" not in link and "riga" not in link
    assert html.unescape(link) == ('<a href="mailto:linda.pukite@riga.lv">linda.pukite@riga.lv</a>')
    assert html.unescape(str(protect_email("a@b.org", "Write to us"))).endswith(">Write to us</a>")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        (None, ""),
        ("not an address", "not an address"),
        ('"><script>alert(1)</script>@x.org', "&quot;&gt;&lt;script&gt;"),
    ],
)
def test_protected_email_refuses_what_is_not_an_address(value, expected):
    result = str(protect_email(value))

    assert "<a " not in result and "<script" not in result
    assert result.startswith(expected)


def test_main_menu_and_breadcrumbs_mark_the_current_section(client, site_tree, organisation):
    for index in (site_tree.partners, site_tree.news):
        index.show_in_menus = True
        index.save()
    metropolis = organisation.get_parent()

    page = client.get(organisation.url).content.decode()

    menu = page.split('aria-label="Main"')[1].split("</nav>")[0]
    assert f'aria-current="true">{site_tree.partners.title}</a>' in menu
    assert (
        f'<a class="main-nav__link" href="{site_tree.news.url}">{site_tree.news.title}</a>' in menu
    )
    crumbs = page.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    expected = ["Home", site_tree.partners.title, metropolis.title, organisation.title]
    positions = [crumbs.index(f">{text}<") for text in expected]
    assert positions == sorted(positions)
    assert f'<span aria-current="page">{organisation.title}</span>' in crumbs
