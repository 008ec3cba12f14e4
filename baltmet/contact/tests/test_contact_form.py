"""The contact forms through real requests: what is stored, what is mailed (to a real SMTP
server on a loopback port), and what is refused."""

import time

import pytest
from django.core.management import call_command

from baltmet.contact.factories import ContactPageFactory
from baltmet.contact.models import CONTACT_POSTS_PER_ADDRESS, ContactMessage
from baltmet.models import SiteSettings
from baltmet.spam_guard import MAX_SECONDS, issue_token
from partners.factories import OrganisationContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_page(world):
    return ContactPageFactory(parent=world.riga.get_parent().get_parent().get_parent())


def organisation_url(contact_page, organisation):
    return f"{contact_page.url}{organisation.get_parent().slug}/{organisation.slug}/"


def valid_data(**changes):
    data = {
        "name": "Anna Visitor",
        "email": "anna@example.org",
        "sender_organisation": "A university",
        "subject": "Joining a workshop",
        "message": "Could our university join the next workshop on innovation?",
        "consent": "on",
        "leave_empty": "",
        "issued": issue_token(time.time() - 30),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_is_served_with_its_fields_and_a_hidden_honeypot(client, contact_page):
    response = client.get(contact_page.url)
    html = response.content.decode()

    assert response.status_code == 200
    for name in ("name", "email", "sender_organisation", "subject", "message", "consent"):
        assert f'name="{name}"' in html
    assert '<div class="form-honeypot" hidden>' in html
    assert 'autocomplete="email"' in html
    # A form with a CSRF token and a fresh time stamp is never served from the page cache.
    assert response["X-Cache"] != "HIT"
    assert client.get(contact_page.url)["X-Cache"] != "HIT"


def test_a_message_to_an_organisation_is_stored_and_mailed_to_its_contact_person(
    client, contact_page, world, smtp_server, django_capture_on_commit_callbacks
):
    contact = world.riga.contacts.get()
    url = organisation_url(contact_page, world.riga)
    assert world.riga.title in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, valid_data())

    assert response.status_code == 302
    assert response["Location"] == url + "sent/"
    assert "Thank you" in client.get(response["Location"]).content.decode()
    message = ContactMessage.objects.get()
    assert message.organisation == world.riga
    assert (message.name, message.email) == ("Anna Visitor", "anna@example.org")
    assert message.delivered_to == contact.email
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == contact.email
    assert mail["Reply-To"] == "Anna Visitor <anna@example.org>"
    assert mail["Subject"] == "[BaltMet Inno] Joining a workshop"
    body = mail.get_content()
    assert "Could our university join the next workshop on innovation?" in body
    assert "A university" in body


def test_the_first_contact_person_with_an_address_receives_it(
    client, contact_page, world, smtp_server, django_capture_on_commit_callbacks
):
    first = world.helsinki.contacts.get()
    first.email = ""
    first.save()
    second = OrganisationContactFactory(page=world.helsinki, email="second@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(organisation_url(contact_page, world.helsinki), valid_data())

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == second.email


def test_a_message_to_the_network_is_kept_unmailed_until_the_site_has_an_address(
    client, contact_page, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(contact_page.url, valid_data()).status_code == 302
    assert ContactMessage.objects.get().delivered_to == ""
    assert smtp_server.received == []

    site_settings = SiteSettings.objects.get()
    site_settings.contact_email = "network@example.org"
    site_settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact_page.url, valid_data(subject="Second"))

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "network@example.org"
    assert ContactMessage.objects.get(subject="Second").organisation is None


def test_a_mail_server_that_is_down_loses_no_message(
    client, contact_page, world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(organisation_url(contact_page, world.riga), valid_data())

    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.delivered_to == ""  # the admin shows it was not mailed


BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "Anna\r\nBcc: victim@example.org"}, "name"),
    ({"email": "not-an-address"}, "email"),
    ({"email": None}, "email"),
    ({"subject": "Hello\nBcc: victim@example.org"}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"message": "Too short"}, "message"),
    ({"message": "x" * 5001}, "message"),
    ({"consent": None}, "consent"),
    ({"sender_organisation": "y" * 201}, "sender_organisation"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    client, contact_page, changes, field
):
    response = client.post(contact_page.url, valid_data(**changes))
    html = response.content.decode()

    assert response.status_code == 400
    assert ContactMessage.objects.count() == 0
    assert "The form was not sent" in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert f'aria-describedby="id_{field}-error' in html
    assert f'id="id_{field}-error"' in html
    assert "<title>Error:" in html


# Each as a function: a time stamp must be issued when the test runs.
SPAM = [
    (lambda: {"leave_empty": "http://spam.example"}, "hidden field was filled in"),
    (lambda: {"issued": issue_token(time.time())}, "within seconds of opening it"),
    (lambda: {"issued": None}, "This form has expired"),
    (lambda: {"issued": "forged:token"}, "This form has expired"),
    (lambda: {"issued": issue_token(time.time() - MAX_SECONDS - 60)}, "This form has expired"),
]


@pytest.mark.parametrize(("changes", "message"), SPAM)
def test_the_spam_guard_refuses_a_program_and_says_why(client, contact_page, changes, message):
    response = client.post(contact_page.url, valid_data(**changes()))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_a_refused_form_keeps_what_was_written_and_gets_a_new_time_stamp(client, contact_page):
    old = issue_token(time.time() - 2)  # too fast, and not the second the new one is issued
    response = client.post(contact_page.url, valid_data(issued=old))
    html = response.content.decode()

    assert "Could our university join the next workshop on innovation?" in html
    assert f'value="{old}"' not in html


def test_posts_past_the_limit_per_address_get_429_and_store_nothing(client, contact_page):
    for _ in range(CONTACT_POSTS_PER_ADDRESS.requests):
        client.post(contact_page.url, valid_data(message="short"))

    response = client.post(contact_page.url, valid_data())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    ["riga/no-such-organisation/", "helsinki/{riga}/", "{metropolis}/{riga}/extra/"],
)
def test_an_unknown_organisation_is_404(client, contact_page, world, path):
    path = path.format(riga=world.riga.slug, metropolis=world.riga.get_parent().slug)
    response = client.get(contact_page.url + path)
    assert response.status_code == 404
    assert client.post(contact_page.url + path, valid_data()).status_code == 404
    assert ContactMessage.objects.count() == 0


def test_the_network_form_lists_each_organisations_form(client, contact_page, world):
    html = client.get(contact_page.url).content.decode()

    assert f'href="{organisation_url(contact_page, world.riga)}"' in html
    assert f'href="{organisation_url(contact_page, world.helsinki)}"' in html


def test_a_draft_organisation_has_no_form(client, contact_page, world):
    world.riga.unpublish()
    assert client.get(organisation_url(contact_page, world.riga)).status_code == 404


def test_the_seed_content_has_a_contact_page(client):
    call_command("load_seed_content", verbosity=0)
    response = client.get("/contact/")
    assert response.status_code == 200
    assert "Write to one partner organisation" in response.content.decode()
