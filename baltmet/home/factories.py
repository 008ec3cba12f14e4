import factory

from baltmet.factories import BasePageFactory, KeyFigureFactory, first_or_create, paragraph
from baltmet.home.models import HomePage, HomePageKeyFigure


class HomePageFactory(BasePageFactory):
    """The home page, under the tree root. Making it the site root is up to the caller."""

    title = "Home"
    # Migrations leave Wagtail's welcome page at /home/; keep clear of its slug.
    slug = factory.Sequence(lambda n: f"home-{n}")
    mission = "The mission of the network, in a paragraph."
    body = factory.LazyFunction(lambda: paragraph("More about the network."))

    class Meta:
        model = HomePage


class HomePageKeyFigureFactory(KeyFigureFactory):
    page = factory.LazyFunction(lambda: first_or_create(HomePageFactory))

    class Meta:
        model = HomePageKeyFigure
