"""The notices' blocks and the dashboard panel of what is still missing from them, through
real requests; and what the privacy notice (content.yaml, `privacy`) says about cookies and
rate-limit counters, checked against the settings and the code it describes."""

import dataclasses
import datetime as dt
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.test import Client
from django.urls import get_resolver

from baltmet import personal_data
from baltmet.factories import StandardPageFactory, paragraph
from baltmet.throttles import Limit
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

LABEL = "To be completed by the portal's administrator:"
A_DAY = dt.timedelta(days=1).total_seconds()
A_YEAR = dt.timedelta(days=366).total_seconds()


def placeholder(what: str) -> dict:
    return {"type": "placeholder", "value": {"what": what}}


def main(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("main")


# --- What visitors see ---------------------------------------------------------------------------


def test_a_placeholder_is_shown_to_visitors_marked_as_missing(client, site_tree):
    page = StandardPageFactory(
        parent=site_tree.home,
        body=[*paragraph("Published by:"), placeholder("the publisher's postal address")],
    )

    box = main(client, page.url).select_one("p.placeholder")

    # The label says it is missing, in words: not a colour alone.
    assert box.find("strong").get_text() == LABEL
    assert box.get_text(" ", strip=True) == f"{LABEL} the publisher's postal address"


@pytest.fixture
def registry(monkeypatch, settings):
    """The registry with a second form, whose period comes from a setting of its own."""
    settings.PAGE_CACHE = False  # each request renders, so a changed setting shows at once
    settings.TEST_SIGN_UP_RETENTION_DAYS = 30
    entries = [
        *personal_data.REGISTRY,
        # Like the contact form's entry (whatever else an entry holds), for another form.
        dataclasses.replace(
            personal_data.REGISTRY[0],
            form="Sign-up form",
            stored="Your e-mail address.",
            purpose="To send what you signed up for.",
            seen_by="The organisers.",
            retention_setting="TEST_SIGN_UP_RETENTION_DAYS",
            retention_text="Deleted %(days)s after the event.",
        ),
    ]
    monkeypatch.setattr(personal_data, "REGISTRY", entries)
    return entries


def personal_data_page(site_tree):
    return StandardPageFactory(
        parent=site_tree.home,
        title="Privacy notice",
        body=[
            {"type": "heading", "value": {"text": "What the forms keep", "level": "h2"}},
            {"type": "personal_data", "value": None},
        ],
    )


def facts(section) -> dict[str, dict[str, str]]:
    """Each form's heading and its facts: {form: {term: description}}."""
    result = {}
    for heading in section.select(".personal-data h3"):
        facts = heading.find_next_sibling("dl")
        result[heading.get_text(strip=True)] = {
            dt_.get_text(strip=True): dt_.find_next_sibling("dd").get_text(strip=True)
            for dt_ in facts.find_all("dt")
        }
    return result


def test_the_personal_data_block_shows_every_form_of_the_registry(client, site_tree, registry):
    page = personal_data_page(site_tree)

    shown = facts(main(client, page.url))

    assert list(shown) == [str(entry.form) for entry in registry]
    for entry in registry:
        assert shown[str(entry.form)] == {
            "What is stored": str(entry.stored),
            "Why": str(entry.purpose),
            "Who sees it": str(entry.seen_by),
            "How long it is kept": entry.retention(),
        }
    assert shown["Sign-up form"]["How long it is kept"] == "Deleted 30 days after the event."


def test_the_retention_shown_is_the_one_the_settings_hold(client, site_tree, registry, settings):
    page = personal_data_page(site_tree)
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 90
    assert facts(main(client, page.url))["Contact form"]["How long it is kept"] == (
        "Deleted 90 days after it was sent."
    )

    settings.CONTACT_MESSAGE_RETENTION_DAYS = 1
    settings.TEST_SIGN_UP_RETENTION_DAYS = 14

    shown = facts(main(client, page.url))
    assert shown["Contact form"]["How long it is kept"] == "Deleted 1 day after it was sent."
    assert shown["Sign-up form"]["How long it is kept"] == "Deleted 14 days after the event."


def test_without_forms_that_keep_personal_data_the_block_says_so(client, site_tree, monkeypatch):
    monkeypatch.setattr(personal_data, "REGISTRY", [])
    page = personal_data_page(site_tree)

    section = main(client, page.url).select_one(".personal-data")

    assert section.get_text(strip=True) == "None of the portal's forms stores personal data."


# --- The dashboard panel -------------------------------------------------------------------------


def dashboard(user) -> BeautifulSoup:
    client = Client()
    log_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel(user):
    return dashboard(user).find(id="pages-to-complete-section")


@pytest.fixture
def notices(world):
    """A published page with two placeholders, one without, and a draft with one."""
    imprint = StandardPageFactory(
        title="Imprint",
        body=[
            placeholder("the publisher's legal name"),
            *paragraph("The project is part-financed by the European Union."),
            placeholder("the publisher's postal address"),
        ],
    )
    complete = StandardPageFactory(title="A complete page")
    draft = StandardPageFactory(title="A draft notice", body=[placeholder("a draft's gap")])
    draft.unpublish()
    return imprint, complete, draft


def test_an_administrator_sees_the_published_pages_still_to_complete(world, notices):
    imprint = notices[0]

    found = panel(world.administrator)

    assert "Facts to complete on published pages (2)" in found.get_text(" ", strip=True)
    items = found.select(".portal-dashboard__list > li")
    assert len(items) == 1
    link = items[0].find("a")
    assert link["href"] == f"/admin/pages/{imprint.pk}/edit/"
    assert link.get_text(" ", strip=True).startswith("Imprint")
    assert [li.get_text(strip=True) for li in items[0].select("ul li")] == [
        "the publisher's legal name",
        "the publisher's postal address",
    ]
    assert "A complete page" not in found.get_text()
    assert "a draft's gap" not in found.get_text()  # visitors do not see a draft


def test_a_partner_editor_gets_no_such_panel(world, notices):
    assert panel(world.editor) is None


def test_a_moderator_sees_it_if_they_may_change_the_pages(world, notices):
    imprint = notices[0]
    may_change = imprint.permissions_for_user(world.moderator).can_edit()

    assert (panel(world.moderator) is not None) == may_change


def test_the_panel_goes_once_the_last_placeholder_is_filled(world, notices):
    imprint = notices[0]
    imprint.body = paragraph("Published by the publisher.")
    imprint.save_revision(user=world.administrator).publish(user=world.administrator)

    assert panel(world.administrator) is None


# --- What the privacy notice says, checked against the code --------------------------------------


def test_reading_the_portal_sets_no_cookie(client, site_tree):
    page = StandardPageFactory(parent=site_tree.home)

    for url in ("/", page.url, "/sitemap/", "/search/?q=innovation", "/no-such-page/"):
        response = client.get(url)
        assert dict(response.cookies) == {}, url


def test_the_cookies_the_privacy_notice_names_are_the_portals():
    # "csrftoken … Your browser keeps it for up to a year", "sessionid …"
    assert django_settings.CSRF_COOKIE_NAME == "csrftoken"
    assert django_settings.CSRF_COOKIE_AGE <= A_YEAR
    assert not django_settings.CSRF_USE_SESSIONS
    assert django_settings.SESSION_COOKIE_NAME == "sessionid"
    assert django_settings.SESSION_COOKIE_AGE <= A_DAY


def test_rate_limit_counters_are_kept_a_day_at_most():
    # "… deletes it when the counting period ends, after a day at most."
    get_resolver().url_patterns  # noqa: B018 (imports every view, and the limits they count)
    limits = {
        value
        for name, module in list(sys.modules.items())
        if module is not None and name.startswith(("baltmet", "news", "events", "partners"))
        for value in vars(module).values()
        if isinstance(value, Limit)
    }
    assert limits
    assert {limit.name: limit.seconds for limit in limits if limit.seconds > A_DAY} == {}
