"""The project's work packages: each led by a partner organisation, with a contact person."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from baltmet.blocks import ListItemsBlock
from baltmet.models import BasePage, IndexPage
from baltmet.queries import published, related_pages


class WorkPackageIndexPage(IndexPage):
    subpage_types = ["workpackages.WorkPackagePage"]
    template = "pages/work_package_index_page.html"

    class Meta:
        verbose_name = "work packages index"

    def work_packages(self):
        return (
            published(WorkPackagePage.objects.child_of(self))
            .select_related("lead_organisation")
            .order_by("number")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["work_packages"] = self.work_packages()
        return context


# The latest news items and events a work package's page links to.
RELATED_SHOWN = 10


class WorkPackagePage(BasePage):
    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1)],
        help_text="The work package's number; each number is used once.",
    )
    headline = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the work package achieves, in a line "
        "(e.g. 'Bringing Clusters and Cluster Developers Together').",
    )
    lead_organisation = models.ForeignKey(
        "partners.OrganisationPage",
        on_delete=models.PROTECT,
        related_name="led_work_packages",
        verbose_name="responsible partner",
        help_text="The partner organisation that leads this work package.",
    )
    lead_unit = models.CharField(
        max_length=120,
        blank=True,
        help_text="A unit or body within the responsible partner that leads the work, if any.",
    )
    contact = models.ForeignKey(
        "partners.OrganisationContact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_packages",
        verbose_name="contact person",
        help_text="One of the responsible partner's contact persons.",
    )
    summary = models.TextField(blank=True, help_text="What the work package is about.")
    goals_intro = models.TextField(blank=True, help_text="The sentence that leads into the goals.")
    goals = StreamField(ListItemsBlock(), blank=True)
    results_intro = models.TextField(
        blank=True, help_text="The sentence that leads into the results."
    )
    results = StreamField(ListItemsBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("headline")]),
        MultiFieldPanel(
            [FieldPanel("lead_organisation"), FieldPanel("lead_unit"), FieldPanel("contact")],
            heading="Responsibility",
        ),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("goals_intro"), FieldPanel("goals")], heading="Goals"),
        MultiFieldPanel([FieldPanel("results_intro"), FieldPanel("results")], heading="Results"),
        InlinePanel("deliverables", label="Deliverable", heading="Deliverables"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("headline"),
        index.SearchField("summary"),
        index.SearchField("goals"),
        index.SearchField("results"),
        index.FilterField("number"),
        index.RelatedFields("lead_organisation", [index.SearchField("title")]),
    ]
    api_fields = [
        APIField("number"),
        APIField("headline"),
        APIField("lead_organisation"),
        APIField("lead_unit"),
        APIField("contact"),
        APIField("summary"),
        APIField("goals_intro"),
        APIField("goals"),
        APIField("results_intro"),
        APIField("results"),
        APIField("deliverables"),
    ]

    parent_page_types = ["workpackages.WorkPackageIndexPage"]
    subpage_types = []
    template = "pages/work_package_page.html"
    card_template = "components/work_package_card.html"

    class Meta:
        verbose_name = "work package"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Work package {self.number}: {self.title}" if self.number else self.title

    @property
    def label(self) -> str:
        return gettext("Work package %(number)s") % {"number": self.number}

    def clean(self):
        super().clean()
        errors = {}
        duplicate = (
            WorkPackagePage.objects.filter(number=self.number).exclude(pk=self.pk).first()
            if self.number
            else None
        )
        if duplicate:
            errors["number"] = f"Work package {self.number} already exists: “{duplicate.title}”."
        if (
            self.contact_id
            and self.lead_organisation_id
            and self.contact.page_id != self.lead_organisation_id
        ):
            errors["contact"] = "Choose a contact person of the responsible partner."
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Reverse relations from news and events: this app never imports the ones above it.
        news = related_pages(self, "news_pages").defer_streamfields().order_by("-date")
        events = related_pages(self, "events").defer_streamfields().order_by("-starts_at")
        context["deliverables"] = self.deliverables.select_related("document")
        context["related_news"] = news[:RELATED_SHOWN]
        context["related_events"] = events[:RELATED_SHOWN]
        # Its results and documents in the library (a reverse relation, like the above).
        context["library_entries"] = (
            related_pages(self, "library_entries").defer_streamfields().order_by("path")
        )
        return context


class WorkPackageDeliverable(Orderable):
    page = ParentalKey(WorkPackagePage, on_delete=models.CASCADE, related_name="deliverables")
    document = models.ForeignKey(
        get_document_model_string(), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        max_length=255, blank=True, help_text="Shown instead of the document's title if given."
    )
    description = models.TextField(blank=True)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("description")]
    api_fields = [APIField("document"), APIField("title"), APIField("description")]

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
