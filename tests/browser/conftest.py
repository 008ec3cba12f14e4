"""Real-browser tests: Playwright drives Debian's Chromium against a live test server.

The live server (pytest-django's, in a thread of the test process) serves the test database
with the full seed content; static files come from the app folders. Browsers are never
downloaded: CHROMIUM_PATH (default /usr/bin/chromium) is launched as it is.

Screenshots go to BROWSER_ARTIFACTS (default var/browser-artifacts/), kept after the run.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("BROWSER_ARTIFACTS", settings.BASE_DIR / "var" / "browser-artifacts")
)
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(portal):
    """Chromium, started for each test once its database is ready.

    Playwright's sync API runs an event loop in this thread while it is open. Django then
    keeps its database connections per async context: code run meanwhile gets a connection
    of its own (without the serialized copy of the database the next test restores), and
    would refuse ORM calls altogether unless DJANGO_ALLOW_ASYNC_UNSAFE is set. So the browser
    is opened after the test's database setup and closed, with those connections, before
    its teardown.
    """
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. Install Debian's package "
            "(sudo apt-get install chromium) or set CHROMIUM_PATH."
        )
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            yield browser
            browser.close()
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def portal(live_server):
    """The live server with the seed content, as `make run` serves it.

    Modules using it mark their tests `django_db(transaction=True, serialized_rollback=True)`:
    the live server thread sees only committed data, and the serialized rollback restores
    what migrations created (the default site, the groups) for the tests run after them.
    """
    call_command("load_seed_content", verbosity=0)
    return live_server.url


def new_page(browser, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
