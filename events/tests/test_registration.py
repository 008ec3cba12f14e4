"""Registering for an event through real requests, with the mails read from a real SMTP
server: places, the waiting list, cancelling, bad input, concurrency and retention."""

import datetime as dt
import io
import re
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baltmet.spam_guard import issue_token
from events import registration as rules
from events.factories import EventPageFactory
from events.models import Registration, RegistrationStatus
from events.registration_views import REGISTRATION_POSTS_PER_ADDRESS

LINK = re.compile(r"http://testserver(/events/registration/[^\s]+/)")


def open_event(places=2, **fields):
    return EventPageFactory(
        registration_places=places,
        registration_closes_on=timezone.localdate() + dt.timedelta(days=20),
        **fields,
    )


def form_data(email="anna@example.org", **changes):
    data = {
        "name": "Anna Visitor",
        "email": email,
        "organisation": "A university",
        "consent": "on",
        "leave_empty": "",
        "issued": issue_token(time.time() - 30),
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


def register(client, event, email, capture, **changes):
    with capture(execute=True):
        response = client.post(reverse("event_register", args=[event.pk]), form_data(email))
    return response


def link_in(mail) -> str:
    found = LINK.search(mail.get_content())
    assert found, mail.get_content()
    return found.group(1)


@pytest.mark.django_db
class TestRegistering:
    def test_the_event_page_offers_registration_only_while_it_is_open(self, client, site_tree):
        event = open_event()
        closed = EventPageFactory()
        register_url = reverse("event_register", args=[event.pk])

        assert register_url in client.get(event.url).content.decode()
        assert "/register/" not in client.get(closed.url).content.decode()
        response = client.get(reverse("event_register", args=[closed.pk]))
        assert "Registration for this event is closed." in response.content.decode()

    def test_register_confirm_and_cancel_with_the_links_in_the_mails(
        self, client, site_tree, smtp_server, django_capture_on_commit_callbacks
    ):
        event = open_event(places=1)
        capture = django_capture_on_commit_callbacks

        response = register(client, event, "anna@example.org", capture)
        assert response.status_code == 302
        registration = Registration.objects.get()
        assert registration.status == RegistrationStatus.PENDING
        [mail] = smtp_server.wait_for(1)
        assert mail["To"] == "anna@example.org"
        assert "Please confirm your registration" in mail["Subject"]
        link = link_in(mail)

        assert "Confirm my registration" in client.get(link).content.decode()
        with capture(execute=True):
            assert client.post(link, {"action": "confirm"}).status_code == 302
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.REGISTERED
        mails = smtp_server.wait_for(2)
        assert "You are registered" in mails[1]["Subject"]
        assert link_in(mails[1]) == link  # one link for the registration's whole life
        assert "You have a place." in client.get(link).content.decode()

        response = client.post(link, {"action": "cancel"})
        assert "Registration cancelled" in response.content.decode()
        assert Registration.objects.count() == 0
        assert client.get(link).status_code == 404

    def test_past_the_places_the_waiting_list_moves_up_on_cancelling(
        self, client, site_tree, smtp_server, django_capture_on_commit_callbacks
    ):
        event = open_event(places=1)
        capture = django_capture_on_commit_callbacks
        links = {}
        for count, email in enumerate(["first@example.org", "second@example.org"], start=1):
            register(client, event, email, capture)
            links[email] = link_in(smtp_server.wait_for(2 * count - 1)[-1])
            with capture(execute=True):
                client.post(links[email], {"action": "confirm"})
            smtp_server.wait_for(2 * count)

        second = Registration.objects.get(email="second@example.org")
        assert second.status == RegistrationStatus.WAITING
        assert "waiting list, number 1" in client.get(links["second@example.org"]).content.decode()
        assert "waiting list" in smtp_server.received[-1]["Subject"]

        with capture(execute=True):
            client.post(links["first@example.org"], {"action": "cancel"})

        second.refresh_from_db()
        assert second.status == RegistrationStatus.REGISTERED
        told = smtp_server.wait_for(5)[-1]
        assert told["To"] == "second@example.org"
        assert "A place has become free" in told["Subject"]
        assert link_in(told) == links["second@example.org"]

    def test_registering_an_address_again_sends_its_link_again_and_adds_nothing(
        self, client, site_tree, smtp_server, django_capture_on_commit_callbacks
    ):
        event = open_event()
        register(client, event, "anna@example.org", django_capture_on_commit_callbacks)
        response = register(client, event, "ANNA@example.org", django_capture_on_commit_callbacks)

        assert response.status_code == 302
        assert Registration.objects.count() == 1
        first, second = smtp_server.wait_for(2)
        assert link_in(first) == link_in(second)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"name": ""}, "name"),
            ({"email": "no-address"}, "email"),
            ({"consent": None}, "consent"),
            ({"organisation": "Line\nBreak"}, "organisation"),
            ({"name": "x" * 121}, "name"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_stores_nothing(
        self, client, site_tree, changes, field
    ):
        event = open_event()
        data = {**form_data(), **changes}
        data = {key: value for key, value in data.items() if value is not None}

        response = client.post(reverse("event_register", args=[event.pk]), data)

        assert response.status_code == 400
        assert f'href="#id_{field}"' in response.content.decode()
        assert Registration.objects.count() == 0

    def test_the_spam_guard_and_the_limit_apply(self, client, site_tree):
        event = open_event()
        url = reverse("event_register", args=[event.pk])

        refused = client.post(url, form_data(leave_empty="x"))
        assert refused.status_code == 400
        assert "hidden field was filled in" in refused.content.decode()
        for _ in range(REGISTRATION_POSTS_PER_ADDRESS.requests - 1):
            client.post(url, form_data(name=""))
        assert client.post(url, form_data()).status_code == 429
        assert Registration.objects.count() == 0

    def test_a_closed_registration_takes_nobody(self, client, site_tree):
        event = EventPageFactory()
        response = client.post(reverse("event_register", args=[event.pk]), form_data())
        assert response.status_code == 400
        assert Registration.objects.count() == 0

    @pytest.mark.parametrize("token", ["nonsense", "eyJyIjoxfQ:forged", "a" * 300])
    def test_a_bad_link_is_a_clear_404(self, client, site_tree, token):
        open_event()
        response = client.get(reverse("event_registration", args=[token]))
        assert response.status_code == 404
        assert "No such registration" in response.content.decode()
        assert client.post(reverse("event_registration", args=[token]), {}).status_code == 404

    @pytest.mark.parametrize("page_id", [0, 999999, 2**40])
    def test_an_unknown_event_is_404(self, client, site_tree, page_id):
        assert client.get(f"/events/{page_id}/register/").status_code == 404

    def test_the_event_editor_refuses_registration_without_a_last_day(self, site_tree):
        event = EventPageFactory.build(registration_places=10)
        with pytest.raises(Exception, match="last day to register"):
            event.clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_confirmations_never_give_more_places_than_there_are(site_tree):
    """Eight visitors confirm at the same moment, each in a request of their own (a thread
    with its own database connection) for an event with three places."""
    event = open_event(places=3)
    pending = [
        Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org")
        for n in range(8)
    ]
    start = threading.Barrier(len(pending))
    statuses = []

    def confirm(registration):
        client = Client()
        start.wait()
        response = client.post(
            reverse("event_registration", args=[rules.token_for(registration)]),
            {"action": "confirm"},
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 8
    counts = {
        status: Registration.objects.filter(status=status).count()
        for status in RegistrationStatus.values
    }
    assert counts == {"registered": 3, "waiting": 5, "pending": 0}


@pytest.mark.django_db
def test_the_retention_command_deletes_what_it_should_and_nothing_else(site_tree, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 30
    today = timezone.localdate()
    long_ago = EventPageFactory(start_date=today - dt.timedelta(days=40))
    recently = EventPageFactory(start_date=today - dt.timedelta(days=10))
    coming = open_event()
    now = timezone.now()

    def add(event, email, **fields):
        return Registration.objects.create(event=event, name="N", email=email, **fields)

    add(long_ago, "old@example.org", status=RegistrationStatus.REGISTERED, confirmed_at=now)
    kept = [
        add(recently, "recent@example.org", status=RegistrationStatus.REGISTERED),
        add(coming, "new-pending@example.org", created_at=now - dt.timedelta(days=1)),
        add(coming, "waiting@example.org", status=RegistrationStatus.WAITING, confirmed_at=now),
    ]
    add(coming, "stale-pending@example.org", created_at=now - dt.timedelta(days=3))
    out = io.StringIO()

    call_command("delete_expired_personal_data", stdout=out)

    assert set(Registration.objects.all()) == set(kept)
    assert "Event registration: 2 deleted" in out.getvalue()


@pytest.mark.django_db
def test_places_an_editor_adds_go_to_the_waiting_list(
    site_tree, smtp_server, django_capture_on_commit_callbacks
):
    event = open_event(places=1)
    now = timezone.now()
    Registration.objects.create(
        event=event, name="A", email="a@example.org", status="registered", confirmed_at=now
    )
    waiting = [
        Registration.objects.create(
            event=event,
            name=name,
            email=f"{name}@example.org",
            status="waiting",
            confirmed_at=now + dt.timedelta(seconds=n),
        )
        for n, name in enumerate(["b", "c", "d"], start=1)
    ]
    event.registration_places = 3

    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["registered", "registered", "waiting"]
    told = smtp_server.wait_for(2)
    assert sorted(mail["To"] for mail in told) == ["b@example.org", "c@example.org"]
    assert all("A place has become free" in mail["Subject"] for mail in told)
