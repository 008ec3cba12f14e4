"""Administrators invite editors from the users screen; the users list says who is where."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from tests.helpers import log_in

pytestmark = pytest.mark.django_db

INVITE = "/admin/invite-editor/"


def invitation(world, email="ilze@example.org", **extra):
    return {
        "email": email,
        "first_name": "Ilze",
        "last_name": "",
        "organisation": str(world.riga.pk),
        **extra,
    }


def test_an_administrator_invites_an_editor_who_sets_a_password_and_logs_in(
    client, world, django_user_model
):
    log_in(client, world.administrator)

    response = client.post(INVITE, invitation(world), follow=True)

    assert response.redirect_chain[-1][0] == "/admin/users/"
    assert "ilze@example.org was invited as an editor for City of Riga" in response.content.decode()
    user = django_user_model.objects.get(username="ilze@example.org")
    assert [group.name for group in user.groups.all()] == ["Editors: City of Riga"]
    assert not user.has_usable_password() and not user.is_superuser
    # The site history records who invited whom, for which organisation.
    entry = ModelLogEntry.objects.get(action="baltmet.invite_editor")
    assert (entry.user, entry.object_id) == (world.administrator, str(user.pk))
    assert entry.data["organisation"] == "City of Riga"
    assert entry.message == "Invited as an editor for City of Riga"
    # The one-time link in the e-mail lets the editor in.
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", message.body)[1]
    client.logout()
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    password = "a-new-long-password-7"
    client.post(set_password_url, {"new_password1": password, "new_password2": password})
    assert client.login(username="ilze@example.org", password=password)
    assert client.get("/admin/").status_code == 200


def test_an_invitation_cannot_give_more_than_the_organisations_group(
    client, world, django_user_model
):
    """Whatever a forged form adds (groups, superuser), the editor joins one group only."""
    log_in(client, world.administrator)
    moderators = Group.objects.get(name="Moderators")

    client.post(
        INVITE,
        invitation(world, groups=[str(moderators.pk)], is_superuser="on", is_staff="on"),
    )

    user = django_user_model.objects.get(username="ilze@example.org")
    assert [group.name for group in user.groups.all()] == ["Editors: City of Riga"]
    assert not (user.is_superuser or user.is_staff)
    assert not user.user_permissions.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"organisation": "999999"}, "Select a valid choice."),
        ({"organisation": "news"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(
    client, world, django_user_model, changes, message
):
    log_in(client, world.administrator)
    users = django_user_model.objects.count()

    response = client.post(INVITE, invitation(world, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert django_user_model.objects.count() == users
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_only_administrators_may_invite(client, world, role):
    log_in(client, getattr(world, role))

    # Wagtail's admin answers a refusal by sending them to the dashboard with a message.
    for response in (client.get(INVITE), client.post(INVITE, invitation(world))):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Invite an editor" not in client.get("/admin/").content.decode()
    assert mail.outbox == []


def test_the_form_offers_the_live_organisations_and_is_in_the_settings_menu(client, world):
    log_in(client, world.administrator)

    html = client.get(INVITE).content.decode()

    options = BeautifulSoup(html, "html.parser").select('select[name="organisation"] option')
    assert [o.get_text() for o in options if o["value"]] == ["City of Helsinki", "City of Riga"]
    assert "Invite an editor" in client.get("/admin/").content.decode()  # the menu


def test_the_users_list_shows_organisation_groups_and_two_factor(client, world):
    TOTPDevice.objects.create(user=world.moderator, name="Phone", confirmed=True)
    log_in(client, world.administrator)

    page = BeautifulSoup(client.get("/admin/users/").content, "html.parser")

    table = page.find("th", string=lambda text: text and "Two-factor" in text).find_parent("table")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert {"Organisation", "Groups", "Two-factor"} <= set(headings)
    column = {name: index for index, name in enumerate(headings)}
    rows = {}
    for row in table.select("tbody tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        username = cells[column["Username"]].get_text(strip=True)
        rows[username] = {name: cells[i] for name, i in column.items() if i < len(cells)}
    editor = rows[world.editor.username]
    assert editor["Organisation"].get_text(strip=True) == "City of Riga"
    assert editor["Groups"].get_text(strip=True) == "Editors: City of Riga"
    assert rows["moderator"]["Groups"].get_text(strip=True) == "Moderators"
    # Two-factor: Wagtail's boolean column, "True" for the one with a confirmed device.
    assert "True" in str(rows["moderator"]["Two-factor"])
    assert "False" in str(editor["Two-factor"])
    assert page.select_one('a.w-header-button[href="/admin/invite-editor/"]') is not None
