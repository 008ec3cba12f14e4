"""The strict Content-Security-Policy, as Chromium enforces it on the seeded pages."""

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ["/", "/news/", "/events/", "/partners/helsinki/", "/work-packages/cluster-development/"]


def test_chromium_reports_no_policy_violation_on_the_seeded_pages(browser, portal):
    page = new_page(browser)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    violations = {}
    for path in PAGES:
        messages.clear()
        response = page.goto(portal + path)
        assert response.status == 200
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        # The stylesheet loaded: it moves the skip link off screen.
        position = page.eval_on_selector(".skip-link", "e => getComputedStyle(e).position")
        assert position in ("absolute", "fixed")
        if found := [m for m in messages if "Content Security Policy" in m]:
            violations[path] = found

    # The control: the browser does report what the policy blocks.
    messages.clear()
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">')")
    page.wait_for_timeout(200)

    assert violations == {}
    assert [m for m in messages if "Content Security Policy" in m], "no inline style reported"
