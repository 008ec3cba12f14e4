import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from partners.factories import OrganisationContactFactory, OrganisationPageFactory
from tests.helpers import assert_in_order
from workpackages.factories import WorkPackagePageFactory


@pytest.fixture
def work_package(site_tree, organisation):
    return WorkPackagePageFactory(
        parent=site_tree.work_packages, number=2, lead_organisation=organisation
    )


def test_clean_rejects_a_number_in_use(work_package):
    duplicate = WorkPackagePageFactory.build(
        number=work_package.number, lead_organisation=work_package.lead_organisation
    )

    with pytest.raises(ValidationError) as error:
        duplicate.clean()

    assert work_package.title in error.value.message_dict["number"][0]
    work_package.clean()  # A page does not clash with itself.


@pytest.mark.parametrize(
    ("contact_from", "error_keys"),
    [("lead organisation", set()), ("another organisation", {"contact"}), (None, set())],
)
def test_clean_wants_a_contact_of_the_lead_organisation(work_package, contact_from, error_keys):
    organisations = {
        "lead organisation": work_package.lead_organisation,
        "another organisation": OrganisationPageFactory(
            parent=work_package.lead_organisation.get_parent()
        ),
    }
    if contact_from:
        work_package.contact = OrganisationContactFactory(page=organisations[contact_from])

    try:
        work_package.clean()
        errors = set()
    except ValidationError as error:
        errors = set(error.message_dict)

    assert errors == error_keys


def test_lists_related_news_and_events(client, site_tree, work_package):
    def news(title, date, **fields):
        return NewsPageFactory(parent=site_tree.news, title=title, date=date, **fields)

    def event(title, start_date, **fields):
        return EventPageFactory(
            parent=site_tree.events, title=title, start_date=start_date, **fields
        )

    related = {"related_work_packages": [work_package]}
    older_news = news("Older news", dt.date(2025, 1, 10), **related)
    newer_news = news("Newer news", dt.date(2025, 2, 10), **related)
    news("Unrelated news", dt.date(2025, 2, 11))
    news("Draft news", dt.date(2025, 2, 12), live=False, **related)
    earlier_event = event("Earlier event", dt.date(2025, 3, 1), **related)
    later_event = event("Later event", dt.date(2025, 4, 1), **related)
    event("Unrelated event", dt.date(2025, 4, 2))
    event("Draft event", dt.date(2025, 4, 3), **related).unpublish()

    response = client.get(work_package.url)

    assert list(response.context["related_news"]) == [newer_news, older_news]
    assert list(response.context["related_events"]) == [later_event, earlier_event]
    html = response.content.decode()
    assert_in_order(html, ["Newer news", "Older news", "Later event", "Earlier event"])
    for title in ["Unrelated news", "Draft news", "Unrelated event", "Draft event"]:
        assert title not in html


def test_organisation_page_shows_the_work_packages_it_leads(client, site_tree, work_package):
    organisation = work_package.lead_organisation
    other = OrganisationPageFactory(parent=organisation.get_parent())

    def led(number, lead, **fields):
        return WorkPackagePageFactory(
            parent=site_tree.work_packages, number=number, lead_organisation=lead, **fields
        )

    first = led(1, organisation)  # Made after number 2, so that an order by creation fails.
    led(3, other)
    led(4, organisation, live=False)

    response = client.get(organisation.url)

    assert list(response.context["led_work_packages"]) == [first, work_package]
    html = response.content.decode()
    assert_in_order(
        html, [f"Work package 1: {first.title}", f"Work package 2: {work_package.title}"]
    )
    assert "Work package 3:" not in html
    assert "Work package 4:" not in html
