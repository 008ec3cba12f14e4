"""Moderation end to end, through the admin: submit, approve or reject, notifications;
and scheduled publishing with Wagtail's periodic command."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from news.models import NewsPage
from tests.helpers import create_news, log_in, news_form

pytestmark = pytest.mark.django_db


def submit(world, title="For the moderators"):
    editor = Client()
    log_in(editor, world.editor)
    page = create_news(editor, world, title, **{"action-submit": "submit"})
    return editor, page


def decide(world, page, action, comment):
    moderator = Client()
    log_in(moderator, world.moderator)
    task_state = page.current_workflow_task_state
    response = moderator.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/", {"comment": comment}
    )
    assert response.status_code in (200, 302)
    task_state.refresh_from_db()
    return task_state


def test_submitted_approved_and_public(client, world):
    _, page = submit(world)
    assert client.get(page.url or f"{world.news_index.url}{page.slug}/").status_code == 404
    assert any(world.moderator.email in m.to for m in mail.outbox), "moderators are told"
    mail.outbox.clear()

    task_state = decide(world, page, "approve", "Fine, thank you.")

    page.refresh_from_db()
    assert task_state.status == "approved" and task_state.comment == "Fine, thank you."
    assert page.live and not page.workflow_in_progress
    assert client.get(page.url).status_code == 200
    assert any(world.editor.email in m.to for m in mail.outbox), "the editor is told"


def test_rejected_with_a_comment_back_to_the_editor(client, world):
    editor, page = submit(world)
    mail.outbox.clear()

    task_state = decide(world, page, "reject", "Please add the venue.")

    page.refresh_from_db()
    assert task_state.status == "rejected"
    assert not page.live
    assert any(world.editor.email in m.to for m in mail.outbox)
    edit_page = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Please add the venue." in edit_page
    # The editor can change the draft and submit it again.
    form = news_form(page.title, **{"action-submit": "submit"})
    editor.post(f"/admin/pages/{page.pk}/edit/", form)
    page.refresh_from_db()
    assert page.workflow_in_progress


def test_scheduled_publishing_and_expiry_by_the_periodic_command(client, world):
    moderator = Client()
    log_in(moderator, world.moderator)
    now = timezone.now()
    go_live, expire = now + dt.timedelta(days=1), now + dt.timedelta(days=3)
    form = news_form(
        "Scheduled item",
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        expire_at=timezone.localtime(expire).strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    moderator.post(f"/admin/pages/add/news/newspage/{world.news_index.pk}/", form)
    page = NewsPage.objects.get(slug="scheduled-item")
    assert not page.live

    with time_machine.travel(go_live + dt.timedelta(minutes=5), tick=False):
        call_command("publish_scheduled", verbosity=0)
        page.refresh_from_db()
        assert page.live
        assert client.get(page.url).status_code == 200

    with time_machine.travel(expire + dt.timedelta(minutes=5), tick=False):
        call_command("publish_scheduled", verbosity=0)
        page.refresh_from_db()
        assert not page.live and page.expired
