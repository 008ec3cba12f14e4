"""An editor drafts news and submits it; a moderator approves it; a visitor reads it."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from news.models import NewsPage
from partners.models import OrganisationPage
from tests.browser.conftest import new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-password-for-the-browser"
CODE_LABEL = "Code from your authenticator app"
TITLE = "Riga hosts the partners' spring meeting"


def log_in(browser, portal, username, device=None):
    """The admin's login; with a device, the code its authenticator app shows next."""
    page = new_page(browser)
    page.goto(portal + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/"))
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.get_by_label(CODE_LABEL).fill(f"{code:0{device.digits}d}")
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def test_news_goes_from_an_editors_draft_through_moderation_to_the_public(
    browser, portal, django_user_model
):
    riga = OrganisationPage.objects.get(slug="city-of-riga")
    editor = django_user_model.objects.create_user("riga-editor", password=PASSWORD)
    editor.groups.add(riga.access.group)
    moderator = django_user_model.objects.create_user("moderator", password=PASSWORD)
    moderator.groups.add(
        *django_user_model.groups.field.related_model.objects.filter(name="Moderators")
    )
    # Moderators publish, so they log in with a second factor.
    device = TOTPDevice.objects.create(user=moderator, name="Phone", confirmed=True)
    news_index = NewsPage.objects.first().get_parent()

    # The editor writes a draft and submits it for moderation.
    editor_page = log_in(browser, portal, "riga-editor")
    editor_page.goto(f"{portal}/admin/pages/add/news/newspage/{news_index.pk}/")
    editor_page.locator("#id_title").fill(TITLE)
    editor_page.locator("#id_intro").fill("The partners meet in Riga in the spring.")
    editor_page.get_by_role("button", name="More actions").click()
    editor_page.get_by_role("button", name="Submit to Moderation").click()
    expect(editor_page.locator(".messages")).to_contain_text("submitted")

    news = NewsPage.objects.get(title=TITLE)
    assert not news.live
    visitor = new_page(browser)
    assert visitor.goto(portal + "/news/").ok
    expect(visitor.get_by_role("main")).not_to_contain_text(TITLE)

    # The moderator approves it from the page editor.
    moderator_page = log_in(browser, portal, "moderator", device)
    moderator_page.goto(f"{portal}/admin/pages/{news.pk}/edit/")
    moderator_page.get_by_role("button", name="More actions").click()
    moderator_page.get_by_role("button", name="Approve and Publish…").click()
    dialog = moderator_page.get_by_role("dialog")
    expect(dialog).to_contain_text("will be published on the portal at once")
    dialog.get_by_role("button", name="Approve and publish").click()
    expect(moderator_page.locator(".messages")).to_contain_text("has been updated")
    news.refresh_from_db()
    assert news.live

    # The visitor sees it in the listing and reads it.
    visitor.goto(portal + "/news/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
