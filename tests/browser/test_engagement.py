"""What a visitor sends the network, in Chromium: the contact form, event registration and the
newsletter, with the mails read from a real SMTP server on a loopback port and their links
followed; axe-core on each form and its error state."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from baltmet.contact.models import ContactMessage
from baltmet.newsletter.models import Digest, Subscriber
from baltmet.newsletter.tasks import send_digest
from baltmet.spam_guard import MIN_SECONDS
from events.factories import EventPageFactory
from events.models import EventIndexPage
from news.models import NewsPage
from tests.browser.conftest import PHONE, new_page
from tests.browser.test_accessibility import AXE_OPTIONS, violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_as_a_person_would(page):
    """People take longer than the spam guard's minimum to fill in a form."""
    page.wait_for_timeout(MIN_SECONDS * 1000 + 200)


def test_a_visitor_writes_to_a_partner_and_the_mail_arrives(browser, portal, smtp_server):
    page = new_page(browser)
    page.goto(portal + "/partners/riga/city-of-riga/")
    page.get_by_role("link", name="Write to City of Riga").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write to City of Riga")

    page.get_by_label("Your name").fill("Anna Visitor")
    page.get_by_label("Your e-mail address").fill("anna@example.org")
    page.get_by_label("Subject").fill("Joining the network's workshops")
    message = page.get_by_label("Message", exact=True)
    message.fill("Could our science park take part in the next workshop?")
    page.get_by_label(re.compile("I agree that the portal keeps my message")).check()
    wait_as_a_person_would(page)
    page.get_by_role("button", name="Send the message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "linda.pukite@riga.lv"  # the City of Riga's contact person
    assert mail["Reply-To"] == "Anna Visitor <anna@example.org>"
    assert "Could our science park take part in the next workshop?" in mail.get_content()
    assert ContactMessage.objects.get().organisation.title == "City of Riga"


def test_the_keyboard_never_reaches_the_honeypot_and_errors_lead_to_their_fields(browser, portal):
    page = new_page(browser)
    page.goto(portal + "/contact/")
    page.get_by_label("Your name").focus()
    reached = []
    for _ in range(12):
        reached.append(page.evaluate("document.activeElement.name || ''"))
        page.keyboard.press("Tab")
    assert "leave_empty" not in reached
    assert {"name", "email", "subject", "message", "consent"} <= set(reached)

    page.get_by_role("button", name="Send the message").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The form was not sent")
    summary.get_by_role("link", name=re.compile("^Your e-mail address")).click()
    expect(page.get_by_label("Your e-mail address")).to_be_focused()
    expect(page.get_by_label("Your e-mail address")).to_have_attribute("aria-invalid", "true")
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
def test_no_accessibility_violations_on_the_forms_and_their_errors(browser, portal, viewport):
    axe = Axe()
    page = new_page(browser, **({"viewport": viewport} if viewport else {}))
    event = EventPageFactory(
        parent=EventIndexPage.objects.get(),
        registration_places=5,
        registration_closes_on=timezone.localdate() + dt.timedelta(days=20),
    )
    problems = {}
    for name, (path, button) in {
        "contact": ("/contact/", "Send the message"),
        "contact, organisation": ("/contact/riga/city-of-riga/", "Send the message"),
        "registration": (f"/events/{event.pk}/register/", "Register"),
        "newsletter": ("/newsletter/", "Subscribe"),
    }.items():
        page.goto(portal + path)
        problems[name] = violations(axe.run(page, options=AXE_OPTIONS))
        page.get_by_role("main").get_by_role("button", name=button).click()
        expect(page.get_by_role("alert")).to_be_visible()
        problems[f"{name}, errors"] = violations(axe.run(page, options=AXE_OPTIONS))
    assert {name: found for name, found in problems.items() if found} == {}


def link_in(mail, pattern: str) -> str:
    found = re.search(rf"(http://\S+{pattern}\S+/)", mail.get_content())
    assert found, mail.get_content()
    return found.group(1)


def register(browser, portal, event, name, email):
    page = new_page(browser)
    page.goto(portal + event.url)
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label(re.compile("I agree that the portal keeps these details")).check()
    wait_as_a_person_would(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please confirm your registration")
    return page


def test_register_confirm_cancel_and_the_waiting_list_moves_up(browser, portal, smtp_server):
    event = EventPageFactory(
        parent=EventIndexPage.objects.get(),
        title="Innovation workshop in Riga",
        registration_places=1,
        registration_closes_on=timezone.localdate() + dt.timedelta(days=20),
    )
    first = register(browser, portal, event, "First Visitor", "first@example.org")
    first.goto(link_in(smtp_server.wait_for(1)[0], "/events/registration/"))
    first.get_by_role("button", name="Confirm my registration").click()
    expect(first.get_by_role("status")).to_have_text("You have a place.")
    assert "You are registered" in smtp_server.wait_for(2)[1]["Subject"]

    second = register(browser, portal, event, "Second Visitor", "second@example.org")
    second.goto(link_in(smtp_server.wait_for(3)[2], "/events/registration/"))
    second.get_by_role("button", name="Confirm my registration").click()
    expect(second.get_by_role("status")).to_contain_text("waiting list, number 1")
    smtp_server.wait_for(4)

    first.get_by_role("button", name="Cancel my registration").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Registration cancelled")
    told = smtp_server.wait_for(5)[4]
    assert told["To"] == "second@example.org"
    assert "A place has become free" in told["Subject"]
    second.goto(link_in(told, "/events/registration/"))
    expect(second.get_by_role("status")).to_have_text("You have a place.")


def test_subscribe_confirm_receive_a_digest_and_unsubscribe(browser, portal, smtp_server):
    page = new_page(browser)
    page.goto(portal + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Newsletter").click()
    page.get_by_label("Your e-mail address").fill("reader@example.org")
    page.get_by_label(re.compile("I agree that the portal keeps my address")).check()
    wait_as_a_person_would(page)
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please confirm your subscription")

    page.goto(link_in(smtp_server.wait_for(1)[0], "/newsletter/confirm/"))
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")

    digest = Digest.objects.create(subject="BaltMet Inno news", news_since=dt.date(2007, 1, 1))
    send_digest.enqueue(digest.pk, portal)
    call_command("db_worker", "--backend", "newsletter", "--batch", "--no-startup-delay")
    mail = smtp_server.wait_for(2)[1]
    assert mail["Subject"] == "BaltMet Inno news"
    latest = NewsPage.objects.live().order_by("-date", "-pk").first()
    assert latest.title in mail.get_content()

    page.goto(link_in(mail, "/newsletter/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert not Subscriber.objects.exists()
