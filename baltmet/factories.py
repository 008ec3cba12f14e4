"""Factories for the shared models: users, media, figure sources and content pages.

Page factories take `parent=`. Without it they find the usual parent of their page type
(the first one in the tree) or create it, so `NewsPageFactory()` alone gives a news item
under a news index under a home page. Values are generic placeholders, never real facts.
"""

from decimal import Decimal

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.models import Collection, Page

from baltmet.models import CustomDocument, CustomImage, FigureSource, StandardPage, User


def paragraph(text: str) -> list[dict]:
    """A StreamField value with one paragraph block, in the stored (JSON) form."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def first_or_create(page_factory):
    """The first page of the factory's model, or a new one: the usual parent of a type."""
    return page_factory._meta.model.objects.first() or page_factory()


class BasePageFactory(wagtail_factories.PageFactory):
    """A page factory whose pages go under `default_parent()` unless `parent=` is given."""

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls):
        return Page.get_first_root_node()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = cls.default_parent()
        return super()._create(model_class, *args, **kwargs)


def home_page():
    from baltmet.home.factories import HomePageFactory  # The home app imports this module.

    return first_or_create(HomePageFactory)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("test-password-not-secret")

    class Meta:
        model = User
        skip_postgeneration_save = True


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    description = factory.Sequence(lambda n: f"Placeholder picture {n}")
    credit = factory.Sequence(lambda n: f"Photographer {n}")
    # Into the root collection that the migrations create, not a second root.
    collection = factory.LazyFunction(Collection.get_first_root_node)

    class Meta:
        model = CustomImage


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Document {n}")
    description = factory.Sequence(lambda n: f"What document {n} contains.")
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4 placeholder")
    collection = factory.LazyFunction(Collection.get_first_root_node)

    class Meta:
        model = CustomDocument


class FigureSourceFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Figure source {n}")
    publisher = factory.Sequence(lambda n: f"Publisher {n}")
    year = 2014

    class Meta:
        model = FigureSource


class KeyFigureFactory(factory.django.DjangoModelFactory):
    """Fields of every key figure; subclasses add the page it belongs to."""

    measure = factory.Sequence(lambda n: f"Measure {n}")
    value = Decimal("100")
    unit = "million"
    qualifier = ""
    statement = factory.LazyAttribute(
        lambda figure: f"{figure.measure} is {figure.value} {figure.unit}."
    )
    source = factory.SubFactory(FigureSourceFactory)
    # In the order created, as the admin's inline panel numbers them: with every sort_order
    # equal, PostgreSQL may return a page's figures in any order.
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        abstract = True


class StandardPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Content page {n}")
    intro = factory.Sequence(lambda n: f"Lead paragraph of content page {n}.")
    body = factory.Sequence(lambda n: paragraph(f"Body text of content page {n}."))

    class Meta:
        model = StandardPage

    @classmethod
    def default_parent(cls):
        return home_page()
