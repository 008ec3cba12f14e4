"""A malformed admin form post answers 400 and changes nothing (baltmet/form_posts.py)."""

import pytest

from news.models import NewsPage
from tests.helpers import create_news, log_in, news_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, world):
    log_in(client, world.editor)
    page = create_news(client, world, "A draft to edit")
    assert page is not None
    return page


def edit(client, page, **changes):
    form = news_form("An edited title")
    form["slug"] = page.slug
    for name, value in changes.items():
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    return client.post(f"/admin/pages/{page.pk}/edit/", form)


def revisions(page) -> int:
    return page.revisions.count()


def test_a_well_formed_edit_still_saves(client, draft):
    before = revisions(draft)
    response = edit(client, draft)
    assert response.status_code == 302
    assert revisions(draft) == before + 1


@pytest.mark.parametrize(
    "changes",
    [
        {"body-count": None},  # the StreamField's counter left out
        {"body-count": "abc"},
        {"body-count": "²"},
        {"body-count": "999999999"},
        # One block announced, none of its fields sent.
        {"body-count": "1"},
        # One block whose position is no number.
        {
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": "<p>Text</p>",
            "body-0-deleted": "",
            "body-0-order": "x",
            "body-0-id": "",
        },
    ],
    ids=["missing", "letters", "superscript", "huge", "block-fields-missing", "order"],
)
def test_a_malformed_streamfield_post_is_a_400_and_saves_nothing(client, draft, changes):
    before = revisions(draft)

    response = edit(client, draft, **changes)

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert revisions(draft) == before
    assert NewsPage.objects.get(pk=draft.pk).title == "A draft to edit"
