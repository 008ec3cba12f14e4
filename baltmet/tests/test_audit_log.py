"""Admin actions land in Wagtail's audit log, and moderators can read it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.helpers import create_news, log_in

pytestmark = pytest.mark.django_db


def test_page_actions_are_logged_and_moderators_read_them(client, world):
    editor = Client()
    log_in(editor, world.editor)
    page = create_news(editor, world, "Logged item", **{"action-submit": "submit"})

    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
    assert ("wagtail.create", "riga-editor") in actions
    assert ("wagtail.workflow.start", "riga-editor") in actions

    log_in(client, world.moderator)
    history = client.get("/admin/reports/site-history/")
    assert history.status_code == 200
    assert "Logged item" in history.content.decode()


def test_user_management_is_logged(client, world):
    log_in(client, world.administrator)

    response = client.post(
        "/admin/users/new/",
        {
            "username": "new-editor",
            "email": "new-editor@example.org",
            "first_name": "New",
            "last_name": "Editor",
            "password1": "a-long-password-for-tests",
            "password2": "a-long-password-for-tests",
            "groups": [world.riga.access.group.pk],
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(username="new-editor")
    entry = ModelLogEntry.objects.get(object_id=str(user.pk), action="wagtail.create")
    assert entry.user == world.administrator
