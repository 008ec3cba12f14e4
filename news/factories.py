import factory
from django.utils import timezone

from baltmet.factories import BasePageFactory, first_or_create, home_page, paragraph
from news.models import NewsIndexPage, NewsPage


class NewsIndexPageFactory(BasePageFactory):
    title = "News"
    intro = "<p>News of the network.</p>"

    class Meta:
        model = NewsIndexPage

    @classmethod
    def default_parent(cls):
        return home_page()


class NewsPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"News item {n}")
    date = factory.LazyFunction(timezone.localdate)
    intro = factory.LazyAttribute(lambda page: f"The lead of {page.title}.")
    body = factory.LazyAttribute(lambda page: paragraph(f"The text of {page.title}."))

    class Meta:
        model = NewsPage

    @classmethod
    def default_parent(cls):
        return first_or_create(NewsIndexPageFactory)
