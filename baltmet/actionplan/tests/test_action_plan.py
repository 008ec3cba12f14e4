"""The Action Plan as structured data: the seed's focus areas, actions and priorities; the news
and events editors link to an action, listed under it; the page's cost; the API."""

import pytest
from bs4 import BeautifulSoup

from baltmet.actionplan.factories import ActionFactory, ActionPlanPageFactory, FocusAreaFactory
from baltmet.actionplan.models import Action, ActionPlanPage, FocusArea, Priority
from baltmet.seeding.loader import load_seed_content
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from tests.helpers import BUDGET, queries

pytestmark = pytest.mark.django_db


def action_item(html: str, anchor: str):
    return BeautifulSoup(html, "html.parser").find(id=anchor)


def test_the_seed_gives_every_action_as_the_plan_numbers_and_words_it(client):
    load_seed_content()
    numbers = [action.number for action in Action.objects.select_related("focus_area")]
    assert numbers == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3"
    ]  # fmt: skip
    assert [str(area) for area in FocusArea.objects.all()] == [
        "1. Innovation promotion",
        "2. Regional identity building and marketing",
        "3. Infrastructure and sustainable development",
        "4. Integration and capitalisation of urban expertise",
    ]
    assert Action.objects.get(focus_area__number=3, position=2).text == (
        "Foster the improvement of the surface transport infrastructure (e.g., rail "
        "connections) in the Baltic Sea Region"
    )
    assert Priority.objects.count() == 5
    assert Priority.objects.filter(title="Support for developing science parks (eg. Riga, Warsaw)")

    page = ActionPlanPage.objects.get()
    assert page.url == "/about/action-plan-2008-2010/"
    html = client.get(page.url).content.decode()
    assert (
        action_item(html, "action-4-3")
        .get_text(" ", strip=True)
        .startswith("4.3 Support the member-cities collaboration")
    )
    # Each list names its source document.
    assert (
        "Source: <cite>Recommendations for Political Action</cite>, City of Helsinki, "
        '<time datetime="2007-11-13">13 November 2007</time>'
    ) in html
    assert (
        "Source: <cite>BaltMet Network - Perspectives for Innovation Promotion</cite>, "
        'City of Helsinki, <time datetime="2008-01-23">23 January 2008</time>'
    ) in html
    assert 'href="/events/mayors-meeting-tallinn-2007/"' in html
    # A second run keeps the records (an editor's links to them stay).
    ids = list(Action.objects.values_list("pk", flat=True))
    load_seed_content()
    assert list(Action.objects.values_list("pk", flat=True)) == ids


def test_news_and_events_linked_to_an_action_are_listed_under_it(client, site_tree):
    plan = ActionPlanPageFactory(parent=site_tree.home)
    action = ActionFactory(focus_area=FocusAreaFactory(number=1), position=1)
    other = ActionFactory(focus_area=action.focus_area, position=2)
    event = EventPageFactory(parent=site_tree.events, title="Cluster conference")
    event.action_plan_actions.set([action])
    event.save_revision().publish()
    news = NewsPageFactory(parent=site_tree.news, title="Incubators meet")
    news.action_plan_actions.set([action, other])
    news.save_revision().publish()
    draft = NewsPageFactory(parent=site_tree.news, title="Not yet published", live=False)
    draft.action_plan_actions.set([action])
    draft.save()

    html = client.get(plan.url).content.decode()
    first = action_item(html, "action-1-1")
    assert [a.get_text() for a in first.find_all("a")] == ["Cluster conference", "Incubators meet"]
    second = action_item(html, "action-1-2")
    assert [a.get_text() for a in second.find_all("a")] == ["Incubators meet"]
    assert "Not yet published" not in html


def test_the_page_costs_the_same_with_more_actions_and_links(client, site_tree, settings):
    settings.PAGE_CACHE = False
    plan = ActionPlanPageFactory(parent=site_tree.home)

    def grow(count):
        area = FocusAreaFactory()
        for _ in range(count):
            action = ActionFactory(focus_area=area)
            for factory, parent in (
                (EventPageFactory, site_tree.events),
                (NewsPageFactory, site_tree.news),
            ):
                page = factory(parent=parent)
                page.action_plan_actions.set([action])
                page.save_revision().publish()

    grow(2)
    before = queries(client, plan.url)
    grow(5)
    assert queries(client, plan.url) == before
    assert before <= BUDGET


def test_the_api_gives_the_plan_with_what_is_linked(client, site_tree):
    plan = ActionPlanPageFactory(parent=site_tree.home)
    action = ActionFactory(focus_area=FocusAreaFactory(number=2, title="Marketing"), position=1)
    event = EventPageFactory(parent=site_tree.events)
    event.action_plan_actions.set([action])
    event.save_revision().publish()

    data = client.get(f"/api/v2/pages/{plan.pk}/").json()
    assert data["focus_areas"] == [
        {
            "number": 2,
            "title": "Marketing",
            "actions": [
                {
                    "number": "2.1",
                    "text": action.text,
                    "events": [event.pk],
                    "news": [],
                    "library_entries": [],
                    "related_projects": [],
                }
            ],
        }
    ]
    event_data = client.get(f"/api/v2/pages/{event.pk}/").json()
    assert event_data["action_plan_actions"] == [{"id": action.pk, "number": "2.1"}]


def test_the_action_plan_is_found_by_the_words_of_its_actions(client):
    load_seed_content()
    html = client.get("/search/?q=health+care").content.decode()
    assert 'href="/about/action-plan-2008-2010/"' in html


def test_moderators_keep_the_plan_and_partners_link_their_news_to_it(world):
    from django.test import Client
    from django.urls import reverse

    from tests.helpers import create_news, log_in

    action = ActionFactory(focus_area=FocusAreaFactory(number=1), position=1)
    edit = reverse("wagtailsnippets_actionplan_action:edit", args=[action.pk])

    moderator, editor = Client(), Client()
    log_in(moderator, world.moderator)
    log_in(editor, world.editor)
    response = moderator.post(
        edit, {"focus_area": action.focus_area.pk, "position": 1, "text": "Reworded action"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Reworded action"
    listing = moderator.get(reverse("wagtailsnippets_actionplan_action:list"))
    assert "1.1 Reworded action" in listing.content.decode()

    refused = editor.post(edit, {"focus_area": action.focus_area.pk, "position": 1, "text": "x"})
    assert refused.status_code in (302, 403) and refused.get("Location") != edit
    action.refresh_from_db()
    assert action.text == "Reworded action"

    # A partner's news form offers the actions to link to.
    news = create_news(editor, world, "Incubators meet")
    form = editor.get(reverse("wagtailadmin_pages:edit", args=[news.pk])).content.decode()
    assert f'name="action_plan_actions" value="{action.pk}"' in form


def test_an_edited_action_is_found_by_its_new_words(client, site_tree):
    plan = ActionPlanPageFactory(parent=site_tree.home)
    plan.save_revision().publish()
    action = ActionFactory()
    assert plan.url not in client.get("/search/?q=seaweed").content.decode()
    action.text = "Explore seaweed farming along the coast"
    action.save()
    assert plan.url in client.get("/search/?q=seaweed").content.decode()


def test_loading_the_seed_again_keeps_what_editors_changed(client):
    """The records are created once: a moderator's rewording and an editor's links stay."""
    from baltmet.projects.models import RelatedProject

    load_seed_content()
    action = Action.objects.get(focus_area__number=1, position=1)
    action.text = "Reworded by a moderator"
    action.save()
    project = RelatedProject.objects.get(name="BaltMet Exchange")
    project.action_plan_actions = [action]
    project.save()

    load_seed_content()
    action.refresh_from_db()
    assert action.text == "Reworded by a moderator"
    assert list(RelatedProject.objects.get(pk=project.pk).action_plan_actions.all()) == [action]
