"""The site as `make run` serves it: every seeded page renders, and editors can open it."""

import re

import pytest
from wagtail.models import Page

from baltmet.seeding.loader import load_seed_content
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

FUNDING = "Project part-financed by the European Union"


@pytest.fixture
def seeded():
    load_seed_content()
    return Page.objects.filter(depth__gt=1).live().specific().order_by("path")


def test_every_seeded_page_renders_as_an_accessible_document(client, seeded):
    problems = {}
    for page in seeded:
        response = client.get(page.url)
        html = response.content.decode()
        checks = {
            "status 200": response.status_code == 200,
            "one h1": len(re.findall(r"<h1[\s>]", html)) == 1,
            "language": '<html lang="en"' in html,
            "skip link first": html.find('href="#main"') < html.find("<nav"),
            "main landmark": '<main id="main"' in html,
            "funding statement": FUNDING in html,
            "no e-mail in clear": not re.search(r"[\w.]+@[\w-]+\.\w+", html),
            "every image has alt": all("alt=" in tag for tag in re.findall(r"<img[^>]*>", html)),
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            problems[page.url] = failed
    assert problems == {}
    assert len(seeded) == 70


EXPECTED_TEXT = {
    # Spot checks that the content of each source document reached its page.
    "/": ["Pool of Potentials", "21 million", "almost 25 million", "Mayors"],
    "/partners/": ["City of Helsinki", "Lead partner", "Culminatum Ltd Oy", "Observer"],
    "/partners/helsinki/": ["Helsinki Region", "560", "Tekes", "City of Helsinki"],
    "/partners/malmo/": ["No partner organisation from Malmö is listed yet."],
    "/work-packages/cluster-development/": [
        "Work package 3",
        "WISTA Management GmbH",
        "Helge Neumann",
        "pilot clusters",
        "Transnational Cluster Alliances",
    ],
    "/events/": ["No upcoming events are scheduled.", "2008", "2007"],
    "/events/workshops-st-petersburg-2007/": ["13–15 June 2007", "City of St. Petersburg"],
    "/events/european-presidency-conference-stockholm-2008/": [
        "Matti Ollinkari",
        "Head of Lord Mayor&#x27;s Office",
    ],
    "/news/": ["WP 3", "Open Days", "St. Petersburg"],
    "/about/action-plan-2008-2010/": ["1.1", "4.3", "Integration and capitalisation"],
    "/about/archipelago-of-innovation/": ["four pillars", "City of Copenhagen", "Steen Lohse"],
    "/about/bridge-bsr/": ["ScanBalt BioRegion", "Top of Europe Life Science Foundation"],
    "/about/people/": ["Matti Ollinkari", "Head of Lord Mayor", "Contact for work package 3"],
    "/about/related-projects/": ["SPb InnoReg Tacis", "BaltMet InfoForum", "BaltMet Exchange"],
    "/about/prospects-for-the-future/": ["Innovation friendly procurement processes"],
    "/imprint/": ["City of Helsinki", "Culminatum Ltd Oy", "part-financed by the European Union"],
}


def test_the_sources_reach_their_pages(client, seeded):
    missing = {}
    for url, texts in EXPECTED_TEXT.items():
        html = client.get(url).content.decode()
        text_only = re.sub(r"<[^>]+>", "", html)
        absent = [text for text in texts if text not in html and text not in text_only]
        if absent:
            missing[url] = absent
    assert missing == {}


def test_the_upcoming_section_says_there_are_none_and_shows_the_latest(client, seeded):
    html = client.get("/").content.decode()

    recent = html.split("No upcoming events are scheduled.")[1]
    assert recent.index("European Presidency Conference") < recent.index("Transnational Cluster")


def test_editors_can_open_every_seeded_page_in_the_admin(client, seeded, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="a-long-password-1")
    log_in(client, admin)

    statuses = {
        page.url: client.get(f"/admin/pages/{page.pk}/edit/").status_code for page in seeded
    }

    assert {url: status for url, status in statuses.items() if status != 200} == {}


def test_editors_can_open_the_add_form_of_every_page_type(client, seeded, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="a-long-password-1")
    log_in(client, admin)
    parents = {
        "baltmet/standardpage": "/about/",
        "partners/metropolispage": "/partners/",
        "partners/organisationpage": "/partners/riga/",
        "workpackages/workpackagepage": "/work-packages/",
        "news/newspage": "/news/",
        "events/eventpage": "/events/",
    }
    statuses = {}
    for page_type, parent_url in parents.items():
        parent = next(p for p in seeded if p.url == parent_url)
        url = f"/admin/pages/add/{page_type}/{parent.pk}/"
        statuses[page_type] = client.get(url).status_code

    assert statuses == dict.fromkeys(parents, 200)
