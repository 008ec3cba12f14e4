from decimal import Decimal

import factory

from baltmet.factories import (
    BasePageFactory,
    KeyFigureFactory,
    first_or_create,
    home_page,
    paragraph,
)
from partners.models import (
    MetropolisKeyFigure,
    MetropolisPage,
    MetropolisStatus,
    OrganisationContact,
    OrganisationPage,
    OrganisationType,
    PartnersIndexPage,
    PeoplePage,
    ProjectRole,
)


class PartnersIndexPageFactory(BasePageFactory):
    title = "Partners"
    intro = "<p>The metropolises and organisations of the network.</p>"

    class Meta:
        model = PartnersIndexPage

    @classmethod
    def default_parent(cls):
        return home_page()


class MetropolisPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Metropolis {n}")
    country = factory.Sequence(lambda n: f"Country {n}")
    status = MetropolisStatus.PARTNER
    latitude = Decimal("59.50000")
    longitude = Decimal("24.50000")
    intro = factory.LazyAttribute(lambda page: f"{page.title} in a sentence.")
    profile = factory.LazyAttribute(lambda page: paragraph(f"The profile of {page.title}."))

    class Meta:
        model = MetropolisPage

    @classmethod
    def default_parent(cls):
        return first_or_create(PartnersIndexPageFactory)


class MetropolisKeyFigureFactory(KeyFigureFactory):
    page = factory.SubFactory(MetropolisPageFactory)

    class Meta:
        model = MetropolisKeyFigure


class OrganisationPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Organisation {n}")
    organisation_type = OrganisationType.DEVELOPMENT_AGENCY
    project_role = ProjectRole.PARTNER
    website = factory.Sequence(lambda n: f"https://organisation-{n}.example.org/")
    intro = factory.LazyAttribute(lambda page: f"{page.title} in a sentence.")

    class Meta:
        model = OrganisationPage

    @classmethod
    def default_parent(cls):
        return first_or_create(MetropolisPageFactory)


class OrganisationContactFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(OrganisationPageFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    job_title = "Project manager"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "+000 0000 0000"

    class Meta:
        model = OrganisationContact


class PeoplePageFactory(BasePageFactory):
    title = "People"
    intro = "The people of the project."

    class Meta:
        model = PeoplePage

    @classmethod
    def default_parent(cls):
        return home_page()
