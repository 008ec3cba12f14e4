"""Security headers: a strict Content-Security-Policy on the public site, a relaxed one in the
admin, Permissions-Policy everywhere, and public templates that need nothing inline."""

import pytest
from django.test import Client
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from baltmet.factories import StandardPageFactory
from baltmet.security import PERMISSIONS_POLICY
from baltmet.seeding.loader import load_seed_content
from tests.fixtures import PAGE_FACTORIES
from tests.helpers import STRONG_KEY, inline_code, log_in, manage_in_production

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("root", password="a-long-password-1")


@pytest.fixture
def standard_page(site_tree):
    return StandardPageFactory(parent=site_tree.home, title="About the network")


# --- Public pages ---------------------------------------------------------------------------


def test_public_pages_get_a_strict_content_security_policy(client, standard_page):
    response = client.get(standard_page.url)

    assert response.status_code == 200
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/robots.txt", "/sitemap.xml", "/news/feed/rss/"]
)
def test_every_other_public_response_gets_the_strict_policy_too(client, site_tree, url):
    response = client.get(url)

    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy(response)["frame-ancestors"] == ["'none'"]


def test_the_other_security_headers(client, standard_page):
    response = client.get(standard_page.url)

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
        assert feature in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_browsers_are_told_to_upgrade_insecure_requests_where_production_asks(
    client, settings, standard_page
):
    settings.PAGE_CACHE = False  # a stored page keeps the headers it was stored with
    assert "upgrade-insecure-requests" not in policy(client.get(standard_page.url))

    settings.CSP_UPGRADE_INSECURE_REQUESTS = True

    # The middleware reads its settings once, when a new handler starts.
    assert "upgrade-insecure-requests" in policy(Client().get(standard_page.url))


def test_images_may_come_from_the_media_origins_set_for_a_bucket(client, settings, site_tree):
    settings.CSP_MEDIA_ORIGINS = ["https://media.example.org"]

    response = client.get(site_tree.home.url)

    assert policy(response)["img-src"] == ["'self'", "data:", "https://media.example.org"]


def test_production_settings_upgrade_requests_and_send_hsts():
    result = manage_in_production(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CSP_UPGRADE_INSECURE_REQUESTS, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
        SECRET_KEY=STRONG_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "31536000", "True"]


# --- The admin --------------------------------------------------------------------------------


def admin_form(page, **fields):
    return nested_form_data(
        {
            "title": page.title,
            "slug": slugify(page.title),
            "intro": "Why the network exists.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def test_the_admin_works_under_its_relaxed_policy(client, administrator, standard_page):
    log_in(client, administrator)
    urls = {
        "dashboard": "/admin/",
        "page explorer": f"/admin/pages/{standard_page.get_parent().pk}/",
        "page editor": f"/admin/pages/{standard_page.pk}/edit/",
        "image library": "/admin/images/",
        "document library": "/admin/documents/",
    }

    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        directives = policy(response)
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"], name
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"], name
        assert directives["frame-ancestors"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"], name


def test_page_previews_can_be_framed_by_the_admin_only(client, administrator, standard_page):
    log_in(client, administrator)
    url = f"/admin/pages/{standard_page.pk}/edit/preview/"

    posted = client.post(url, admin_form(standard_page, title="A title being edited"))
    shown = client.get(url)

    assert posted.json()["is_valid"] is True
    assert shown.status_code == 200
    assert "A title being edited" in shown.content.decode()
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(shown)["frame-ancestors"] == ["'self'"]


def test_the_admin_does_not_fetch_avatars_from_gravatar(client, administrator):
    log_in(client, administrator)

    html = client.get("/admin/").content.decode()

    assert "gravatar.com" not in html


# --- Public templates need nothing inline ------------------------------------------------------


@pytest.fixture
def seeded():
    load_seed_content()
    return list(Page.objects.filter(depth__gt=1).live().specific().order_by("path"))


def test_no_public_template_writes_inline_script_or_style(client, seeded):
    assert {type(page) for page in seeded} == set(PAGE_FACTORIES), "a page type is not covered"
    private = seeded[-1]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    urls = [page.url for page in seeded] + [
        "/news/?page=2",
        "/no-such-page/",  # 404.html
    ]

    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if found := inline_code(response.content.decode()):
            problems[url] = found

    assert problems == {}
    # The private page answered with the password form: it was checked too.
    assert b"password" in client.get(private.url).content.lower()


def test_the_checker_finds_what_it_looks_for():
    html = (
        '<style>p{}</style><script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:alert(1)">x</a><script type="application/ld+json">{}</script>'
        '<script src="/static/x.js"></script>'
    )

    assert len(inline_code(html)) == 5


def test_the_editors_userbar_adds_nothing_inline(client, administrator, seeded):
    log_in(client, administrator)

    html = client.get("/").content.decode()

    assert "wagtail-userbar" in html
    assert inline_code(html) == []


# --- In a real browser ----------------------------------------------------------------------
