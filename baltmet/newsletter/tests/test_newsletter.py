"""The newsletter through real requests, with the mails read from a real SMTP server and the
digest sent by the real worker of the database task backend."""

import datetime as dt
import io
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from baltmet.newsletter.models import Digest, Subscriber, SubscriberStatus
from baltmet.newsletter.subscriptions import token_for
from baltmet.newsletter.views import SUBSCRIBE_POSTS_PER_ADDRESS
from baltmet.spam_guard import issue_token
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/newsletter/(confirm|unsubscribe)/[^\s]+/)")


def form_data(**changes):
    data = {
        "email": "reader@example.org",
        "consent": "on",
        "leave_empty": "",
        "issued": issue_token(time.time() - 30),
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


def links_in(mail) -> dict[str, str]:
    """The confirm and unsubscribe links in the mail's text and its List-Unsubscribe."""
    text = mail.get_content() + " " + mail["List-Unsubscribe"].strip().strip("<>") + " "
    return {kind: path for path, kind in LINK.findall(text)}


def run_the_newsletter_worker():
    call_command(
        "db_worker", "--backend", "newsletter", "--batch", "--no-startup-delay", verbosity=0
    )


def confirmed(email="reader@example.org", language="en"):
    return Subscriber.objects.create(
        email=email, language=language, status=SubscriberStatus.CONFIRMED
    )


def test_subscribe_confirm_and_unsubscribe_with_the_links_in_the_mails(
    client, site_tree, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter_subscribe"), form_data())
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    [mail] = smtp_server.wait_for(1)
    assert "Please confirm your subscription" in mail["Subject"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = links_in(mail)

    page = client.get(links["confirm"])
    assert "Confirm my subscription" in page.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING  # a GET changes nothing
    client.post(links["confirm"])
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    assert "You are subscribed" in client.get(links["confirm"]).content.decode()

    assert client.get(links["unsubscribe"]).status_code == 200
    assert "You are unsubscribed" in client.post(links["unsubscribe"]).content.decode()
    assert Subscriber.objects.count() == 0
    assert client.get(links["unsubscribe"]).status_code == 404


def test_one_click_unsubscribe_from_a_mail_program_needs_no_csrf_token(site_tree):
    from django.test import Client

    subscriber = confirmed()
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter_unsubscribe", args=[token_for(subscriber)])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Subscriber.objects.count() == 0


def test_subscribing_again_changes_nothing_and_tells_nobody(
    client, site_tree, smtp_server, django_capture_on_commit_callbacks
):
    confirmed()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter_subscribe"), form_data())

    assert response["Location"] == reverse("newsletter_sent")
    [mail] = smtp_server.wait_for(1)
    assert "subscribed already" in mail.get_content()
    assert "unsubscribe" in links_in(mail)
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"email": "nope"}, "email"), ({"email": None}, "email"), ({"consent": None}, "consent")],
)
def test_bad_input_is_refused_with_a_message(client, site_tree, changes, field):
    response = client.post(reverse("newsletter_subscribe"), form_data(**changes))
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_the_spam_guard_and_the_limit_apply(client, site_tree):
    url = reverse("newsletter_subscribe")
    assert client.post(url, form_data(issued=issue_token())).status_code == 400
    for _ in range(SUBSCRIBE_POSTS_PER_ADDRESS.requests - 1):
        client.post(url, form_data(email="bad"))
    assert client.post(url, form_data()).status_code == 429
    assert Subscriber.objects.count() == 0


@pytest.mark.parametrize("token", ["x", "eyJzIjoxfQ:bad", "a" * 400])
def test_a_bad_link_is_a_clear_404(client, site_tree, token):
    confirmed()
    for name in ("newsletter_confirm", "newsletter_unsubscribe"):
        url = reverse(name, args=[token])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_previews_and_sends_a_digest_through_the_worker(client, world, smtp_server):
    news = NewsPageFactory(title="Riga hosts the partners", date=timezone.localdate())
    event = EventPageFactory(title="Innovation seminar in Helsinki")
    old_news = NewsPageFactory(
        title="An old item", date=timezone.localdate() - dt.timedelta(days=400)
    )
    readers = [confirmed("a@example.org"), confirmed("b@example.org", language="de")]
    Subscriber.objects.create(email="pending@example.org", language="en")
    log_in(client, world.moderator)

    client.post(
        reverse("newsletter_digests:add"),
        {
            "subject": "BaltMet Inno in December",
            "intro": "What happened and what comes.",
            "news_since": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
            "events_until": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        },
    )
    digest = Digest.objects.get()
    preview = client.get(reverse("newsletter_digests:inspect", args=[digest.pk]))
    html = preview.content.decode()
    assert news.title in html and event.title in html and old_news.title not in html
    assert "2 confirmed subscribers" in html

    client.post(reverse("newsletter_send_digest", args=[digest.pk]))
    digest.refresh_from_db()
    assert digest.queued_at is not None and digest.sent_at is None
    assert smtp_server.received == []  # nothing is sent inside the request

    run_the_newsletter_worker()

    mails = smtp_server.wait_for(2)
    assert sorted(mail["To"] for mail in mails) == ["a@example.org", "b@example.org"]
    for mail in mails:
        assert mail["Subject"] == "BaltMet Inno in December"
        assert news.title in mail.get_content() and event.title in mail.get_content()
        assert mail["List-Unsubscribe"].strip().startswith("<http://testserver/")
    german = next(mail for mail in mails if mail["To"] == "b@example.org")
    assert "/de/newsletter/unsubscribe/" in german["List-Unsubscribe"]
    digest.refresh_from_db()
    assert digest.recipients == 2 and digest.sent_at is not None
    readers_now = Subscriber.objects.filter(pk__in=[reader.pk for reader in readers])
    assert {reader.last_digest_id for reader in readers_now} == {digest.pk}

    # Sent once: a second send is refused, and the digest can no longer be changed.
    client.post(reverse("newsletter_send_digest", args=[digest.pk]))
    run_the_newsletter_worker()
    assert len(smtp_server.received) == 2
    edit = client.post(reverse("newsletter_digests:edit", args=[digest.pk]), {"subject": "Changed"})
    assert edit.status_code in (302, 403)
    digest.refresh_from_db()
    assert digest.subject == "BaltMet Inno in December"


def test_partner_editors_neither_see_nor_send_digests(client, world):
    digest = Digest.objects.create(subject="Draft")
    log_in(client, world.editor)

    assert client.get(reverse("newsletter_digests:index")).status_code in (302, 403)
    client.post(reverse("newsletter_send_digest", args=[digest.pk]))

    digest.refresh_from_db()
    assert digest.queued_at is None


def test_the_retention_command_deletes_unconfirmed_addresses_only(site_tree, settings):
    settings.UNCONFIRMED_ADDRESS_DAYS = 2
    now = timezone.now()
    kept = [
        confirmed("old-but-confirmed@example.org"),
        Subscriber.objects.create(
            email="fresh@example.org", language="en", created_at=now - dt.timedelta(days=1)
        ),
    ]
    Subscriber.objects.filter(pk=kept[0].pk).update(created_at=now - dt.timedelta(days=900))
    Subscriber.objects.create(
        email="stale@example.org", language="en", created_at=now - dt.timedelta(days=3)
    )
    out = io.StringIO()

    call_command("delete_expired_personal_data", stdout=out)

    assert set(Subscriber.objects.all()) == set(kept)
    assert "Newsletter: 1 deleted" in out.getvalue()
