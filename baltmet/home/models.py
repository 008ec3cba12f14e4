from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from baltmet.blocks import ContentBlocks
from baltmet.models import BasePage, KeyFigure
from baltmet.queries import published
from events.models import EventPage, past, upcoming
from news.models import NewsPage
from partners.models import MetropolisPage
from workpackages.models import WorkPackagePage


class HomePage(BasePage):
    """The front page: the mission, the key figures and what is new in the network."""

    tagline = models.CharField(
        max_length=200,
        blank=True,
        help_text="One sentence under the site's name at the top of the page: what BaltMet "
        "Inno is, for a visitor who has never heard of it.",
    )
    mission = models.TextField(help_text="The network's mission, in a paragraph.")
    body = StreamField(
        ContentBlocks(), blank=True, help_text="More about the network, under the mission."
    )
    key_figures_heading = models.CharField(
        max_length=120, default="Baltic Metropolises – Pool of Potentials"
    )
    key_figures_note = models.TextField(
        blank=True, help_text="A note under the figures, e.g. which cities they cover."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("mission"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("key_figures_heading"),
                FieldPanel("key_figures_note"),
                InlinePanel("key_figures", label="Key figure"),
            ],
            heading="Key figures",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("mission"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("tagline"),
        APIField("mission"),
        APIField("body"),
        APIField("key_figures"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "baltmet.StandardPage",
        "actionplan.ActionPlanPage",
        "projects.RelatedProjectsPage",
        "partners.PeoplePage",
        "partners.PartnersIndexPage",
        "workpackages.WorkPackageIndexPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "contact.ContactPage",
        "library.LibraryPage",
        "benchmark.BenchmarkPage",
    ]
    max_count = 1
    template = "pages/home_page.html"

    latest_news_count = 3
    events_count = 3

    class Meta:
        verbose_name = "home page"

    def published_below(self, model):
        return published(model.objects.descendant_of(self)).defer_streamfields()

    def get_context(self, request, *args, **kwargs):
        """What the page shows from the whole site, in six queries at most."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        news = self.published_below(NewsPage).order_by("-date", "-pk")
        events = self.published_below(EventPage)
        upcoming_events = list(upcoming(events, now)[: self.events_count])
        work_packages = self.published_below(WorkPackagePage).select_related("lead_organisation")
        context.update(
            latest_news=news[: self.latest_news_count],
            upcoming_events=upcoming_events,
            # The latest past events, read only when none is upcoming.
            recent_events=[] if upcoming_events else past(events, now)[: self.events_count],
            key_figures=self.key_figures.select_related("source"),
            work_packages=work_packages.order_by("number"),
            metropolises=self.published_below(MetropolisPage).order_by("title"),
        )
        return context


class HomePageKeyFigure(KeyFigure):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="key_figures")
