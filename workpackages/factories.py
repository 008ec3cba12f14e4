import factory

from baltmet.factories import BasePageFactory, DocumentFactory, first_or_create, home_page
from partners.factories import OrganisationPageFactory
from workpackages.models import WorkPackageDeliverable, WorkPackageIndexPage, WorkPackagePage


class WorkPackageIndexPageFactory(BasePageFactory):
    title = "Work packages"
    intro = "<p>The work packages of the project.</p>"

    class Meta:
        model = WorkPackageIndexPage

    @classmethod
    def default_parent(cls):
        return home_page()


class WorkPackagePageFactory(BasePageFactory):
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda page: f"Work package topic {page.number}")
    headline = factory.LazyAttribute(lambda page: f"What work package {page.number} achieves")
    lead_organisation = factory.SubFactory(OrganisationPageFactory)
    summary = factory.LazyAttribute(lambda page: f"What work package {page.number} is about.")
    goals_intro = "The work package aims to:"
    goals = factory.LazyAttribute(
        lambda page: [{"type": "item", "value": f"Goal of work package {page.number}"}]
    )
    results_intro = "The results are:"
    results = factory.LazyAttribute(
        lambda page: [{"type": "item", "value": f"Result of work package {page.number}"}]
    )

    class Meta:
        model = WorkPackagePage

    @classmethod
    def default_parent(cls):
        return first_or_create(WorkPackageIndexPageFactory)


class WorkPackageDeliverableFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(WorkPackagePageFactory)
    document = factory.SubFactory(DocumentFactory)
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    description = "A short description of the deliverable."

    class Meta:
        model = WorkPackageDeliverable
