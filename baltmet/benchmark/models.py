"""The science-park benchmark: work package 3 designed "a benchmark tool based on specific
success criteria for science parks" and benchmarked six parks in different BaltMet Inno cities.

The source documents name neither the criteria nor the parks, so the tool ships empty. Editors
(moderators and administrators) define the criteria and record each park's values, each value
with its source and year (snippets under "Benchmark"); the benchmark page compares the parks a
visitor chooses, side by side, in a table and a bar chart per criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from baltmet.models import BasePage, FigureSource


class Criterion(models.Model):
    """A success criterion the parks are compared by."""

    name = models.CharField(max_length=200, unique=True, help_text="As the benchmark names it.")
    description = models.TextField(blank=True, help_text="What is measured, and how.")
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. '%', 'companies', 'm²'.")
    sort_order = models.PositiveSmallIntegerField(
        "position", default=0, help_text="Criteria are listed by this number, then by name."
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("unit"), FieldPanel("sort_order")]),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "benchmark criterion"
        verbose_name_plural = "benchmark criteria"

    def __str__(self) -> str:
        return self.name


class SciencePark(index.Indexed, ClusterableModel):
    """A science park in the benchmark, with its value for each criterion."""

    name = models.CharField(max_length=255, unique=True)
    metropolis = models.ForeignKey(
        "partners.MetropolisPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The metropolis it is in.",
    )
    organisation = models.ForeignKey(
        "partners.OrganisationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The partner organisation that runs it, if it is one.",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("metropolis"), FieldPanel("organisation")]),
        InlinePanel("values", label="Value", heading="Values by criterion"),
    ]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "science park"

    def __str__(self) -> str:
        return self.name


class BenchmarkValue(Orderable):
    """One park's value for one criterion, as a source states it for a year."""

    park = ParentalKey(SciencePark, on_delete=models.CASCADE, related_name="values")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the value is for.",
    )
    source = models.ForeignKey(
        FigureSource,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The document that states the value (add it under Figure sources).",
    )

    panels = [
        FieldRowPanel([FieldPanel("criterion"), FieldPanel("value")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("source")]),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["park", "criterion", "year"], name="benchmark_one_value_per_year"
            )
        ]

    @property
    def display_value(self) -> str:
        number = format(self.value.normalize(), "f") if isinstance(self.value, Decimal) else ""
        unit = self.criterion.unit
        return f"{number}{unit}" if unit == "%" else f"{number} {unit}".strip()


@dataclass
class Bar:
    park: SciencePark
    value: BenchmarkValue | None
    length: str  # 0-100 for the SVG, empty when the park has no value


@dataclass
class Row:
    criterion: Criterion
    bars: list[Bar]  # one per park compared, in their order


# The most parks a comparison shows side by side: a table wider than this is not readable.
MAX_COMPARED = 8


def comparison(parks: list[SciencePark], criteria: list[Criterion]) -> list[Row]:
    """A row per criterion, with each park's latest value and its bar on a scale from zero to
    the largest value of the row (the same criterion, so a common axis)."""
    rows = []
    for criterion in criteria:
        latest = {}
        for park in parks:
            values = [v for v in park.values.all() if v.criterion_id == criterion.pk]
            latest[park.pk] = max(values, key=lambda v: v.year, default=None)
        largest = max((v.value for v in latest.values() if v and v.value > 0), default=None)
        bars = []
        for park in parks:
            value = latest[park.pk]
            length = ""
            if value is not None and largest:
                length = f"{float(max(value.value, Decimal(0)) / largest * 100):.1f}"
            bars.append(Bar(park, value, length))
        rows.append(Row(criterion, bars))
    return rows


class BenchmarkPage(BasePage):
    """The benchmark of science parks: choose parks and compare them by criterion."""

    intro = models.TextField(blank=True, help_text="Lead paragraph under the title.")
    empty_text = models.TextField(
        blank=True,
        help_text="What visitors read while no park or criterion has been entered.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("empty_text")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("empty_text"), APIField("benchmark")]

    parent_page_types = ["home.HomePage", "baltmet.StandardPage"]
    subpage_types = []
    max_count = 1
    template = "pages/benchmark_page.html"

    class Meta:
        verbose_name = "benchmark page"

    @staticmethod
    def parks():
        """Every park with its values, their criteria and sources: three queries."""
        values = BenchmarkValue.objects.select_related("criterion", "source")
        return list(
            SciencePark.objects.select_related("metropolis").prefetch_related(
                Prefetch("values", queryset=values.order_by("criterion__sort_order", "-year"))
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parks = self.parks()
        criteria = list(Criterion.objects.all())
        chosen_ids = set(request.GET.getlist("park"))
        chosen = [park for park in parks if str(park.pk) in chosen_ids] or parks
        context.update(
            parks=parks,
            criteria=criteria,
            compared=chosen[:MAX_COMPARED],
            too_many=len(chosen) > MAX_COMPARED,
            ignored_choice=bool(chosen_ids)
            and len(chosen_ids & {str(p.pk) for p in parks}) < len(chosen_ids),
            rows=comparison(chosen[:MAX_COMPARED], criteria),
            sources=sorted(
                {v.source for park in chosen for v in park.values.all()},
                key=lambda source: (source.year or 0, source.title),
            ),
        )
        return context

    @property
    def benchmark(self) -> dict:
        """For the API: the criteria, and each park's values with source and year."""
        return {
            "criteria": [
                {"name": c.name, "unit": c.unit, "description": c.description}
                for c in Criterion.objects.all()
            ],
            "parks": [
                {
                    "name": park.name,
                    "metropolis": park.metropolis.title if park.metropolis else None,
                    "values": [
                        {
                            "criterion": v.criterion.name,
                            "value": str(v.value),
                            "year": v.year,
                            "source": str(v.source),
                        }
                        for v in park.values.all()
                    ],
                }
                for park in self.parks()
            ],
        }
