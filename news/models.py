"""News of the network, related to the metropolises, partners, work packages and events."""

from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from baltmet.blocks import ContentBlocks
from baltmet.cache.facts import Fact, shown_with_page
from baltmet.cache.tags import page_tag
from baltmet.filters import KeptPages, listing_tags, paginate
from baltmet.links import ServePathReversedOnce
from baltmet.models import IndexPage
from baltmet.queries import ViewRestrictionsFromRequest, as_cards, published, related_cards
from baltmet.rows import BuiltFromRows

from .filters import NewsFilter


class NewsIndexPage(IndexPage):
    subpage_types = ["news.NewsPage"]
    template = "pages/news_index_page.html"
    page_size = 12

    class Meta:
        verbose_name = "news index"

    def news_items(self):
        """Everything the listing shows, newest first, in a fixed number of queries."""
        return as_cards(published(NewsPage.objects.child_of(self))).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = NewsFilter(request.GET, self.news_items(), remember_for=self)
        listing = filters.qs
        if not filters.applied:
            # Deep pages cost PostgreSQL an OFFSET of thousands of rows each time.
            listing = KeptPages(listing, f"news:{self.pk}:listing", listing_tags(self))
        context["news_page"], page_notices = paginate(
            listing, self.page_size, request.GET, count=filters.count
        )
        context["filters"] = filters
        context["notices"] = [*filters.notices, *page_notices]
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(ServePathReversedOnce, BuiltFromRows, ViewRestrictionsFromRequest, Page):
    date = models.DateField(
        "news date", default=timezone.localdate, help_text="The date readers see on the item."
    )
    intro = models.TextField(help_text="One or two sentences: the lead and the listing text.")
    body = StreamField(ContentBlocks(), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)
    related_metropolises = ParentalManyToManyField(
        "partners.MetropolisPage", blank=True, related_name="news_pages"
    )
    related_organisations = ParentalManyToManyField(
        "partners.OrganisationPage",
        blank=True,
        related_name="news_pages",
        verbose_name="related partners",
    )
    related_work_packages = ParentalManyToManyField(
        "workpackages.WorkPackagePage", blank=True, related_name="news_pages"
    )
    related_events = ParentalManyToManyField(
        "events.EventPage",
        blank=True,
        related_name="news_pages",
        help_text="Events the item announces or reports on.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("related_metropolises"),
                FieldPanel("related_organisations"),
                FieldPanel("related_work_packages"),
                FieldPanel("related_events"),
            ],
            heading="Related to",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("intro"),
        APIField("body"),
        APIField("tags"),
        APIField("related_metropolises"),
        APIField("related_organisations"),
        APIField("related_work_packages"),
        APIField("related_events"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "pages/news_page.html"
    card_fields = ("date", "intro")  # see baltmet.queries.as_cards

    class Meta:
        verbose_name = "news item"
        # Listings, the home page and the feeds show the newest first: with thousands of
        # items, reading the index backwards replaces sorting the whole table.
        indexes = [models.Index(fields=["date", "page_ptr"], name="news_newest_first")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tags = {page_tag(self.pk)}
        context.update(shown_with_page(request, f"news:{self.pk}:chosen", tags, self.chosen))
        return context

    def chosen(self) -> Fact:
        """Its tags and the pages its editors chose, read in five queries: kept as a fact
        (baltmet/cache/facts.py) until the item is published again or one of the pages it
        shows changes."""
        return Fact(
            {
                "tags": list(self.tags.all()),
                "related_metropolises": related_cards(self, "related_metropolises"),
                "related_organisations": related_cards(self, "related_organisations"),
                "related_work_packages": related_cards(self, "related_work_packages"),
                "related_events": related_cards(self, "related_events", "starts_at"),
            }
        )
