"""The library of documents and results: what the network produced, typed and dated, by work
package, organisation and pilot city, with its file if there is one.

Each entry is a page (a `LibraryEntryPage` under the one `LibraryPage`), so partner editors
write and submit entries as they do news, and each has an address to cite. The library page
lists them with filters (type, work package, city, year) and a search that also reads the text
of attached PDFs (`CustomDocument.text`).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language_info, pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from baltmet.actionplan.models import ActionPlanPage
from baltmet.actionplan.serializers import ActionsField
from baltmet.blocks import ContentBlocks
from baltmet.filters import paginate
from baltmet.models import BasePage, IndexPage
from baltmet.models.figures import clean_date_and_year
from baltmet.queries import chosen_pages, published


class EntryKind(models.TextChoices):
    """What an entry is. The stored value is English (the API's); the label is translated."""

    STRATEGY = "strategy", pgettext_lazy("kind of library entry", "Strategy")
    HANDBOOK = "handbook", pgettext_lazy("kind of library entry", "Handbook")
    ANALYSIS = "analysis", pgettext_lazy("kind of library entry", "Analysis")
    SURVEY = "survey", pgettext_lazy("kind of library entry", "Survey")
    FRAMEWORK = "framework", pgettext_lazy("kind of library entry", "Framework")
    BENCHMARK = "benchmark", pgettext_lazy("kind of library entry", "Benchmark")
    TRAINING_PROGRAMME = (
        "training-programme",
        pgettext_lazy("kind of library entry", "Training programme"),
    )
    RECOMMENDATIONS = "recommendations", pgettext_lazy("kind of library entry", "Recommendations")
    AGREEMENT = "agreement", pgettext_lazy("kind of library entry", "Agreement")
    PERMANENT_BODY = "permanent-body", pgettext_lazy("kind of library entry", "Permanent body")
    COOPERATION = "co-operation", pgettext_lazy("kind of library entry", "Co-operation")
    PRESENTATION = "presentation", pgettext_lazy("kind of library entry", "Presentation")
    BROCHURE = "brochure", pgettext_lazy("kind of library entry", "Brochure")
    OTHER = "other", pgettext_lazy("kind of library entry", "Other")


class LibraryPage(IndexPage):
    """The library: every entry, with filters and a search of their words and files."""

    subpage_types = ["library.LibraryEntryPage"]
    template = "pages/library_page.html"
    page_size = 20

    class Meta:
        verbose_name = "library"

    def entries(self):
        """Everything the listing shows, the newest first (undated entries last), with what
        the cards show: five queries for a page of them, whatever their number."""
        return (
            published(LibraryEntryPage.objects.child_of(self))
            .defer_streamfields()
            .select_related("work_package", "document")
            .prefetch_related("pilot_cities")
            .order_by(models.F("year").desc(nulls_last=True), "-date", "title")
        )

    def get_context(self, request, *args, **kwargs):
        from baltmet.library.filters import LibraryFilter  # filters read this module's models

        context = super().get_context(request, *args, **kwargs)
        filters = LibraryFilter(request.GET, self.entries(), locale_id=self.locale_id)
        context["entries_page"], page_notices = paginate(filters.qs, self.page_size, request.GET)
        context["filters"] = filters
        context["notices"] = [*filters.notices, *page_notices]
        return context


class LibraryEntryPage(BasePage):
    """One document or result: a strategy, a handbook, an analysis, a presentation..."""

    kind = models.CharField(
        "type", max_length=30, choices=EntryKind.choices, help_text="What the entry is."
    )
    summary = models.TextField(
        help_text="What it is or what it achieved, in one to three sentences; as the source "
        "words it where the entry comes from a source document."
    )
    body = StreamField(ContentBlocks(), blank=True)
    date = models.DateField(
        null=True,
        blank=True,
        help_text="The day it was published or presented, if known. Leave empty otherwise.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year, if the day is not known (taken from the date if there is one).",
    )
    year_inferred = models.BooleanField(
        default=False,
        help_text="Tick if no source states the year and it is inferred from the context "
        "(e.g. from an undated document's contents). Visitors see that it is inferred.",
    )
    work_package = models.ForeignKey(
        "workpackages.WorkPackagePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries",
        help_text="The work package that produced it, if any.",
    )
    organisations = ParentalManyToManyField(
        "partners.OrganisationPage",
        blank=True,
        related_name="library_entries",
        help_text="The partner organisations that produced or presented it.",
    )
    pilot_cities = ParentalManyToManyField(
        "partners.MetropolisPage",
        blank=True,
        related_name="library_entries",
        help_text="The metropolises it was drafted for or piloted in, if any.",
    )
    people = ParentalManyToManyField(
        "partners.OrganisationContact",
        blank=True,
        related_name="library_entries",
        help_text="Its authors or speakers, among the organisations' contact persons.",
    )
    event = models.ForeignKey(
        "events.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries",
        help_text="The event where it was presented, if any.",
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="The language of the document, if known.",
    )
    document = models.ForeignKey(
        "baltmet.CustomDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries",
        help_text="The file, if it is published. The text of a PDF is searched too.",
    )
    action_plan_actions = ParentalManyToManyField(
        "actionplan.Action",
        blank=True,
        related_name="library_entries",
        verbose_name="Action Plan actions",
        help_text="The actions of the BaltMet Action Plan 2008-2010 this serves, if any.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldRowPanel([FieldPanel("year"), FieldPanel("year_inferred")]),
            ],
            heading="When",
        ),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("language")],
            heading="File",
        ),
        MultiFieldPanel(
            [
                FieldPanel("work_package"),
                FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("pilot_cities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("people"),
                FieldPanel("event"),
                FieldPanel("action_plan_actions", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Related to",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.RelatedFields("document", [index.SearchField("title"), index.SearchField("text")]),
    ]
    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("body"),
        APIField("date"),
        APIField("year"),
        APIField("year_inferred"),
        APIField("work_package"),
        APIField("organisations"),
        APIField("pilot_cities"),
        APIField("people"),
        APIField("event"),
        APIField("language"),
        APIField("document"),
        APIField("action_plan_actions", serializer=ActionsField()),
    ]

    parent_page_types = ["library.LibraryPage"]
    subpage_types = []
    template = "pages/library_entry_page.html"
    card_template = "components/library_entry_card.html"

    class Meta:
        verbose_name = "library entry"
        verbose_name_plural = "library entries"

    def clean(self):
        super().clean()
        clean_date_and_year(self)

    @property
    def is_result(self) -> bool:
        """A result of the project's work (not a presentation or the brochure about it),
        which belongs to a work package: the editors' content checks ask for one."""
        return self.kind not in (EntryKind.PRESENTATION, EntryKind.BROCHURE)

    @property
    def language_name(self) -> str:
        """The document's language in its own words ("Latviešu"), for the `lang` it is in."""
        return get_language_info(self.language)["name_local"] if self.language else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The published pages an editor chose (in a preview, the draft's own).
        context["organisations"] = chosen_pages(self, "organisations")
        context["pilot_cities"] = chosen_pages(self, "pilot_cities")
        context["people"] = list(self.people.select_related("page"))
        context["actions"] = list(self.action_plan_actions.select_related("focus_area"))
        # The actions link to their place on the Action Plan page.
        context["action_plan"] = (
            ActionPlanPage.objects.live().first() if context["actions"] else None
        )
        return context
