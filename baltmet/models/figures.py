"""Key figures keep their source and year: the same measure changes between editions."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable
from wagtail.search import index


def clean_date_and_year(obj) -> None:
    """The rule of a record with a `date`, a `year` and `year_inferred` (a source, a library
    entry): a date gives the year; an inferred year must be given."""
    if obj.date:
        if obj.year and obj.year != obj.date.year:
            raise ValidationError(
                {"year": "The year differs from the date's. Leave it empty or correct it."}
            )
        obj.year = obj.date.year
    if obj.year_inferred and not obj.year:
        raise ValidationError({"year_inferred": "Give the inferred year, or untick this."})


class FigureSource(index.Indexed, models.Model):
    """A source document: a publication that states figures (a brochure, a presentation, a
    profile), or any document a page's content comes from. Key figures cite it with their
    year; pages name it in their "Source" line."""

    title = models.CharField(max_length=255, help_text="Title of the publication.")
    publisher = models.CharField(
        max_length=255, blank=True, help_text="Who published it, e.g. 'City of Helsinki'."
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year of the document, which its figures are stated for. Empty only if "
        "it is undated and no year can be inferred; key figures need a source with a year.",
    )
    year_inferred = models.BooleanField(
        default=False,
        help_text="Tick if the document is undated and the year is inferred from its contents "
        "(say how in the note). Visitors see that it is inferred.",
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="The day, if the document gives one (e.g. of a presentation).",
    )
    note = models.TextField(
        blank=True, help_text="Where and when it appeared, or how the year was determined."
    )
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publication itself, if it is in the document library.",
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("year_inferred")]),
        FieldPanel("note"),
        FieldPanel("document"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("publisher")]
    api_fields = [
        APIField("title"),
        APIField("publisher"),
        APIField("year"),
        APIField("year_inferred"),
        APIField("date"),
        APIField("document"),
    ]

    class Meta:
        ordering = ["year", "title"]
        verbose_name = "figure source"

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def clean(self):
        super().clean()
        clean_date_and_year(self)


class Qualifier(models.TextChoices):
    """The words a source puts before a number. The stored value is English (the API's); the
    label is shown in the visitor's language."""

    EXACT = "", "(exact)"
    APPROXIMATELY = "approximately", _("approximately")
    ALMOST = "almost", _("almost")
    NEARLY = "nearly", _("nearly")
    AROUND = "around", _("around")
    ABOUT = "about", _("about")
    MORE_THAN = "more than", _("more than")
    OVER = "over", _("over")


class KeyFigure(Orderable):
    """One stated figure. Concrete subclasses attach it to the page that shows it."""

    measure = models.CharField(
        max_length=100,
        help_text=(
            "What is measured, e.g. 'Inhabitants'. Use the same words in every edition so "
            "figures from different years can be compared."
        ),
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The number, for charts (e.g. 21 for '21 million'). Empty if none is given.",
    )
    unit = models.CharField(
        max_length=40, blank=True, help_text="e.g. 'million', 'EUR billion', '%', 'km²'."
    )
    qualifier = models.CharField(
        max_length=20, choices=Qualifier.choices, blank=True, default=Qualifier.EXACT
    )
    statement = models.TextField(help_text="The figure in a sentence, as the source states it.")
    source = models.ForeignKey(
        FigureSource,
        on_delete=models.PROTECT,
        related_name="+",
        # A figure is compared by its source's year: an undated source cannot state one.
        limit_choices_to={"year__isnull": False},
    )

    panels = [
        FieldRowPanel([FieldPanel("measure"), FieldPanel("qualifier")]),
        FieldRowPanel([FieldPanel("value"), FieldPanel("unit")]),
        FieldPanel("statement"),
        FieldPanel("source"),
    ]
    api_fields = [
        APIField("measure"),
        APIField("value"),
        APIField("unit"),
        APIField("qualifier"),
        APIField("display_value"),
        APIField("statement"),
        APIField("source"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.measure}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value is None:
            return ""
        return " ".join(p for p in (self.qualifier_label, self.display_number) if p)

    @property
    def qualifier_label(self) -> str:
        """The qualifier in the active language ("etwa"), empty for an exact figure."""
        return self.get_qualifier_display() if self.qualifier else ""

    @property
    def display_number(self) -> str:
        """The value with its unit, without the qualifier: "400 EUR billion". Thousands are
        grouped with a narrow space, as in every language of the network; the decimal mark is
        the language's ("1.5" in English, "1,5" in German)."""
        if self.value is None:
            return ""
        whole, _, fraction = f"{self.value.normalize():,f}".partition(".")
        number = whole.replace(",", "\u202f")
        if fraction:
            number += get_format("DECIMAL_SEPARATOR") + fraction
        separator = "" if self.unit in ("%", "") else " "
        return f"{number}{separator}{self.unit}"
