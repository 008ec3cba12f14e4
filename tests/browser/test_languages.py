"""The portal in the network's languages, in Chromium.

A visitor switches Berlin's page to German and back; asks for a page in Latvian that has not
been translated and reads it in English with the notice, in Latvian; the City of Riga's
editor translates their organisation's page into Latvian and submits it, the moderator
approves it on the dashboard, and the Latvian page is live, linked both ways. axe-core
checks the translated page, the fallback page and the switcher.
"""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from partners.models import MetropolisPage, OrganisationPage
from tests.browser.conftest import new_page, screenshot
from tests.browser.test_editor_journey import decide_on_the_dashboard, serious_violations, staff
from tests.browser.test_editorial import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GERMAN_TITLE = "Berlin – Metropole der Innovation"
LATVIAN_TITLE = "Rīgas pilsēta"
LATVIAN_NOTICE = "Šī lapa vēl nav tulkota šajā valodā"


def publish_german_berlin() -> MetropolisPage:
    berlin = MetropolisPage.objects.get(slug="berlin")
    german = berlin.copy_for_translation(Locale.objects.get(language_code="de"), copy_parents=True)
    german.title = GERMAN_TITLE
    german.save_revision().publish()
    return berlin


def test_a_visitor_switches_berlin_to_german_and_back(browser, portal):
    berlin = publish_german_berlin()
    page = new_page(browser)
    page.goto(portal + berlin.url)

    switcher = page.get_by_role("navigation", name="Languages of this page")
    switcher.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(portal + "/de/partners/berlin/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(GERMAN_TITLE)
    assert serious_violations(page) == []
    screenshot(page, "language-german-berlin")

    page.locator("nav.language-switcher").get_by_role("link", name="English").click()
    expect(page).to_have_url(portal + berlin.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_an_untranslated_page_in_latvian_is_english_with_a_notice(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/lv/partners/")
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    notice = page.get_by_role("note")
    expect(notice).to_contain_text(LATVIAN_NOTICE)
    expect(notice.locator('[lang="en"]')).to_have_text("English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    assert serious_violations(page) == []
    screenshot(page, "language-latvian-fallback")


def test_riga_translates_its_page_the_moderator_approves_it(browser, portal, django_user_model):
    riga = OrganisationPage.objects.get(slug="city-of-riga")
    editor_account = django_user_model.objects.create_user("riga-editor", password=PASSWORD)
    editor_account.groups.add(riga.access.group)
    moderator, device = staff(django_user_model, "moderator")
    moderator.groups.add(
        *django_user_model.groups.field.related_model.objects.filter(name="Moderators")
    )

    editor = log_in(browser, portal, "riga-editor")
    editor.goto(portal + f"/admin/pages/{riga.pk}/edit/")
    editor.goto(portal + f"/admin/localize/submit/page/{riga.pk}/")
    editor.get_by_label("Latviešu").check()
    editor.get_by_role("button", name=re.compile("^Submit")).click()
    expect(editor.locator(".messages")).to_contain_text("submitted for translation into Latviešu")

    # wagtail-localize's editor: the title's string, translated and saved.
    title = editor.locator("li", has=editor.locator("p.title")).first
    title.get_by_role("button", name="Translate").click()
    title.locator("textarea").fill(LATVIAN_TITLE)
    title.get_by_role("button", name="Save").click()
    expect(title).to_contain_text(LATVIAN_TITLE)
    editor.get_by_role("button", name="Submit translation for moderation").click()
    expect(editor.locator(".messages")).to_contain_text("submitted for moderation in Latviešu")

    reviewer = log_in(browser, portal, "moderator", device)
    decide_on_the_dashboard(reviewer, portal, LATVIAN_TITLE, "Approve and publish")

    latvian = riga.get_translation(Locale.objects.get(language_code="lv"))
    visitor = new_page(browser)
    visitor.goto(portal + latvian.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(LATVIAN_TITLE)
    expect(visitor.locator('link[hreflang="en"]')).to_have_attribute(
        "href", re.compile(re.escape(riga.url) + "$")
    )
    visitor.goto(portal + riga.url)
    expect(visitor.locator('link[hreflang="lv"]')).to_have_attribute(
        "href", re.compile(re.escape(latvian.url) + "$")
    )
    visitor.get_by_role("navigation", name="Languages of this page").get_by_role(
        "link", name="Latviešu"
    ).click()
    expect(visitor).to_have_url(portal + latvian.url)
