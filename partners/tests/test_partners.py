from baltmet.factories import ImageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisStatus, ProjectRole
from tests.helpers import assert_in_order, queries


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


def test_an_organisation_with_a_logo_costs_one_query_more_once_its_renditions_exist(
    client, settings, metropolis
):
    """The logo is shown on the page and shared (og:image, the JSON-LD logo): the image is
    read once for both, and its renditions come from the cache once made."""
    settings.PAGE_CACHE = False
    without_logo = OrganisationPageFactory(parent=metropolis)
    with_logo = OrganisationPageFactory(parent=metropolis, logo=ImageFactory())

    assert queries(client, with_logo.url) == queries(client, without_logo.url) + 1
    html = client.get(with_logo.url).content.decode()
    assert 'property="og:image" content="http://localhost/media/images/' in html
    assert '"logo": "http://localhost/media/images/' in html


def test_a_logo_is_a_picture_in_avif_webp_and_png_sharp_on_dense_screens(client, metropolis):
    organisation = OrganisationPageFactory(
        parent=metropolis, logo=ImageFactory(file__width=600, file__height=300)
    )

    html = client.get(organisation.url).content.decode()

    logo = html[html.index('<div class="org-logo">') : html.index("</picture>")]
    assert logo.index('type="image/avif"') < logo.index('type="image/webp"')
    img = logo[logo.index("<img") :]
    assert '.png"' in img  # the fallback keeps a logo's transparency
    assert 'alt=""' in img  # the organisation's name is the heading beside it
    # Drawn 80 px high from a 160 px rendition: the attributes give its shape, CSS its size.
    assert 'height="160"' in img and 'width="320"' in img
