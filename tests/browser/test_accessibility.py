"""axe-core in Chromium on every public page type, and screenshots of the main pages.

axe-core comes bundled in the axe-playwright-python package (no download at test time).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, new_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# One page of each public type in the seed content, plus listings with filters, search and 404.
PAGES = {
    "home": "/",
    "content-page": "/about/",
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
}
SCREENSHOTS = ["home", "partners", "metropolis", "work-package", "news", "event", "search"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def serious_violations(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations_on_any_page_type(browser, portal):
    axe = Axe()
    page = new_page(browser)
    page.goto(portal + "/news/")
    PAGES["news-item"] = page.locator(".card--news a").first.get_attribute("href")

    problems = {}
    for name, path in PAGES.items():
        response = page.goto(portal + path)
        assert response.status == (404 if name == "not-found" else 200), path
        violations = serious_violations(axe.run(page, options=AXE_OPTIONS))
        if violations:
            problems[path] = violations
    assert problems == {}


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_main_pages(browser, portal, width, viewport):
    page = new_page(browser, viewport=viewport)
    for name in SCREENSHOTS:
        page.goto(portal + PAGES[name])
        path = screenshot(page, f"{name}-{width}")
        assert path.stat().st_size > 10_000
        # No page scrolls sideways at this width.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
