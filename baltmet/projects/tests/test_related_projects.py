"""Related projects: the four the sources name, each with its source and no invented address;
the page that lists them and the Action Plan actions they serve; its cost; the API; who keeps
them."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from baltmet.actionplan.factories import ActionFactory, ActionPlanPageFactory, FocusAreaFactory
from baltmet.projects.factories import RelatedProjectFactory, RelatedProjectsPageFactory
from baltmet.projects.models import RelatedProject, RelatedProjectsPage
from baltmet.seeding.loader import load_seed_content
from tests.helpers import BUDGET, log_in, queries

pytestmark = pytest.mark.django_db


def test_the_seed_gives_the_four_projects_with_their_sources(client):
    load_seed_content()
    projects = {project.name: project for project in RelatedProject.objects.all()}
    assert list(projects) == [
        "Bridge-BSR",
        "St. Petersburg Innovation Programme 2008-2011",
        "BaltMet InfoForum",
        "BaltMet Exchange",
    ]
    # No source gives a web address: none is made up.
    assert all(project.website == "" for project in projects.values())
    assert all(project.source for project in projects.values())
    assert projects["Bridge-BSR"].page.url == "/about/bridge-bsr/"
    numbers = {
        name: [a.number for a in p.action_plan_actions.select_related("focus_area")]
        for name, p in projects.items()
    }
    assert numbers["BaltMet InfoForum"] == ["4.1"]
    assert numbers["BaltMet Exchange"] == ["4.2"]
    assert "SPb InnoReg Tacis" in projects["St. Petersburg Innovation Programme 2008-2011"].summary

    page = RelatedProjectsPage.objects.get()
    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    infoforum = soup.find(id=f"project-{projects['BaltMet InfoForum'].pk}")
    assert infoforum.find("a", string="4.1")["href"] == "/about/action-plan-2008-2010/#action-4-1"
    assert "Source: “BaltMet Network - Perspectives for Innovation Promotion”" in html
    # The Action Plan names the project under its action, linked to its place here.
    plan = client.get("/about/action-plan-2008-2010/").content.decode()
    action = BeautifulSoup(plan, "html.parser").find(id="action-4-2")
    link = action.find("a", string="BaltMet Exchange")
    assert link["href"] == f"{page.url}#project-{projects['BaltMet Exchange'].pk}"
    # A second load finds the same records.
    ids = sorted(projects[name].pk for name in projects)
    load_seed_content()
    assert sorted(RelatedProject.objects.values_list("pk", flat=True)) == ids


def test_the_page_costs_the_same_with_more_projects(client, site_tree, settings):
    settings.PAGE_CACHE = False
    ActionPlanPageFactory(parent=site_tree.home)
    page = RelatedProjectsPageFactory(parent=site_tree.home)
    area = FocusAreaFactory()

    def grow(count):
        for _ in range(count):
            project = RelatedProjectFactory(page=site_tree.news, website="https://example.org/")
            project.action_plan_actions.set([ActionFactory(focus_area=area)])
            project.save()  # a ParentalManyToManyField is written with its record

    grow(2)
    before = queries(client, page.url)
    grow(6)
    assert queries(client, page.url) == before
    assert before <= BUDGET


def test_without_projects_the_page_says_so(client, site_tree):
    page = RelatedProjectsPageFactory(parent=site_tree.home)
    assert "No related projects have been entered yet." in client.get(page.url).content.decode()


def test_the_api_gives_each_project(client, site_tree):
    page = RelatedProjectsPageFactory(parent=site_tree.home)
    action = ActionFactory(focus_area=FocusAreaFactory(number=4), position=1)
    project = RelatedProjectFactory(name="InfoForum", kind="initiative")
    project.action_plan_actions.set([action])
    project.save()
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["projects"] == [
        {
            "name": "InfoForum",
            "kind": "initiative",
            "summary": project.summary,
            "relation": project.relation,
            "website": "",
            "page": None,
            "source": project.source,
            "action_plan_actions": ["4.1"],
        }
    ]


def test_a_project_is_found_by_its_words(client, site_tree):
    page = RelatedProjectsPageFactory(parent=site_tree.home)
    page.save_revision().publish()
    RelatedProjectFactory(name="Harbour Exchange", summary="Staff exchanges between harbours.")
    assert page.url in client.get("/search/?q=harbours").content.decode()


def test_moderators_keep_the_projects_and_partners_may_not(world):
    project = RelatedProjectFactory()
    edit = reverse("wagtailsnippets_projects_relatedproject:edit", args=[project.pk])
    data = {
        "name": "Renamed",
        "kind": "project",
        "summary": "s",
        "relation": "r",
        "source": "a document",
        "sort_order": 0,
    }
    editor = Client()
    log_in(editor, world.editor)
    refused = editor.post(edit, data)
    assert refused.status_code in (302, 403) and refused.get("Location") != edit
    project.refresh_from_db()
    assert project.name != "Renamed"

    moderator = Client()
    log_in(moderator, world.moderator)
    assert moderator.post(edit, data).status_code == 302
    project.refresh_from_db()
    assert project.name == "Renamed"
    # Bad input is refused with the form's message, and nothing is saved.
    response = moderator.post(edit, {**data, "kind": "castle", "website": "not an address"})
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.kind == "project"
