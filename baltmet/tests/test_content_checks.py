"""The editor's Checks panel and the userbar run the portal's content checks
(baltmet/content_checks.py); tests/browser/test_content_checks.py runs them in Chromium."""

import pytest
from django.urls import reverse

from baltmet.content_checks import WORK_PACKAGE_RULE
from events.factories import EventPageFactory
from tests.helpers import log_in

pytestmark = pytest.mark.django_db


def test_the_editors_checks_panel_has_the_portals_rules(client, world):
    event = EventPageFactory(parent=world.events_index)
    log_in(client, world.administrator)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()

    assert WORK_PACKAGE_RULE in html
    assert "has-descendant-evaluate" in html
    assert "page-has-heading-one" in html


def test_the_userbar_on_a_live_page_has_them_too(client, world):
    event = EventPageFactory(parent=world.events_index)
    log_in(client, world.editor)

    html = client.get(event.url).content.decode()

    assert 'data-content-check="names-work-package"' in html
    assert WORK_PACKAGE_RULE in html.split('data-content-check="names-work-package"', 1)[1]
