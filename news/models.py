"""News of the network, related to the metropolises, partners, work packages and events."""

from django import forms
from django.db import models
from django.templatetags.static import static
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from baltmet.actionplan.serializers import ActionsField
from baltmet.blocks import ContentBlocks
from baltmet.filters import paginate
from baltmet.models import BasePage, IndexPage
from baltmet.queries import chosen_pages, published
from baltmet.structured_data import CONTEXT, SITE_NAME, SITE_SHARE_IMAGE, absolute, plain_text

from .filters import NewsFilter


class NewsIndexPage(IndexPage):
    subpage_types = ["news.NewsPage"]
    template = "pages/news_index_page.html"
    page_size = 12

    class Meta:
        verbose_name = "news index"

    def news_items(self):
        """Everything the listing shows, newest first, in a fixed number of queries."""
        return (
            published(NewsPage.objects.child_of(self)).defer_streamfields().order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = NewsFilter(request.GET, self.news_items(), index=self)
        context["news_page"], page_notices = paginate(
            filters.qs, self.page_size, request.GET, count=filters.count
        )
        context["filters"] = filters
        context["notices"] = [*filters.notices, *page_notices]
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(BasePage):
    date = models.DateField(
        "news date",
        default=timezone.localdate,
        help_text="The publication date readers see on the item; it also orders the news.",
    )
    from_former_portal = models.BooleanField(
        "taken from the former portal",
        default=False,
        help_text="Tick for an item taken from the former BaltMet Inno portal, which gave no "
        "publication date. Its date then only orders the news: readers, feeds and search "
        "engines are told it comes from the former portal, undated.",
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
    action_plan_actions = ParentalManyToManyField(
        "actionplan.Action",
        blank=True,
        related_name="news_pages",
        verbose_name="Action Plan actions",
        help_text="The actions of the BaltMet Action Plan 2008-2010 this serves, if any.",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("from_former_portal")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("related_metropolises", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_organisations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_work_packages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_events", widget=forms.CheckboxSelectMultiple),
                FieldPanel("action_plan_actions", widget=forms.CheckboxSelectMultiple),
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
        APIField("from_former_portal"),
        APIField("intro"),
        APIField("body"),
        APIField("tags"),
        APIField("related_metropolises"),
        APIField("related_organisations"),
        APIField("related_work_packages"),
        APIField("related_events"),
        APIField("action_plan_actions", serializer=ActionsField()),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "pages/news_page.html"
    card_template = "components/news_card.html"
    og_type = "article"

    class Meta:
        verbose_name = "news item"
        # Listings, the home page and the feeds show the newest first: with thousands of
        # items, reading the index backwards replaces sorting the whole table.
        indexes = [models.Index(fields=["date", "page_ptr"], name="news_newest_first")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Its tags and the published pages its editors chose, in five queries (in a
        # preview, the draft's own).
        context["tags"] = list(self.tags.all())
        context["related_metropolises"] = chosen_pages(self, "related_metropolises")
        context["related_organisations"] = chosen_pages(self, "related_organisations")
        context["related_work_packages"] = chosen_pages(self, "related_work_packages")
        context["related_events"] = chosen_pages(self, "related_events", "starts_at")
        return context

    def structured_data(self, context, url, site_url):
        data = {
            "@context": CONTEXT,
            "@type": "NewsArticle",
            "headline": self.title,
            "publisher": {"@type": "Organization", "name": SITE_NAME},
            "image": absolute(site_url, static(SITE_SHARE_IMAGE)),
        }
        if not self.from_former_portal:  # an item of the former portal has no known date
            data["datePublished"] = self.date.isoformat()
        if site_url:
            data["publisher"]["url"] = site_url
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.intro:
            data["description"] = plain_text(self.intro)
        if url:
            data["url"] = url
        return data
