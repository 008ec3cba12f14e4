"""No lost update (baltmet/edit_conflicts.py), through real requests to the admin's edit view.

Two people open the same page, each in a client of their own as in two browsers; the first
saves; the second's post, made from the form as it was loaded (with the hidden inputs
`loaded_revision_id` and `loaded_revision_created_at` the edit form carries), is refused
whatever its action, and the first one's change is kept.
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from baltmet.edit_conflicts import ConflictCheckingPageForm
from tests.helpers import log_in, organisation_form

pytestmark = pytest.mark.django_db

FIRST_INTRO = "The first editor's intro."
SECOND_WEBSITE = "https://second.example.org/"


def open_editor(user, page, url=None) -> tuple[Client, dict]:
    """Log `user` in on a client of their own and open the page's editor (or `url`), as a
    browser would; returns the client and the hidden inputs every save posts back."""
    client = Client()
    log_in(client, user)
    response = client.get(url or edit_url(page))
    assert response.status_code == 200
    return client, loaded_revision(response)


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def loaded_revision(response) -> dict:
    form = BeautifulSoup(response.content, "html.parser").select_one("form#page-edit-form")
    return {
        name: form.select_one(f"input[name='{name}']")["value"]
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


def latest(page):
    """The page as its latest revision has it, read afresh from the database."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def state(page) -> tuple:
    """What a refused post must leave as it was: revisions, live version, workflow."""
    page = Page.objects.get(pk=page.pk)
    return (
        page.revisions.count(),
        page.live_revision_id,
        page.workflow_states.count(),
        page.current_workflow_task_state and page.current_workflow_task_state.status,
    )


def second_form(page) -> dict:
    """The second person's change: the website, in a form loaded before the first save."""
    return {**organisation_form(page, page.intro), "website": SECOND_WEBSITE}


@pytest.fixture
def team(world, django_user_model):
    """The `world`, with the City of Riga's page as the seed loader leaves it (published, with a
    revision) and a `colleague`: a second editor of the City of Riga."""
    world.riga.save_revision().publish()
    colleague = django_user_model.objects.create_user(
        "riga-colleague", email="riga-colleague@example.org", password="a-long-password-1"
    )
    colleague.groups.add(world.riga.access.group)
    return SimpleNamespace(**vars(world), colleague=colleague)


def first_saves(world, loaded) -> None:
    """The Riga editor, whose form was `loaded` earlier, saves a new intro."""
    client = Client()
    log_in(client, world.editor)
    form = {**organisation_form(world.riga, FIRST_INTRO), **loaded}
    assert client.post(edit_url(world.riga), form).status_code == 302
    assert latest(world.riga).intro == FIRST_INTRO


@pytest.fixture
def clock():
    """A clock that starts at 12:05 UTC, 14:05 in Helsinki, the portal's time zone."""
    with time_machine.travel(datetime(2026, 3, 2, 12, 5, tzinfo=UTC), tick=True) as traveller:
        yield traveller


def test_the_second_of_two_saves_from_the_same_version_is_refused_with_a_comparison(clock, team):
    page = team.riga
    _, first_loaded = open_editor(team.editor, page)
    second, second_loaded = open_editor(team.colleague, page)
    first_saves(team, first_loaded)
    before = state(page)

    response = second.post(edit_url(page), {**second_form(page), **second_loaded})

    assert state(page) == before, "nothing saved"
    assert latest(page).intro == FIRST_INTRO
    assert latest(page).website != SECOND_WEBSITE
    # The editor sees the form again, with what they typed and a message saying why.
    assert response.status_code == 200
    html = response.content.decode()
    assert "riga-editor saved this page at 14:05, after you opened it." in html
    assert "Your changes were not saved" in html
    assert "Saving again replaces the newer version" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("input[name='website']")["value"] == SECOND_WEBSITE
    opened = second_loaded["loaded_revision_id"]
    newer = Page.objects.get(pk=page.pk).latest_revision_id
    compare = f"/admin/pages/{page.pk}/revisions/compare/{opened}...{newer}/"
    assert soup.select_one(f"a[href='{compare}']").get_text(strip=True) == "Compare versions"
    assert soup.select_one(f"a[href='{edit_url(page)}']").get_text(strip=True) == "Reload the page"
    # The link works for a partner editor and shows the other person's change.
    comparison = second.get(compare)
    assert comparison.status_code == 200
    assert FIRST_INTRO in BeautifulSoup(comparison.content, "html.parser").get_text()


def the_moderator_approves(world):
    """The Riga editor submits the page; the moderator opens it; an administrator saves a
    change (administrators may edit during moderation); the moderator approves from the
    form they opened."""
    editor, loaded = open_editor(world.editor, world.riga)
    form = {**organisation_form(world.riga, world.riga.intro), **loaded, "action-submit": "1"}
    assert editor.post(edit_url(world.riga), form).status_code == 302
    assert Page.objects.get(pk=world.riga.pk).workflow_in_progress
    moderator, moderator_loaded = open_editor(world.moderator, world.riga)
    administrator, administrator_loaded = open_editor(world.administrator, world.riga)
    form = {**organisation_form(world.riga, FIRST_INTRO), **administrator_loaded}
    assert administrator.post(edit_url(world.riga), form).status_code == 302
    approve = {"action-workflow-action": "1", "workflow-action-name": "approve"}
    form = {**second_form(world.riga), **moderator_loaded, **approve}
    return moderator, edit_url(world.riga), form


def action_from_a_stale_form(who, action=None, revert=False):
    """The second person opens the editor (or an old revision's revert view), the Riga
    editor saves, then the second person posts `action`."""

    def act(world):
        old_revision = world.riga.get_latest_revision()
        url = f"/admin/pages/{world.riga.pk}/revisions/{old_revision.pk}/revert/"
        url = url if revert else edit_url(world.riga)
        client, loaded = open_editor(getattr(world, who), world.riga, url)
        _, first_loaded = open_editor(world.editor, world.riga)
        first_saves(world, first_loaded)
        return client, url, {**second_form(world.riga), **loaded, **(action or {})}

    return act


ACTIONS = {
    "save a draft": action_from_a_stale_form("colleague"),
    "submit for moderation": action_from_a_stale_form("colleague", {"action-submit": "1"}),
    "publish": action_from_a_stale_form("moderator", {"action-publish": "1"}),
    "revert to an earlier revision": action_from_a_stale_form("colleague", revert=True),
    "approve in the moderation workflow": the_moderator_approves,
}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_of_the_edit_view_is_refused_from_a_stale_form(team, action):
    client, url, form = ACTIONS[action](team)
    before = state(team.riga)

    response = client.post(url, form)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert state(team.riga) == before, "nothing saved, published, submitted or approved"
    assert latest(team.riga).intro == FIRST_INTRO


def test_saving_again_after_the_refusal_knowingly_replaces_the_newer_version(team):
    page = team.riga
    _, first_loaded = open_editor(team.editor, page)
    second, second_loaded = open_editor(team.colleague, page)
    first_saves(team, first_loaded)
    refused = second.post(edit_url(page), {**second_form(page), **second_loaded})
    assert refused.status_code == 200

    # The form shown with the message now carries the latest revision.
    response = second.post(edit_url(page), {**second_form(page), **loaded_revision(refused)})

    assert response.status_code == 302
    assert latest(page).website == SECOND_WEBSITE
    assert latest(page).intro == page.intro, "the second person chose their own version"


def test_after_reloading_the_page_both_changes_are_kept(team):
    page = team.riga
    _, first_loaded = open_editor(team.editor, page)
    second, second_loaded = open_editor(team.colleague, page)
    first_saves(team, first_loaded)
    assert second.post(edit_url(page), {**second_form(page), **second_loaded}).status_code == 200

    _, reloaded = open_editor(team.colleague, page)
    form = {**organisation_form(latest(page), FIRST_INTRO), "website": SECOND_WEBSITE}
    response = second.post(edit_url(page), {**form, **reloaded})

    assert response.status_code == 302
    assert (latest(page).intro, latest(page).website) == (FIRST_INTRO, SECOND_WEBSITE)


def autosave(client, page, form):
    """What the editor's browser posts in the background while they type."""
    return client.post(edit_url(page), form, headers={"Accept": "application/json"})


def test_the_editors_own_autosaves_are_no_conflict_and_wagtail_refuses_a_stale_one(team):
    page = team.riga
    first, first_loaded = open_editor(team.editor, page)
    second, second_loaded = open_editor(team.colleague, page)

    # Autosave writes a revision, then rewrites it in place, as the browser does.
    saved = autosave(first, page, {**organisation_form(page, "Typing…"), **first_loaded})
    assert saved.json()["success"] is True
    overwrite = {"overwrite_revision_id": saved.json()["revision_id"]}
    form = {**organisation_form(page, "Typing more…"), **first_loaded, **overwrite}
    assert autosave(first, page, form).json()["revision_id"] == overwrite["overwrite_revision_id"]
    # Wagtail itself refuses the other editor's autosave from the older version...
    refused = autosave(second, page, {**second_form(page), **second_loaded})
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "invalid_revision"
    # ...and the editor's own save, which posts the revision the form was loaded from, is kept.
    form = {**organisation_form(page, FIRST_INTRO), **first_loaded}
    assert first.post(edit_url(page), form).status_code == 302
    assert latest(page).intro == FIRST_INTRO
    # The other editor's save is refused here.
    assert second.post(edit_url(page), {**second_form(page), **second_loaded}).status_code == 200
    assert latest(page).website != SECOND_WEBSITE


def test_a_revision_rewritten_by_someone_elses_autosave_after_opening_is_a_conflict(team):
    page = team.riga
    first, first_loaded = open_editor(team.editor, page)
    saved = autosave(first, page, {**organisation_form(page, "Typing…"), **first_loaded})
    # The colleague opens the page at the editor's autosaved revision...
    second, second_loaded = open_editor(team.colleague, page)
    assert second_loaded["loaded_revision_id"] == str(saved.json()["revision_id"])
    # ...which the editor's autosave then rewrites in place: same id, newer content.
    overwrite = {"overwrite_revision_id": saved.json()["revision_id"]}
    autosave(first, page, {**organisation_form(page, FIRST_INTRO), **first_loaded, **overwrite})

    response = second.post(edit_url(page), {**second_form(page), **second_loaded})

    assert response.status_code == 200
    assert latest(page).intro == FIRST_INTRO
    assert latest(page).website != SECOND_WEBSITE


def test_a_form_naming_no_revision_of_the_page_proves_nothing_and_is_refused(team):
    page = team.riga
    second, _ = open_editor(team.colleague, page)
    forged = {"loaded_revision_id": "999999999999", "loaded_revision_created_at": "soon"}

    response = second.post(edit_url(page), {**second_form(page), **forged})

    assert response.status_code == 200
    assert latest(page).website != SECOND_WEBSITE


def test_the_preview_of_a_stale_form_still_works(team):
    page = team.riga
    _, first_loaded = open_editor(team.editor, page)
    second, second_loaded = open_editor(team.colleague, page)
    first_saves(team, first_loaded)

    response = second.post(f"{edit_url(page)}preview/", {**second_form(page), **second_loaded})

    assert response.json() == {"is_valid": True, "is_available": True}


@pytest.mark.parametrize(
    "model",
    [model for model in get_page_models() if model.is_creatable],
    ids=lambda model: model.__name__,
)
def test_every_page_type_has_a_form_that_refuses_conflicts(model):
    assert issubclass(model.get_edit_handler().get_form_class(), ConflictCheckingPageForm)


def test_a_page_of_another_type_is_refused_by_the_hook_itself(world, site_tree):
    """A page type whose form does not check (Wagtail's plain Page, as a fresh site's welcome
    page is) is refused with a redirect to the newer version."""
    page = site_tree.home.add_child(instance=Page(title="Plain", slug="plain"))
    page.save_revision().publish()
    first, first_loaded = open_editor(world.administrator, page)
    second, second_loaded = open_editor(world.moderator, page)

    def form(title):
        return nested_form_data({"title": title, "slug": "plain", "comments": inline_formset([])})

    assert first.post(edit_url(page), {**form("First title"), **first_loaded}).status_code == 302

    response = second.post(edit_url(page), {**form("Second title"), **second_loaded}, follow=True)

    assert response.redirect_chain == [(edit_url(page), 302)]
    assert "administrator saved this page" in response.content.decode()
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().title == "First title"
