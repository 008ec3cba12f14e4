"""The dashboard for each role, the moderator's request for changes on the edit page, and a
moderator's page menu, through real requests."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import TaskState

from baltmet.roles.dashboard import DRAFTS_SHOWN
from tests.helpers import create_news, log_in, news_form

pytestmark = pytest.mark.django_db

COMMENT = "Please add the venue.\nAnd the date of the second day."


def logged_in(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def decide(world, page, action, comment=""):
    moderator = logged_in(world.moderator)
    task_state = page.current_workflow_task_state
    response = moderator.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/", {"comment": comment}
    )
    assert response.status_code == 302  # done, back to where it was asked


def dashboard(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def section(html: str, heading: str) -> str:
    """The part of the organisation panel under `heading`, up to the next heading."""
    start = html.index(heading)
    ends = [html.find(mark, start + len(heading)) for mark in ("dashboard__heading", "</section>")]
    return html[start : min(end for end in ends if end != -1)]


def test_a_partner_editor_sees_their_organisation_and_their_work_by_where_it_stands(world):
    editor = logged_in(world.editor)
    draft = create_news(editor, world, "A draft of ours")
    waiting = create_news(editor, world, "Waiting for them", **{"action-submit": "submit"})
    sent_back = create_news(editor, world, "Sent back to us", **{"action-submit": "submit"})
    decide(world, sent_back, "reject", COMMENT)
    others = logged_in(world.other_editor)
    create_news(others, world, "Helsinki's own draft")

    html = dashboard(editor)

    assert "Your organisation: City of Riga" in html
    assert f'href="/admin/pages/{world.riga.pk}/edit/"' in html
    assert f'href="/admin/pages/add/news/newspage/{world.news_index.pk}/"' in html
    assert f'href="/admin/pages/add/events/eventpage/{world.events_index.pk}/"' in html
    changes = section(html, "Changes requested by the moderators (1)")
    assert "Sent back to us" in changes
    # The comment in full, line breaks kept, and who asked.
    assert "Please add the venue.<br>And the date of the second day." in changes
    assert "by moderator" in changes
    assert "Waiting for them" in section(html, "Waiting for moderation (1)")
    drafts = section(html, "Your drafts (")
    assert "A draft of ours" in drafts
    assert f'href="/admin/pages/{world.riga.pk}/edit/"' not in drafts  # the live page is not
    assert "Helsinki's own draft" not in html
    # Wagtail's own panel of pages in a workflow is replaced by these lists.
    assert 'id="objects-in-workflow"' not in html
    assert f'href="/admin/pages/{draft.pk}/edit/"' in drafts
    assert f'href="/admin/pages/{waiting.pk}/edit/"' not in drafts


def test_the_partner_dashboard_costs_the_same_queries_however_many_drafts(world):
    editor = logged_in(world.editor)
    create_news(editor, world, "The first draft")
    dashboard(editor)  # what the first request of a process reads once (the site)
    with CaptureQueriesContext(connection) as few:
        dashboard(editor)
    for number in range(DRAFTS_SHOWN + 2):
        create_news(editor, world, f"Draft number {number}")
    with CaptureQueriesContext(connection) as many:
        html = dashboard(editor)
    # One more: the drafts past those shown are counted.
    assert len(many) == len(few) + 1
    assert f"Your drafts ({DRAFTS_SHOWN + 3})" in html
    assert "And 3 more" in html


def test_a_moderator_sees_what_waits_oldest_first_with_a_confirmed_decision_each(world):
    editor = logged_in(world.editor)
    newer = create_news(editor, world, "Submitted later", **{"action-submit": "submit"})
    older = create_news(editor, world, "Submitted first", **{"action-submit": "submit"})
    # Created in the other order, so that the list follows the dates, not the ids.
    TaskState.objects.filter(pk=older.current_workflow_task_state.pk).update(
        started_at=newer.current_workflow_task_state.started_at - dt.timedelta(days=3)
    )

    html = dashboard(logged_in(world.moderator))

    assert "Waiting for your decision (2)" in html
    assert html.index("Submitted first") < html.index("Submitted later")
    assert "Submitted by riga-editor on" in html
    task_state = older.current_workflow_task_state
    buttons = re.findall(r"<button[^>]*data-workflow-action-url=[^>]*>", html)
    assert len(buttons) == 4  # request changes and approve, for each page
    assert all("data-launch-modal" in button for button in buttons)
    assert f"/admin/pages/workflow/action/{older.pk}/approve/{task_state.pk}/" in html
    assert "Approve and publish…" in html and "Request changes…" in html
    assert 'id="awaiting-review"' not in html  # Wagtail's panel, replaced


def test_a_decision_is_made_only_once_confirmed(world):
    editor = logged_in(world.editor)
    page = create_news(editor, world, "To be approved", **{"action-submit": "submit"})
    moderator = logged_in(world.moderator)
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{page.current_workflow_task_state.pk}/"

    dialog = moderator.get(url)  # what the dashboard's button opens

    assert dialog.status_code == 200
    dialog_html = dialog.json()["html"]
    assert 'name="comment"' in dialog_html
    assert "“To be approved” will be published on the portal at once" in dialog_html
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    moderator.post(url, {"comment": ""})  # confirmed in the dialog
    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress


def test_other_users_get_neither_panel(world):
    html = dashboard(logged_in(world.administrator))
    assert "Waiting for your decision (0)" in html  # administrators may decide too
    assert "Your organisation:" not in html
    html = dashboard(logged_in(world.editor))
    assert "Waiting for your decision" not in html


def test_the_edit_page_shows_the_moderators_request_for_changes(world):
    editor = logged_in(world.editor)
    page = create_news(editor, world, "Needs a venue", **{"action-submit": "submit"})
    edit_url = f"/admin/pages/{page.pk}/edit/"
    assert "Changes requested" not in editor.get(edit_url).content.decode()
    decide(world, page, "reject", COMMENT)

    html = editor.get(edit_url).content.decode()

    banner = html[html.index('class="portal-changes-requested"') :]
    banner = banner[: banner.index("</section>")]
    assert "Changes requested by moderator" in banner
    assert "Please add the venue.<br>And the date of the second day." in banner
    assert "“Resubmit to Moderators approval”" in banner
    assert "Resubmit to Moderators approval" in html  # the menu item the banner names
    # Resubmitted, the request is answered: the banner goes.
    editor.post(edit_url, news_form(page.title, **{"action-submit": "submit"}))
    assert "portal-changes-requested" not in editor.get(edit_url).content.decode()


def test_a_moderators_menu_on_a_page_in_moderation_offers_one_way_to_each_decision(world):
    editor = logged_in(world.editor)
    page = create_news(editor, world, "To be decided", **{"action-submit": "submit"})
    moderator = logged_in(world.moderator)

    html = moderator.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert 'name="action-publish"' not in html
    workflow_items = re.findall(r'data-workflow-action-name="(\w+)"', html)
    assert sorted(workflow_items) == ["approve", "reject"]
    assert "Approve and Publish…" in html and "Request changes…" in html
    assert "Approve with comment" not in html
    # Out of moderation, a moderator publishes directly as before.
    decide(world, page, "approve")
    html = moderator.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' in html


def test_an_editor_of_two_organisations_gets_both_and_one_list_of_their_work(world):
    world.editor.groups.add(world.helsinki.access.group)
    editor = logged_in(world.editor)
    create_news(editor, world, "A draft of ours")

    html = dashboard(editor)

    assert "Your organisations" in html
    for organisation in (world.riga, world.helsinki):
        assert f'href="/admin/pages/{organisation.pk}/edit/"' in html
    panel = html[html.index("Your organisations") :]
    panel = panel[: panel.index("</section>")]
    assert panel.count("A draft of ours") == 1
    assert "Your drafts (1)" in panel
