"""What a visitor does, in Chromium: browse from the map, filter, search, download a calendar."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, new_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_from_the_map_to_a_metropolis_a_partner_and_a_work_package(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.locator(".baltic-map").get_by_role("link", name=re.compile(r"^Riga\b")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riga")
    page.get_by_role("main").get_by_role("link", name="City of Riga").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("City of Riga")
    page.get_by_role("link", name=re.compile("Community Building and Marketing Strategies")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Community Building and Marketing Strategies"
    )
    # The breadcrumbs lead back up the tree.
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Work packages")


def test_an_event_page_offers_its_calendar_file(browser, portal):
    page = new_page(browser, accept_downloads=True)
    page.goto(portal + "/events/")
    page.get_by_role("link", name="BaltMet Mayors' Meeting in Tallinn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BaltMet Mayors' Meeting in Tallinn")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to calendar")).click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    assert download.suggested_filename.endswith(".ics")
    assert content.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:BaltMet Mayors' Meeting in Tallinn" in content


def test_search_from_the_header(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/")
    page.get_by_role("searchbox", name="Search the site").fill("Malmo")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=Malmo$"))
    results = page.locator(".search-result__title")
    expect(results.first).to_have_text("Malmö")
    expect(page.locator(".search-result mark").first).to_have_text("Malmö")


def test_filter_the_news(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/news/")
    before = page.locator(".card--news").count()
    form = page.get_by_role("search", name=re.compile("filter", re.I))
    form.get_by_label("Tag").select_option(label="seminars")
    form.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"[?&]tag=seminars"))
    titles = page.locator(".card--news .card__title").all_inner_texts()
    assert 0 < len(titles) < before
    assert all("Open Days" in title for title in titles)
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("seminars")


def test_the_menu_works_with_the_keyboard_alone_on_a_phone(browser, portal):
    page = new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(portal + "/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    # Tab on through the header until the menu's "News" link has the focus, then follow it.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "News":
            break
    focused = page.locator(":focus")
    expect(focused).to_have_text("News")
    expect(focused).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("News")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="News")
    ).to_have_attribute("aria-current", "page")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "news-index-phone")
