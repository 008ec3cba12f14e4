from __future__ import annotations

from django import forms
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from baltmet.blocks import RICH_TEXT_FEATURES, StandardPageBlocks
from baltmet.navigation import Navigation
from baltmet.page_forms import PortalPageForm
from baltmet.queries import published
from baltmet.structured_data import ShareImage


class ListingMixin:
    """How a page appears in the listings of other pages.

    `card_template` shows it as a card: `{% include page.card_template with page=item %}`
    with the card's heading `level`. Listings load pages with `defer_streamfields()`, so a
    card may show any field but a StreamField.
    """

    card_template = "components/page_card.html"


class SeoMixin:
    """What search engines and sharing read of a page (baltmet/templatetags/seo_tags.py):
    its Open Graph type, its own share image and its schema.org item, beside the
    breadcrumbs every page has."""

    og_type = "website"

    @cached_property
    def share_image(self) -> ShareImage | None:
        """The page's own image to share, or None for the site's (static/img/share.png)."""
        return None

    def structured_data(self, context, url: str | None, site_url: str) -> dict | None:
        """The page's schema.org item (baltmet/structured_data.py has the pieces), or None.

        `context` is the page's template context, `url` its full URL and `site_url` the
        site's root URL, ending in a slash."""
        return None


class BasePage(ListingMixin, SeoMixin, Page):
    """Every page type of the portal."""

    sources = ParentalManyToManyField(
        "baltmet.FigureSource",
        blank=True,
        related_name="+",
        verbose_name="source documents",
        help_text="The documents this page's content comes from. Visitors see them in a "
        "“Source” line at the end of the page.",
    )

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("sources", widget=forms.CheckboxSelectMultiple)], heading="Sources"
        ),
    ]

    # Refuses a save from a form older than someone else's save, and offers as related pages
    # only those the editor may see (baltmet/page_forms.py).
    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The menu and breadcrumbs, read once for them and the structured data.
        context["navigation"] = Navigation.for_request(request, self)
        return context


class IndexPage(BasePage):
    """The front page of a section (partners, work packages, news, events).

    One of each per site, directly under the home page; it lists its own children.
    """

    intro = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="A short introduction to the section."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


class StandardPage(BasePage):
    """A content page: the Archipelago of Innovation, an action plan, a related project; and
    the portal's notices (privacy, accessibility, imprint), with their placeholders and the
    forms' personal data (StandardPageBlocks)."""

    intro = models.TextField(
        blank=True, help_text="Lead paragraph under the title; also used in listings."
    )
    body = StreamField(StandardPageBlocks(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    # Content pages sit under the home page or group under one another (a topic and its parts).
    parent_page_types = ["home.HomePage", "baltmet.StandardPage"]
    subpage_types = [
        "baltmet.StandardPage",
        "actionplan.ActionPlanPage",
        "projects.RelatedProjectsPage",
        "partners.PeoplePage",
        "benchmark.BenchmarkPage",
    ]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = "content page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = published(self.get_children())
        return context
