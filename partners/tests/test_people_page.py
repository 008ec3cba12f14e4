"""The people directory: every person the documents name, with organisation, role, work
packages and presentations; e-mail addresses protected on the page and absent from the API."""

import re

import pytest
from bs4 import BeautifulSoup

from baltmet.seeding.loader import load_seed_content
from events.factories import EventPageFactory, EventPresentationFactory
from partners.factories import (
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
    PeoplePageFactory,
)
from partners.models import PeoplePage
from tests.helpers import BUDGET, queries
from workpackages.factories import WorkPackagePageFactory

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def people(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        item.find("h2").get_text(strip=True): item.get_text(" ", strip=True)
        for item in soup.select(".person")
    }


def test_every_person_the_documents_name_is_in_the_directory(client):
    load_seed_content()
    page = PeoplePage.objects.get()
    response = client.get(page.url)
    html = response.content.decode()
    found = people(html)
    assert sorted(found) == sorted(
        [
            "Steen Lohse",
            "Kimmo Heinonen",
            "Linda Pukite",
            "Helge Neumann",
            "Claudia Hakanen",
            "Riikka Lahdensuo",
            "Matti Ollinkari",
        ]
    )
    assert "Contact for work package 1" in found["Kimmo Heinonen"]
    assert "Culminatum Ltd Oy" in found["Kimmo Heinonen"]
    assert "Head of Lord Mayor's Office" in found["Matti Ollinkari"]
    assert "BaltMet Network – Perspectives for Innovation Promotion" in found["Matti Ollinkari"]
    assert "Recommendations for Political Action" in found["Riikka Lahdensuo"]
    # The addresses are links a browser reads, but not text a harvester finds.
    assert not EMAIL.search(html)
    soup = BeautifulSoup(html, "html.parser")
    mailtos = [a["href"] for a in soup.select(".person__email a")]
    assert "mailto:kimmo.heinonen@culminatum.fi" in mailtos
    api = client.get(f"/api/v2/pages/{page.pk}/").content.decode()
    assert "Kimmo Heinonen" in api and not EMAIL.search(api)


def test_only_live_organisations_work_packages_and_events_are_shown(client, site_tree):
    page = PeoplePageFactory(parent=site_tree.home)
    city = MetropolisPageFactory(parent=site_tree.partners)
    organisation = OrganisationPageFactory(parent=city, title="Harbour Agency")
    contact = OrganisationContactFactory(page=organisation, name="Ada Example")
    hidden = OrganisationPageFactory(parent=city, title="Unannounced Agency", live=False)
    OrganisationContactFactory(page=hidden, name="Not Announced")
    WorkPackagePageFactory(
        parent=site_tree.work_packages, number=2, lead_organisation=organisation, contact=contact
    )
    event = EventPageFactory(parent=site_tree.events, title="Harbour conference")
    EventPresentationFactory(
        page=event,
        title="Ports of the future",
        speaker="Ada Example",
        speaker_organisation=organisation,
    )
    draft = EventPageFactory(parent=site_tree.events, title="Draft event", live=False)
    EventPresentationFactory(
        page=draft,
        title="Unpublished talk",
        speaker="Ada Example",
        speaker_organisation=organisation,
    )

    found = people(client.get(page.url).content.decode())
    assert list(found) == ["Ada Example"]
    assert "Contact for work package 2" in found["Ada Example"]
    assert "Ports of the future" in found["Ada Example"]
    assert "Unpublished talk" not in found["Ada Example"]


def test_the_directory_costs_the_same_with_more_people(client, site_tree, settings):
    settings.PAGE_CACHE = False
    page = PeoplePageFactory(parent=site_tree.home)
    city = MetropolisPageFactory(parent=site_tree.partners)

    def grow(count):
        for _ in range(count):
            organisation = OrganisationPageFactory(parent=city)
            contact = OrganisationContactFactory(page=organisation)
            WorkPackagePageFactory(
                parent=site_tree.work_packages, lead_organisation=organisation, contact=contact
            )
            EventPresentationFactory(
                page=EventPageFactory(parent=site_tree.events),
                speaker=contact.name,
                speaker_organisation=organisation,
            )

    grow(2)
    before = queries(client, page.url)
    grow(5)
    assert queries(client, page.url) == before
    assert before <= BUDGET


def test_a_translated_organisation_lists_its_people_once(client, site_tree):
    """A translation copies the organisation's contacts: each language's directory lists the
    organisation once, in that language where it has been translated."""
    from wagtail.models import Locale

    page = PeoplePageFactory(parent=site_tree.home)
    page.save_revision().publish()
    organisation = OrganisationPageFactory(parent=MetropolisPageFactory(parent=site_tree.partners))
    OrganisationContactFactory(page=organisation, name="Ada Example")
    latvian = organisation.copy_for_translation(
        Locale.objects.get(language_code="lv"), copy_parents=True
    )
    latvian.title = "Ostas aģentūra"
    latvian.save_revision().publish()

    english = client.get(page.url).content.decode()
    assert list(people(english)) == ["Ada Example"]
    assert "Ostas aģentūra" not in english
    in_latvian = client.get(f"/lv{page.url}").content.decode()
    assert list(people(in_latvian)) == ["Ada Example"]
    assert "Ostas aģentūra" in in_latvian
