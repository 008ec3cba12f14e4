"""Limits on logins, password resets and page passwords, through real requests
(baltmet/throttles.py): past a limit, 429 with Retry-After, and nothing is sent or checked."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import PageViewRestriction

from baltmet import throttles
from news.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def assert_throttled(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    assert "Too many attempts" in response.content.decode()


def test_one_address_spraying_passwords_over_many_usernames_is_stopped(client, site_tree):
    limit = throttles.LOGINS_PER_ADDRESS.requests
    for number in range(limit):
        response = client.post(
            "/admin/login/", {"username": f"user{number}", "password": "guess-123456"}
        )
        assert response.status_code == 200, number  # the form again, with its error

    assert_throttled(client.post("/admin/login/", {"username": "another", "password": "x"}))
    # Another address is not concerned.
    other = client.post(
        "/admin/login/", {"username": "another", "password": "x"}, REMOTE_ADDR="192.0.2.50"
    )
    assert other.status_code == 200


def test_reset_links_are_mailed_a_few_times_an_hour_at_most(client, site_tree, django_user_model):
    django_user_model.objects.create_user("editor", email="editor@example.org", password="x" * 16)
    statuses = [
        client.post(
            "/admin/password_reset/", {"email": "Editor@example.org"}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(10)
    ]

    assert statuses[: throttles.RESETS_PER_ACCOUNT.requests] == [302] * 3
    assert set(statuses[3:]) == {429}
    assert len(mail.outbox) == throttles.RESETS_PER_ACCOUNT.requests


def test_one_address_asking_for_many_accounts_is_stopped(client, site_tree):
    for number in range(throttles.RESETS_PER_ADDRESS.requests):
        response = client.post("/admin/password_reset/", {"email": f"someone{number}@example.org"})
        assert response.status_code == 302
    assert_throttled(client.post("/admin/password_reset/", {"email": "one.more@example.org"}))


def test_an_ipv6_client_counts_as_its_64_network(client, site_tree):
    for number in range(throttles.RESETS_PER_ADDRESS.requests):
        response = client.post(
            "/admin/password_reset/",
            {"email": f"someone{number}@example.org"},
            REMOTE_ADDR=f"2001:db8:1:2::{number + 1:x}",
        )
        assert response.status_code == 302
    assert_throttled(
        client.post(
            "/admin/password_reset/", {"email": "x@example.org"}, REMOTE_ADDR="2001:db8:1:2::ff"
        )
    )
    other_network = client.post(
        "/admin/password_reset/", {"email": "x@example.org"}, REMOTE_ADDR="2001:db8:1:3::1"
    )
    assert other_network.status_code == 302


def test_posts_that_fail_the_csrf_check_count_against_nobody(site_tree):
    """A page elsewhere posting through visitors' browsers cannot spend their allowance."""
    forged = Client(enforce_csrf_checks=True)
    for _ in range(throttles.RESETS_PER_ADDRESS.requests + 5):
        assert forged.post("/admin/password_reset/", {"email": "a@example.org"}).status_code == 403
    genuine = Client()
    assert genuine.post("/admin/password_reset/", {"email": "a@example.org"}).status_code == 302


def test_guesses_at_a_page_password_are_limited(client, site_tree):
    page = NewsPageFactory(parent=site_tree.news)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="the-right-one"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"

    for number in range(throttles.PAGE_PASSWORDS_PER_ADDRESS.requests):
        # "01" and "001" are the same restriction to Wagtail, and to the limit.
        same = url.replace(f"/{restriction.pk}/", f"/{'0' * number}{restriction.pk}/")
        response = client.post(same, {"password": "wrong", "return_url": page.url})
        assert response.status_code == 200  # the password form again
    # Even the right password is not checked until the wait is over.
    assert_throttled(client.post(url, {"password": "the-right-one", "return_url": page.url}))
    assert 'name="password"' in client.get(page.url).content.decode(), "still locked"


def test_without_a_cache_nothing_is_throttled(client, site_tree, settings):
    """A Redis outage must not lock everybody out: the counters count nothing. (The cache
    is configured as in production, at an address where no Redis listens.)"""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.1,
                "SOCKET_TIMEOUT": 0.1,
            },
        }
    }
    for _ in range(throttles.RESETS_PER_ADDRESS.requests + 2):
        assert client.post("/admin/password_reset/", {"email": "a@example.org"}).status_code == 302


def invite(client, world, email):
    return client.post(
        "/admin/invite-editor/",
        {"email": email, "first_name": "", "last_name": "", "organisation": world.riga.pk},
    )


def test_invitations_are_limited_per_address_invited_and_per_administrator(world):
    from tests.helpers import log_in

    # Posts of those who may not invite count against nobody.
    partner = Client()
    log_in(partner, world.editor)
    for _ in range(throttles.INVITATIONS_PER_ADDRESS.requests + 1):
        assert invite(partner, world, "ilze@example.org").status_code != 429
        assert invite(Client(), world, "ilze@example.org").status_code != 429
    assert not mail.outbox
    administrator = Client()
    log_in(administrator, world.administrator)
    for _ in range(throttles.INVITATIONS_PER_ADDRESS.requests):
        assert invite(administrator, world, "ilze@example.org").status_code == 302
    sent = len(mail.outbox)

    response = invite(administrator, world, "ILZE@example.org ")
    assert response.status_code == 429 and int(response["Retry-After"]) <= 24 * 60 * 60
    assert len(mail.outbox) == sent, "no invitation mailed past the limit"

    # The administrator's own limit counts every post, the refused one too.
    posted = sent + 1
    for number in range(throttles.INVITATIONS_PER_USER.requests - posted):
        assert invite(administrator, world, f"editor{number}@example.org").status_code == 302
    assert invite(administrator, world, "one-more@example.org").status_code == 429
    assert len(mail.outbox) == throttles.INVITATIONS_PER_USER.requests - 1
