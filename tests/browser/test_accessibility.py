"""axe-core in Chromium on every public page type, the layout at phone and desktop widths,
and screenshots of the main pages.

axe-core comes bundled in the axe-playwright-python package (no download at test time).
`make screenshots` runs the screenshot test with SCREENSHOTS_DIR=docs/screenshots, which
also writes the README's pictures there.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, new_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# One page of each public type in the seed content, plus listings with filters, search and 404.
PAGES = {
    "home": "/",
    "content-page": "/about/",
    "action-plan": "/about/action-plan-2008-2010/",
    "related-projects": "/about/related-projects/",
    "people": "/about/people/",
    "benchmark": "/about/science-park-benchmark/",
    "library": "/library/",
    "library, filtered": "/library/?work_package=cluster-development&q=benchmark",
    "library entry": "/library/recommendations-for-political-action/",
    "open data": "/data/",
    "partners": "/partners/",
    "metropolis": "/partners/helsinki/",
    "organisation": "/partners/riga/city-of-riga/",
    "work-packages": "/work-packages/",
    "work-package": "/work-packages/cluster-development/",
    "news": "/news/",
    "news-filtered": "/news/?year=2007",
    "news-item": "/news/",  # replaced by the first item's address below
    "events": "/events/",
    "event": "/events/mayors-meeting-tallinn-2007/",
    "search": "/search/?q=innovation",
    "search-empty": "/search/?q=nothingmatchesthis",
    "not-found": "/no-such-page/",
    "sitemap": "/sitemap/",
    "accessibility-statement": "/accessibility/",
    "privacy-notice": "/privacy/",  # with the forms' personal data and placeholders
    "imprint": "/imprint/",
}
SCREENSHOTS = ["home", "partners", "metropolis", "work-package", "news", "event", "search"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


WIDTHS = {"320": {"width": 320, "height": 640}, "phone": PHONE, "desktop": DESKTOP}
WIDE = {"width": 1440, "height": 900}


def violations(results) -> list[str]:
    """Every violation, whatever its impact (minor and moderate ones too)."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def with_news_item(page, portal) -> dict[str, str]:
    page.goto(portal + "/news/")
    return {**PAGES, "news-item": page.locator(".card--news a").first.get_attribute("href")}


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_no_accessibility_violations_on_any_page_type(browser, portal, width):
    axe = Axe()
    page = new_page(browser, viewport=WIDTHS[width])

    problems = {}
    for name, path in with_news_item(page, portal).items():
        response = page.goto(portal + path)
        assert response.status == (404 if name == "not-found" else 200), path
        found = violations(axe.run(page, options=AXE_OPTIONS))
        if found:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, {"width": 390, "height": 844}, WIDE],
    ids=["320", "390", "1440"],
)
def test_every_page_type_fits_the_screen_with_the_map_whole(browser, portal, viewport):
    page = new_page(browser, viewport=viewport)
    for name, path in with_news_item(page, portal).items():
        page.goto(portal + path)
        # No page scrolls sideways, and no element reaches past the right edge.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        overflowing = page.evaluate(
            """width => [...document.querySelectorAll('body *')]
                .filter(e => e.getClientRects().length
                             && e.getBoundingClientRect().right > width + 1
                             && !e.closest('.visually-hidden, .skip-link'))
                .map(e => e.tagName + '.' + e.className)""",
            viewport["width"],
        )
        assert overflowing == [], (name, overflowing[:5])
    for path in ("/", "/partners/", "/partners/riga/"):
        page.goto(portal + path)
        frame = page.locator(".baltic-map__frame").first
        svg = frame.locator("svg")
        frame_box, svg_box = frame.bounding_box(), svg.bounding_box()
        # The whole map, not a part to scroll: the drawing fits its frame.
        assert svg_box["width"] <= frame_box["width"] + 1, path
        assert frame.evaluate("e => e.scrollWidth <= e.clientWidth"), path
        # Every city's name is shown in the layout that suits the map's size, none cut off.
        names = svg.locator("text").evaluate_all(
            """texts => texts.filter(t => getComputedStyle(t).display !== 'none')
                .map(t => { const b = t.getBoundingClientRect(), f = t.closest('svg')
                  .getBoundingClientRect(); return [t.textContent, b.left >= f.left - 1
                  && b.right <= f.right + 1, b.height]; })"""
        )
        assert len(names) == svg.locator("a").count() > 0, path
        assert all(inside for _, inside, _ in names), (path, names)
        assert min(height for _, _, height in names) >= 10, (path, names)


def test_the_latest_news_and_events_are_within_two_screens_of_a_phone(browser, portal):
    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(portal + "/")
    for heading in ("#news-heading", "#events-heading"):
        top = page.locator(heading).bounding_box()["y"]
        assert top + 100 < 2 * 844, heading


# The README's pictures: the home page and a metropolis page, phone and desktop.
README_SCREENSHOTS = {"home", "metropolis"}


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", WIDE)])
def test_screenshots_of_the_main_pages(browser, portal, width, viewport):
    page = new_page(browser, viewport=viewport)
    readme_dir = os.environ.get("SCREENSHOTS_DIR")
    for name in SCREENSHOTS:
        page.goto(portal + PAGES[name])
        path = screenshot(page, f"{name}-{width}")
        assert path.stat().st_size > 10_000
        if readme_dir and name in README_SCREENSHOTS:
            target = Path(readme_dir) / f"{name}-{width}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            # The first screen only: what a visitor sees on arrival.
            page.screenshot(path=str(target), full_page=False)
            assert target.stat().st_size > 10_000
