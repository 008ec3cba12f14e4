"""The admin carries the portal's name and emblem, and speaks the editors' languages."""

import pytest
from wagtail.users.models import UserProfile

from tests.helpers import log_in, option_values

pytestmark = pytest.mark.django_db


def test_the_login_page_names_the_portal_not_wagtail(client):
    html = client.get("/admin/login/").content.decode()

    assert "<h1>Sign in to BaltMet Inno</h1>" in html
    assert "<title>Sign in - BaltMet Inno</title>" in html
    assert "Sign in to Wagtail" not in html
    assert '<img src="/static/img/favicon.svg" alt="" width="64" height="64">' in html


def test_the_admin_shows_the_portals_emblem_and_name(client, world):
    log_in(client, world.editor)

    html = client.get("/admin/").content.decode()

    assert "- BaltMet Inno</title>" in html
    assert 'src="/static/img/favicon.svg" alt="BaltMet Inno"' in html
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_an_editor_chooses_among_the_networks_languages(client, world):
    log_in(client, world.editor)

    html = client.get("/admin/account/").content.decode()

    languages = option_values(html, "locale-preferred_language")
    assert languages[0] == ""  # "the site's default", English
    assert set(languages[1:]) == {"en", "da", "de", "et", "lv", "lt", "nb", "pl", "ru", "fi", "sv"}


def test_the_admin_speaks_the_language_an_editor_chose(client, world):
    profile = UserProfile.get_for_user(world.editor)
    profile.preferred_language = "fi"
    profile.save()
    log_in(client, world.editor)

    html = client.get("/admin/").content.decode()

    assert '<html lang="fi"' in html
