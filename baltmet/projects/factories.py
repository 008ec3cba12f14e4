import factory

from baltmet.factories import BasePageFactory, home_page
from baltmet.projects.models import ProjectKind, RelatedProject, RelatedProjectsPage


class RelatedProjectFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Related project {n}")
    kind = ProjectKind.PROJECT
    summary = factory.Sequence(lambda n: f"What related project {n} does.")
    relation = "It shares the network's goals."
    source = "A project description"

    class Meta:
        model = RelatedProject


class RelatedProjectsPageFactory(BasePageFactory):
    title = "Related projects"
    intro = "Projects and programmes BaltMet Inno works with."

    class Meta:
        model = RelatedProjectsPage

    @classmethod
    def default_parent(cls):
        return home_page()
