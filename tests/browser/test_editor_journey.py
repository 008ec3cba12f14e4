"""The editors' CMS, each role's journey in Chromium.

An administrator invites an editor for the City of Riga; the editor sets a password, edits
the organisation's page, adds news and an event and submits them; the moderator requests
changes to the news with a comment, which the editor reads on the dashboard and on the edit
page; the editor resubmits; the moderator approves; a visitor sees it all at once. On the
way, axe-core checks the portal's own admin views (invitation form, dashboard panels,
request-for-changes banner) for serious and critical violations.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from events.models import EventPage
from news.models import NewsPage
from partners.models import OrganisationPage
from tests.browser.conftest import new_page, screenshot
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.browser.test_editorial import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EDITOR_EMAIL = "ilze.editor@example.org"
EDITOR_PASSWORD = "riga-editor-long-password-2027"
NEWS = "Riga opens a call for innovation vouchers"
EVENT = "Riga innovation voucher info day"
INTRO = "The City of Riga runs the network's work on innovation vouchers."
COMMENT = "Please name the work package.\nThe intro should say who may apply."
SERIOUS = {"serious", "critical"}


def serious_violations(page, selector=None) -> list[str]:
    results = Axe().run(page, context=selector, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def staff(django_user_model, username, **flags):
    """A user with a second factor (administrators and moderators need one)."""
    user = django_user_model.objects.create_user(username, password=PASSWORD, **flags)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user, device


def open_form(page, link):
    """Follow a dashboard link to a page form, once its scripts run (they fill the slug)."""
    page.get_by_role("link", name=link).click()
    page.wait_for_url(re.compile(r"/admin/pages/(add/|[0-9]+/edit/)"))
    page.wait_for_load_state("load")


def fill_title(page, title):
    """The title, then a wait for the page's script to derive the slug from it, as it does
    for an editor who types and moves on."""
    page.locator("#id_title").fill(title)
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).not_to_have_value("")


def submit(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile(r"^(Resubmit|Submit) to ")).click()
    page.wait_for_load_state()
    invalid = page.locator('[aria-invalid="true"]').evaluate_all("els => els.map(e => e.id)")
    assert invalid == [], f"{page.url}: {invalid}"
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")


def decide_on_the_dashboard(page, portal, title, decision, comment=""):
    """The moderator's decision from the dashboard, confirmed in Wagtail's dialog."""
    page.goto(portal + "/admin/")
    item = page.locator(".portal-dashboard__item", has_text=title)
    item.get_by_role("button", name=re.compile(rf"^{decision}…")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    if comment:
        dialog.get_by_label("Comment").fill(comment)
    dialog.get_by_role("button", name=decision, exact=False).last.click()
    # Back on the dashboard, the decision is listed as made.
    done = "Approved" if decision.startswith("Approve") else "Changes requested"
    latest = page.locator(".portal-dashboard__decision").first
    expect(latest).to_contain_text(title)
    expect(latest).to_contain_text(done)


def test_invited_editor_to_published_page_through_moderation(browser, portal, django_user_model):
    riga = OrganisationPage.objects.get(slug="city-of-riga")
    _, admin_device = staff(django_user_model, "administrator", is_superuser=True, is_staff=True)
    moderator, moderator_device = staff(django_user_model, "moderator")
    moderator.groups.add(
        *django_user_model.groups.field.related_model.objects.filter(name="Moderators")
    )

    # The administrator invites the editor from the users screen.
    admin = log_in(browser, portal, "administrator", admin_device)
    admin.goto(portal + "/admin/users/")
    admin.get_by_role("link", name="Invite an editor").click()
    assert serious_violations(admin) == []
    admin.get_by_label("E-mail address").fill(EDITOR_EMAIL)
    admin.get_by_label("First name").fill("Ilze")
    admin.get_by_label("Partner organisation").select_option(label=riga.title)
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.locator(".messages")).to_contain_text(f"{EDITOR_EMAIL} was invited")

    # The editor follows the one-time link, sets a password and logs in.
    # (The link's host is the configured admin address; the live server's differs.)
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+)", mail.outbox[-1].body)
    editor = new_page(browser)
    editor.goto(portal + link[1])
    editor.locator("#id_new_password1").fill(EDITOR_PASSWORD)
    editor.locator("#id_new_password2").fill(EDITOR_PASSWORD)
    editor.get_by_role("button", name=re.compile("password", re.I)).click()
    editor.goto(portal + "/admin/login/")
    editor.get_by_label("Username").fill(EDITOR_EMAIL)
    editor.get_by_label("Password").fill(EDITOR_PASSWORD)
    editor.get_by_role("button", name="Sign in").click()
    expect(editor.get_by_role("heading", name="Your organisation: City of Riga")).to_be_visible()

    # The organisation's page, from the dashboard.
    open_form(editor, "Edit the organisation's page")
    editor.locator("#id_intro").fill(INTRO)
    submit(editor)

    # News and an event, from the dashboard.
    editor.goto(portal + "/admin/")
    open_form(editor, "Add news")
    fill_title(editor, NEWS)
    editor.locator("#id_intro").fill("Small firms in Riga may apply for innovation vouchers.")
    submit(editor)
    editor.goto(portal + "/admin/")
    open_form(editor, "Add an event")
    fill_title(editor, EVENT)
    editor.locator("#id_kind").select_option(index=1)
    editor.locator("#id_start_date").fill("2027-05-12")
    editor.locator("#id_city").fill("Riga")
    editor.locator("#id_country").fill("Latvia")
    editor.locator("#id_intro").fill("How to apply for an innovation voucher, in one morning.")
    submit(editor)
    editor.goto(portal + "/admin/")
    waiting = editor.locator("section", has_text="Waiting for moderation (3)")
    expect(waiting).to_be_visible()

    # The moderator sees three items, oldest first, and decides on each with a confirmation.
    moderator_page = log_in(browser, portal, "moderator", moderator_device)
    heading = moderator_page.get_by_role("heading", name="Waiting for your decision (3)")
    expect(heading).to_be_visible()
    # The moderation queue's panel (the dashboard also lists notices with facts to complete).
    queue = moderator_page.locator("#waiting-for-decision-section")
    titles = queue.locator(".portal-dashboard__item > a").all_inner_texts()
    assert titles == [riga.title, NEWS, EVENT]
    assert serious_violations(moderator_page, ".portal-dashboard") == []
    screenshot(moderator_page, "admin-moderator-dashboard")
    decide_on_the_dashboard(moderator_page, portal, NEWS, "Request changes", COMMENT)
    decide_on_the_dashboard(moderator_page, portal, EVENT, "Approve and publish")
    decide_on_the_dashboard(moderator_page, portal, riga.title, "Approve and publish")
    expect(queue).to_contain_text("Nothing waits for your decision")

    # The editor reads the comment in full on the dashboard, then on the edit page.
    editor.goto(portal + "/admin/")
    changes = editor.locator(".portal-dashboard__item", has_text=NEWS)
    comment_in_full = r"Please name the work package\.\s*The intro should say who may apply\."
    expect(changes.locator("blockquote")).to_have_text(re.compile(comment_in_full))
    expect(changes).to_contain_text("by moderator")
    assert serious_violations(editor, ".portal-dashboard") == []
    screenshot(editor, "admin-editor-dashboard")
    changes.get_by_role("link", name=NEWS).click()
    banner = editor.locator(".portal-changes-requested")
    expect(banner).to_contain_text("Changes requested by moderator")
    expect(banner).to_contain_text("The intro should say who may apply.")
    assert serious_violations(editor, ".portal-changes-requested") == []
    screenshot(editor, "admin-changes-requested")
    editor.locator("#id_intro").fill(
        "Small firms in Riga may apply for innovation vouchers (work package 1)."
    )
    submit(editor)

    # The moderator approves from the page's own menu: one way, confirmed in the dialog.
    news = NewsPage.objects.get(title=NEWS)
    moderator_page.goto(f"{portal}/admin/pages/{news.pk}/edit/")
    moderator_page.get_by_role("button", name="More actions").click()
    expect(moderator_page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    moderator_page.get_by_role("button", name="Approve and Publish…").click()
    dialog = moderator_page.get_by_role("dialog")
    dialog.get_by_role("button", name=re.compile("Approve")).last.click()
    expect(moderator_page.locator(".messages")).to_contain_text(NEWS)

    # A visitor sees the result at once.
    visitor = new_page(browser)
    visitor.goto(portal + "/news/")
    expect(visitor.get_by_role("link", name=NEWS)).to_be_visible()
    visitor.goto(portal + "/events/")
    expect(visitor.get_by_role("link", name=EVENT)).to_be_visible()
    visitor.goto(portal + riga.relative_url(riga.get_site()))
    expect(visitor.get_by_role("main")).to_contain_text(INTRO)
    assert EventPage.objects.get(title=EVENT).live
