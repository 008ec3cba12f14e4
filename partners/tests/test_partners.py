from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisStatus, ProjectRole
from tests.helpers import assert_in_order


def test_metropolis_lists_lead_partner_then_coordinator_partners_observers(client, metropolis):
    def organisation(title, role, **fields):
        return OrganisationPageFactory(parent=metropolis, title=title, project_role=role, **fields)

    partner_b = organisation("B partner", ProjectRole.PARTNER)
    observer = organisation("A observer", ProjectRole.OBSERVER)
    partner_a = organisation("A partner", ProjectRole.PARTNER)
    coordinator = organisation("Z coordinator", ProjectRole.COORDINATOR)
    lead = organisation("Y lead partner", ProjectRole.LEAD_PARTNER)
    organisation("A draft", ProjectRole.LEAD_PARTNER, live=False)

    response = client.get(metropolis.url)

    expected = [lead, coordinator, partner_a, partner_b, observer]
    assert list(response.context["organisations"]) == expected
    html = response.content.decode()
    assert_in_order(html, [page.title for page in expected])
    assert "A draft" not in html


def test_partners_index_puts_every_organisation_with_its_metropolis(client, site_tree):
    north = MetropolisPageFactory(parent=site_tree.partners, title="North Metropolis")
    south = MetropolisPageFactory(parent=site_tree.partners, title="South Metropolis")
    in_north = OrganisationPageFactory(parent=north, project_role=ProjectRole.PARTNER)
    lead_in_south = OrganisationPageFactory(parent=south, project_role=ProjectRole.LEAD_PARTNER)
    coordinator_in_north = OrganisationPageFactory(
        parent=north, project_role=ProjectRole.COORDINATOR
    )

    response = client.get(site_tree.partners.url)

    organisations = response.context["organisations"]
    assert organisations == [lead_in_south, coordinator_in_north, in_north]
    assert [o.metropolis for o in organisations] == [south, north, north]
    html = response.content.decode()
    for organisation in organisations:
        assert f"{organisation.metropolis.title}, {organisation.metropolis.country}" in html


def test_partners_index_splits_partner_cities_and_observers(client, site_tree):
    def metropolis(title, status):
        return MetropolisPageFactory(parent=site_tree.partners, title=title, status=status)

    observer = metropolis("Observer Metropolis", MetropolisStatus.OBSERVER)
    second = metropolis("B Metropolis", MetropolisStatus.PARTNER)
    first = metropolis("A Metropolis", MetropolisStatus.PARTNER)
    metropolis("Draft Metropolis", MetropolisStatus.PARTNER).unpublish()

    response = client.get(site_tree.partners.url)

    assert response.context["partner_cities"] == [first, second]
    assert response.context["observer_cities"] == [observer]
    html = response.content.decode()
    partner_section = ['id="partner-cities-heading"', first.title, second.title]
    observer_section = ['id="observer-cities-heading"', observer.title]
    assert_in_order(html, [*partner_section, *observer_section])
    assert "Draft Metropolis" not in html


def test_an_organisation_page_names_its_metropolis_read_as_a_card(
    client, site_tree, django_assert_num_queries
):
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga", country="Latvia")
    organisation = OrganisationPageFactory(parent=riga)

    html = client.get(organisation.url).content.decode()
    with django_assert_num_queries(1):
        metropolis = organisation.parent_metropolis()

    assert f'<dd><a href="{riga.url}">Riga</a>, Latvia</dd>' in html
    assert metropolis == riga
    assert "profile" in metropolis.get_deferred_fields()  # not the whole page
