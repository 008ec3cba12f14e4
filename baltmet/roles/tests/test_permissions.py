"""The permission matrix, exercised through real HTTP requests to the admin and the site.

Each action is a function that tries to do something as the logged-in user and returns
whether it happened, judged by its effect (a revision saved, a page live, a file stored), not
only by the status code. The table says, for each role, whether it must be allowed.
"""

import pytest
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from baltmet.factories import ImageFactory
from baltmet.roles.groups import shared_collection
from tests.helpers import create_news, log_in, news_form, organisation_form, png

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "moderator", "administrator"]

MATRIX = [
    # action                                   anonymous editor moderator administrator
    ("open the admin",                             False, True,  True,  True),
    ("edit own organisation page",                 False, True,  True,  True),
    ("edit another organisation's page",           False, False, True,  True),
    ("create a news draft",                        False, True,  True,  True),
    ("publish directly",                           False, False, True,  True),
    ("submit for moderation",                      False, True,  True,  True),
    ("approve a submission",                       False, False, True,  True),
    ("reject a submission",                        False, False, True,  True),
    ("edit another editor's draft",                False, False, True,  True),
    ("see another editor's draft on the site",     False, False, False, False),
    ("upload into own collection",                 False, True,  True,  True),
    ("upload into another organisation's collection", False, False, True, True),
    ("manage users",                               False, False, False, True),
]  # fmt: skip


# --- Actions: each returns True if it happened -------------------------------------------


def open_the_admin(client, world):
    return client.get("/admin/").status_code == 200


def edit_organisation(page):
    def action(client, world):
        before = Revision.page_revisions.filter(object_id=str(page.pk)).count()
        client.post(f"/admin/pages/{page.pk}/edit/", organisation_form(page, "Edited."))
        return Revision.page_revisions.filter(object_id=str(page.pk)).count() == before + 1

    return action


def create_a_news_draft(client, world):
    page = create_news(client, world)
    return page is not None and not page.live


def publish_directly(client, world):
    page = create_news(client, world, "Published at once", **{"action-publish": "publish"})
    return page is not None and page.live


def submit_for_moderation(client, world):
    page = create_news(client, world, "Submitted item", **{"action-submit": "submit"})
    return page is not None and page.workflow_in_progress


def submission_by_the_editor(world):
    """A news item the editor wrote and submitted, through the admin."""
    editor_client = Client()
    log_in(editor_client, world.editor)
    page = create_news(editor_client, world, "Awaiting review", **{"action-submit": "submit"})
    assert page.workflow_in_progress
    return page


def workflow_action(name):
    def action(client, world):
        page = submission_by_the_editor(world)
        task_state = page.current_workflow_task_state
        client.post(
            f"/admin/pages/workflow/action/{page.pk}/{name}/{task_state.pk}/",
            {"comment": f"{name} from the test"},
        )
        task_state.refresh_from_db()
        return task_state.status == {"approve": "approved", "reject": "rejected"}[name]

    return action


def edit_another_editors_draft(client, world):
    helsinki_client = Client()
    log_in(helsinki_client, world.other_editor)
    draft = create_news(helsinki_client, world, "Helsinki draft")
    assert draft is not None
    form = news_form("Helsinki draft")
    form["intro"] = "Changed by someone else."
    client.post(f"/admin/pages/{draft.pk}/edit/", form)
    draft.refresh_from_db()
    return draft.get_latest_revision_as_object().intro == "Changed by someone else."


def see_another_editors_draft_on_the_site(client, world):
    helsinki_client = Client()
    log_in(helsinki_client, world.other_editor)
    draft = create_news(helsinki_client, world, "Unpublished draft")
    return client.get(f"{world.news_index.url}{draft.slug}/").status_code == 200


def upload_into(collection_of):
    def action(client, world):
        collection = collection_of(world).access.collection
        client.post(
            "/admin/images/multiple/add/",
            {"files[]": png(), "collection": collection.pk},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        return get_image_model().objects.filter(collection=collection).exists()

    return action


def manage_users(client, world):
    return client.get("/admin/users/").status_code == 200


ACTIONS = {
    "open the admin": open_the_admin,
    "edit own organisation page": lambda c, w: edit_organisation(w.riga)(c, w),
    "edit another organisation's page": lambda c, w: edit_organisation(w.helsinki)(c, w),
    "create a news draft": create_a_news_draft,
    "publish directly": publish_directly,
    "submit for moderation": submit_for_moderation,
    "approve a submission": workflow_action("approve"),
    "reject a submission": workflow_action("reject"),
    "edit another editor's draft": edit_another_editors_draft,
    "see another editor's draft on the site": see_another_editors_draft_on_the_site,
    "upload into own collection": upload_into(lambda w: w.riga),
    "upload into another organisation's collection": upload_into(lambda w: w.helsinki),
    "manage users": manage_users,
}

CASES = [
    (action, role, allowed)
    for action, *permissions in MATRIX
    for role, allowed in zip(ROLES, permissions, strict=True)
]


def test_every_action_of_the_matrix_is_implemented():
    assert [row[0] for row in MATRIX] == list(ACTIONS)


@pytest.mark.parametrize(
    ("action", "role", "allowed"), CASES, ids=[f"{a}: {r}" for a, r, _ in CASES]
)
def test_permission_matrix(client, world, action, role, allowed):
    if role != "anonymous":
        log_in(client, getattr(world, role))

    assert ACTIONS[action](client, world) is allowed


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(f"/admin/pages/{world.riga.pk}/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_editor_is_told_why_another_organisations_page_is_refused(client, world):
    log_in(client, world.editor)

    response = client.get(f"/admin/pages/{world.helsinki.pk}/edit/", follow=True)

    assert response.redirect_chain[-1][0] == "/admin/"
    assert any("permission" in str(m) for m in response.context["messages"])


def test_editors_choose_only_from_their_own_and_the_shared_collection(client, world):
    images = {
        name: ImageFactory(title=f"Image of {name}", collection=collection)
        for name, collection in [
            ("Riga", world.riga.access.collection),
            ("Helsinki", world.helsinki.access.collection),
            ("everyone", shared_collection()),
        ]
    }
    log_in(client, world.editor)

    html = client.get("/admin/images/chooser/").content.decode()

    assert images["Riga"].title in html and images["everyone"].title in html
    assert images["Helsinki"].title not in html


def test_the_site_shows_only_published_pages(client, world):
    page = Page.objects.get(slug="city-of-riga")
    page.unpublish()

    assert client.get(page.url or "/partners/riga/city-of-riga/").status_code == 404


def test_drafts_and_previews_are_never_public(client, world):
    editor = Client()
    log_in(editor, world.editor)
    draft = create_news(editor, world, "Not yet public")

    assert client.get(f"{world.news_index.url}{draft.slug}/").status_code == 404
    preview = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert preview.status_code == 302 and preview["Location"].startswith("/admin/login/")
    assert editor.get(f"/admin/pages/{draft.pk}/view_draft/").status_code == 200
