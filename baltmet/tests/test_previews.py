"""Editors preview every page type, saved or not yet saved, without errors."""

import pytest
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from baltmet.seeding.loader import load_seed_content
from tests.helpers import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, world):
    log_in(client, world.moderator)
    return client


def test_the_draft_of_every_seeded_page_can_be_previewed(client, django_user_model):
    load_seed_content()
    administrator = django_user_model.objects.create_superuser("root", password="x" * 16)
    log_in(client, administrator)

    statuses = {
        page.url: client.get(f"/admin/pages/{page.pk}/view_draft/").status_code
        for page in Page.objects.filter(depth__gt=1).specific()
    }

    assert {url: status for url, status in statuses.items() if status != 200} == {}


def form(title, **fields):
    return nested_form_data(
        {"title": title, "slug": slugify(title), "comments": inline_formset([]), **fields}
    )


NEW_PAGES = {
    "news/newspage": lambda w: (
        w.news_index,
        form(
            "A news item",
            date="2026-11-20",
            intro="Lead.",
            body=streamfield([]),
            related_organisations=[w.riga.pk],
        ),
    ),
    "events/eventpage": lambda w: (
        w.events_index,
        form(
            "An event",
            kind="seminar",
            start_date="2026-12-01",
            time_zone="Europe/Riga",
            city="Riga",
            country="Latvia",
            intro="Lead.",
            body=streamfield([]),
            programme=streamfield([]),
            organising_partners=[w.riga.pk],
            presentations=inline_formset([]),
        ),
    ),
    "partners/organisationpage": lambda w: (
        w.riga.get_parent(),
        form(
            "An organisation",
            organisation_type="university",
            project_role="partner",
            description=streamfield([]),
            contacts=inline_formset([]),
        ),
    ),
}


@pytest.mark.parametrize("page_type", list(NEW_PAGES))
def test_a_new_page_can_be_previewed_before_its_first_save(moderator_client, world, page_type):
    parent, data = NEW_PAGES[page_type](world)
    url = f"/admin/pages/add/{page_type}/{parent.pk}/preview/"

    posted = moderator_client.post(url, data)
    shown = moderator_client.get(url)

    assert posted.json()["is_valid"] is True
    assert shown.status_code == 200
    assert data["title"] in shown.content.decode()
