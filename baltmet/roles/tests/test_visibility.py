"""Partners do not see each other's unpublished work, through real requests to the admin.

Riga's editor writes, through the admin, a news draft with words found nowhere else, and an
unpublished change (new title, new lead) to a live news item; their organisation also has a
draft event, a document and an image. Helsinki's editor must find none of it in the
explorer, the page search, the page chooser, the admin API, the reports, bulk actions or the
dashboard; Riga's editor and the moderators and administrators see it all.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from baltmet.factories import DocumentFactory, ImageFactory
from events.factories import EventPageFactory
from tests.helpers import create_news, log_in, news_form

pytestmark = pytest.mark.django_db

# Each word is in one place only, so that finding it anywhere is a leak.
DRAFT_WORD = "Quetzalplan"  # the title of Riga's unpublished news draft
LEAD_WORD = "Axolotlbudget"  # that draft's lead, not its title
CHANGE_WORD = "Capybaraforum"  # an unpublished new title of Riga's live news item
CHANGE_LEAD_WORD = "Tapirtreaty"  # that unpublished change's lead
EVENT_WORD = "Narwhalsummit"  # the title of Riga's draft event
LIVE_TITLE = "Riga opens its innovation week"  # the live news item, as published
WORDS = [DRAFT_WORD, LEAD_WORD, CHANGE_WORD, CHANGE_LEAD_WORD, EVENT_WORD]


@dataclass
class RigaWork:
    draft: object
    live: object
    event: object


@pytest.fixture
def riga_work(world) -> RigaWork:
    riga = Client()
    log_in(riga, world.editor)
    draft = create_news(
        riga,
        world,
        f"{DRAFT_WORD} for the partners",
        intro=f"The {LEAD_WORD} of the year.",
        **{"action-submit": "submit"},
    )
    live = create_news(riga, world, LIVE_TITLE)
    live.get_latest_revision().publish()
    change = news_form(f"{CHANGE_WORD} in Riga", intro=f"A {CHANGE_LEAD_WORD}.", slug=live.slug)
    riga.post(f"/admin/pages/{live.pk}/edit/", {**change, "action-submit": "submit"})
    live.refresh_from_db()
    assert draft.workflow_in_progress and not draft.live
    assert live.live and live.title == LIVE_TITLE and CHANGE_WORD in live.draft_title
    event = EventPageFactory(
        parent=world.events_index, title=f"{EVENT_WORD} in Riga", live=False, owner=world.editor
    )
    return RigaWork(draft=draft, live=live, event=event)


def client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def listed(response) -> set[int]:
    """The ids of the pages a listing view shows."""
    assert response.status_code == 200
    return {page.pk for page in response.context["object_list"]}


def api_ids(response) -> set[int]:
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def assert_no_word(response):
    html = response.content.decode()
    assert not [word for word in WORDS if word in html]


def assert_refused(response):
    """Wagtail's "permission denied": back to the dashboard, nothing shown."""
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def helsinki(world):
    return client_for(world.other_editor)


# The explorer ---------------------------------------------------------------------------------


def test_the_explorer_lists_another_partners_published_pages_only(helsinki, world, riga_work):
    response = helsinki.get(f"/admin/pages/{world.news_index.pk}/")

    assert listed(response) == {riga_work.live.pk}
    assert_no_word(response)
    assert LIVE_TITLE in response.content.decode()
    assert listed(helsinki.get(f"/admin/pages/{world.events_index.pk}/")) == set()


@pytest.mark.parametrize("role", ["editor", "moderator", "administrator"])
def test_the_author_moderators_and_administrators_see_the_drafts(world, riga_work, role):
    client = client_for(getattr(world, role))

    response = client.get(f"/admin/pages/{world.news_index.pk}/")

    assert listed(response) == {riga_work.draft.pk, riga_work.live.pk}
    assert DRAFT_WORD in response.content.decode() and CHANGE_WORD in response.content.decode()
    assert listed(client.get(f"/admin/pages/{world.events_index.pk}/")) == {riga_work.event.pk}


def test_a_draft_of_another_partner_does_not_exist_in_the_explorer(helsinki, world, riga_work):
    for page in (riga_work.draft, riga_work.event):
        for url in (f"/admin/pages/{page.pk}/", f"/admin/pages/{page.pk}/results/"):
            assert helsinki.get(url).status_code == 404, url
        for view in ("edit", "history", "usage", "workflow_history", "view_draft", "delete"):
            response = helsinki.get(f"/admin/pages/{page.pk}/{view}/")
            assert response.status_code in (302, 404), view
            assert_no_word(response)


def test_a_live_page_is_shown_as_published_to_other_partners(helsinki, world, riga_work):
    page = riga_work.live

    # Its own explorer view would show the unpublished change's title, author and workflow.
    assert_refused(helsinki.get(f"/admin/pages/{page.pk}/"))
    news_index = f"/admin/pages/{world.news_index.pk}/"
    listing = helsinki.get(news_index)
    assert_no_word(listing)
    assert "in moderation" not in listing.content.decode()
    moderator = client_for(world.moderator)
    assert "live + in moderation" in moderator.get(news_index).content.decode()
    detail = helsinki.get(f"/admin/api/main/pages/{page.pk}/").json()
    assert detail["admin_display_title"] == LIVE_TITLE
    status = detail["meta"]["status"]
    assert status == {"status": "live", "live": True, "has_unpublished_changes": False}

    riga = client_for(world.editor)
    assert riga.get(f"/admin/pages/{page.pk}/").status_code == 200
    own_detail = riga.get(f"/admin/api/main/pages/{page.pk}/").json()
    assert CHANGE_WORD in own_detail["admin_display_title"]


def test_editors_still_reach_their_own_pages(world, riga_work):
    riga = client_for(world.editor)

    for page in (riga_work.draft, world.riga, world.news_index):
        assert riga.get(f"/admin/pages/{page.pk}/").status_code == 200
    assert riga.get(f"/admin/pages/{riga_work.draft.pk}/edit/").status_code == 200
    for page in (world.riga.get_parent(), world.riga.get_parent().get_parent()):
        assert riga.get(f"/admin/pages/{page.pk}/").status_code == 200


# Search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", WORDS)
def test_admin_search_finds_no_word_of_another_partners_drafts(helsinki, world, riga_work, word):
    for url in (
        f"/admin/pages/search/?q={word}",
        f"/admin/pages/search/results/?q={word}",
        f"/admin/pages/{world.news_index.pk}/?q={word}",
        f"/admin/pages/{world.news_index.pk}/?q={word}&search_all=1",
        f"/admin/pages/{world.events_index.pk}/?q={word}&search_all=1",
    ):
        assert listed(helsinki.get(url)) == set(), url
    chooser = helsinki.get(f"/admin/choose-page/search/?q={word}")
    assert chooser.status_code == 200 and "data-id=" not in chooser.content.decode()
    assert api_ids(helsinki.get(f"/admin/api/main/pages/?search={word}")) == set()


def test_the_search_does_find_the_words_for_those_who_may_see_the_draft(world, riga_work):
    for role in ("editor", "moderator"):
        client = client_for(getattr(world, role))
        # The admin's page search and chooser match titles; the API's search the content too.
        assert listed(client.get(f"/admin/pages/search/?q={DRAFT_WORD}")) == {riga_work.draft.pk}
        chooser = client.get(f"/admin/choose-page/search/?q={DRAFT_WORD}").content.decode()
        assert f'data-id="{riga_work.draft.pk}"' in chooser
        for word in (DRAFT_WORD, LEAD_WORD):
            found = client.get(f"/admin/api/main/pages/?search={word}")
            assert api_ids(found) == {riga_work.draft.pk}, (role, word)


def test_search_shows_another_partners_live_page_under_its_published_title(helsinki, riga_work):
    response = helsinki.get("/admin/pages/search/?q=innovation week")

    assert listed(response) == {riga_work.live.pk}
    assert_no_word(response)


# The page chooser -----------------------------------------------------------------------------


def test_the_page_chooser_offers_published_and_own_pages(helsinki, world, riga_work):
    browse = helsinki.get(f"/admin/choose-page/{world.news_index.pk}/")
    assert browse.status_code == 200
    html = browse.json()["html"]
    assert f'data-id="{riga_work.live.pk}"' in html and LIVE_TITLE in html
    assert f'data-id="{riga_work.draft.pk}"' not in html
    assert not [word for word in WORDS if word in html]

    assert helsinki.get(f"/admin/choose-page/{riga_work.draft.pk}/").status_code == 404
    chosen = f"/admin/choose-page/chosen-multiple/?id={riga_work.event.pk}"
    assert helsinki.get(chosen).status_code == 404

    riga = client_for(world.editor)
    assert (
        f'data-id="{riga_work.draft.pk}"'
        in riga.get(f"/admin/choose-page/{world.news_index.pk}/").json()["html"]
    )


# The admin API --------------------------------------------------------------------------------


def test_the_admin_api_shows_another_partners_published_pages_only(helsinki, world, riga_work):
    for query in ("", "&for_explorer=1"):
        news = helsinki.get(f"/admin/api/main/pages/?child_of={world.news_index.pk}{query}")
        assert api_ids(news) == {riga_work.live.pk}
        assert_no_word(news)
        events = helsinki.get(f"/admin/api/main/pages/?child_of={world.events_index.pk}{query}")
        assert api_ids(events) == set()
    descendants = helsinki.get(f"/admin/api/main/pages/?descendant_of={world.news_index.pk}")
    assert api_ids(descendants) == {riga_work.live.pk}
    for page in (riga_work.draft, riga_work.event):
        assert helsinki.get(f"/admin/api/main/pages/{page.pk}/").status_code == 404


def test_moderators_see_every_page_in_the_admin_api(world, riga_work):
    moderator = client_for(world.moderator)

    news = moderator.get(f"/admin/api/main/pages/?child_of={world.news_index.pk}")

    assert api_ids(news) == {riga_work.draft.pk, riga_work.live.pk}
    detail = moderator.get(f"/admin/api/main/pages/{riga_work.live.pk}/").json()
    assert CHANGE_WORD in detail["admin_display_title"]


# Reports, bulk actions, dashboard -------------------------------------------------------------

WHOLE_SITE_REPORTS = ["wagtailadmin_reports:site_history", "wagtailadmin_reports:page_types_usage"]


@pytest.mark.parametrize("report", WHOLE_SITE_REPORTS)
def test_whole_site_reports_are_refused_to_partner_editors(helsinki, world, riga_work, report):
    url = reverse(report)

    assert_refused(helsinki.get(url))
    assert_refused(helsinki.get(url.rstrip("/") + "/results/"))
    assert url not in helsinki.get("/admin/").content.decode()

    moderator = client_for(world.moderator)
    response = moderator.get(url)
    assert response.status_code == 200
    assert url in moderator.get("/admin/").content.decode()


def test_the_site_history_shows_moderators_the_drafts(world, riga_work):
    response = client_for(world.moderator).get(reverse("wagtailadmin_reports:site_history"))

    assert DRAFT_WORD in response.content.decode()


@pytest.mark.parametrize("report", ["workflow", "workflow_tasks", "aging_pages"])
def test_the_other_reports_show_no_draft_of_another_partner(helsinki, world, riga_work, report):
    url = reverse(f"wagtailadmin_reports:{report}")

    response = helsinki.get(url)

    assert response.status_code == 200
    assert_no_word(response)
    if report == "workflow":
        riga = client_for(world.editor).get(url).content.decode()
        assert DRAFT_WORD in riga and CHANGE_WORD in riga


@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_actions_name_no_draft_of_another_partner(helsinki, world, riga_work, action):
    url = f"/admin/bulk/wagtailcore/page/{action}/"
    create_news(helsinki, world, "Helsinki's own item")

    assert helsinki.get(f"{url}?id={riga_work.draft.pk}").status_code == 404
    every_child = helsinki.get(f"{url}?id=all&childOf={world.news_index.pk}")
    assert every_child.status_code == 200
    assert "Helsinki&#x27;s own item" in every_child.content.decode()
    assert_no_word(every_child)
    riga = client_for(world.editor).get(f"{url}?id={riga_work.draft.pk}")
    assert riga.status_code == 200 and DRAFT_WORD in riga.content.decode()


def test_the_dashboard_counts_no_draft_of_another_partner(helsinki, world):
    def pages_counted():
        return helsinki.get("/admin/").context["total_pages"]

    before = pages_counted()
    riga = client_for(world.editor)
    create_news(riga, world, f"{DRAFT_WORD} counted")

    assert pages_counted() == before
    create_news(helsinki, world, "Helsinki counts its own")
    assert pages_counted() == before + 1


# Images and documents in the admin API --------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_the_admin_api_lists_only_files_the_editor_may_choose(world, endpoint):
    factory = ImageFactory if endpoint == "images" else DocumentFactory
    riga_file = factory(title="Riga's file", collection=world.riga.access.collection)
    helsinki_file = factory(title="Helsinki's file", collection=world.helsinki.access.collection)
    url = f"/admin/api/main/{endpoint}/"

    helsinki = client_for(world.other_editor)
    assert api_ids(helsinki.get(url)) == {helsinki_file.pk}
    assert helsinki.get(f"{url}{riga_file.pk}/").status_code == 404
    assert api_ids(client_for(world.moderator).get(url)) >= {riga_file.pk, helsinki_file.pk}
    assert api_ids(client_for(world.administrator).get(url)) == {riga_file.pk, helsinki_file.pk}


def test_the_news_form_offers_no_draft_event_of_another_partner(helsinki, world, riga_work):
    html = helsinki.get(f"/admin/pages/add/news/newspage/{world.news_index.pk}/").content.decode()

    assert EVENT_WORD not in html
    # Riga's own editor, who created it, may relate their news to it.
    riga = client_for(world.editor)
    own = riga.get(f"/admin/pages/add/news/newspage/{world.news_index.pk}/").content.decode()
    assert EVENT_WORD in own


# Tag suggestions ------------------------------------------------------------------------------


def suggestions(client, term, url="/admin/tag-autocomplete/") -> list[str]:
    response = client.get(url, {"term": term})
    assert response.status_code == 200
    return response.json()


def test_tag_suggestions_name_no_tag_of_another_partners_draft_or_files(helsinki, world, riga_work):
    riga_work.draft.tags.add("quokka-draft-plan")
    riga_work.draft.save()
    riga_work.live.tags.add("quokka-live-week")
    riga_work.live.save()
    image = ImageFactory(collection=world.riga.access.collection)
    image.tags.add("quokka-private-photo")

    assert suggestions(helsinki, "quokka") == ["quokka-live-week"]
    assert suggestions(helsinki, "quokka", "/admin/tag-autocomplete/taggit/tag/") == [
        "quokka-live-week"
    ]
    assert suggestions(helsinki, "") == []
    everything = ["quokka-draft-plan", "quokka-live-week", "quokka-private-photo"]
    assert suggestions(client_for(world.editor), "quokka") == everything  # all Riga's own
    assert suggestions(client_for(world.moderator), "QUOKKA") == everything
