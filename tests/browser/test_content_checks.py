"""The editors' content checks (baltmet/content_checks.py) run by axe-core in Chromium with the
configuration the admin gives Wagtail's checker: the portal's own rule finds an event that
names no work package, and passes one that does."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import RequestFactory

from baltmet.content_checks import WORK_PACKAGE_RULE, PortalContentChecker
from baltmet.library.models import LibraryEntryPage
from events.factories import EventPageFactory
from events.models import EventIndexPage
from tests.browser.conftest import new_page
from workpackages.models import WorkPackagePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def content_check_failures(page) -> set[str]:
    """The rules that fail on the loaded page, configured as the admin configures them."""
    configuration = PortalContentChecker().get_axe_configuration(RequestFactory().get("/"))
    page.evaluate(Axe().axe_script)
    page.evaluate(f"axe.configure({json.dumps(configuration['spec'])})")
    results = page.evaluate(
        f"axe.run({json.dumps(configuration['context'])}, {json.dumps(configuration['options'])})"
    )
    return {violation["id"] for violation in results["violations"]}


def test_an_event_without_its_work_package_is_flagged(browser, portal):
    index = EventIndexPage.objects.get()
    without = EventPageFactory(parent=index, title="A seminar of no work package")
    with_one = EventPageFactory(parent=index, title="A seminar of a work package")
    with_one.related_work_packages.add(WorkPackagePage.objects.live().first())
    with_one.save_revision().publish()
    page = new_page(browser)

    page.goto(portal + without.url)
    assert WORK_PACKAGE_RULE in content_check_failures(page)

    page.goto(portal + with_one.url)
    assert WORK_PACKAGE_RULE not in content_check_failures(page)


def test_a_result_names_its_work_package_and_a_presentation_need_not(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/library/analysis-of-innovation-strategies/")  # work package 1
    assert content_check_failures(page) == set()
    page.goto(portal + "/library/recommendations-for-political-action/")  # a talk
    assert content_check_failures(page) == set()

    entry = LibraryEntryPage.objects.get(slug="analysis-of-innovation-strategies")
    entry.work_package = None
    entry.save_revision().publish()
    page.goto(portal + entry.url)
    assert content_check_failures(page) == {WORK_PACKAGE_RULE}
