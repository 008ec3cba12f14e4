"""Filters of the news listing: year, tag, metropolis, partner and work package."""

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page

from baltmet.cache import generation
from baltmet.filters import ListingFilterSet, having_related
from baltmet.queries import published
from partners.models import MetropolisPage, OrganisationPage
from workpackages.models import WorkPackagePage

# Filter name: (the news item's relation, the page type it points to).
RELATIONS = {
    "metropolis": ("related_metropolises", MetropolisPage),
    "partner": ("related_organisations", OrganisationPage),
    "work_package": ("related_work_packages", WorkPackagePage),
}


class NewsFilter(ListingFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), empty_label=gettext_lazy("All years"), method="filter_year"
    )
    tag = django_filters.ChoiceFilter(
        label=gettext_lazy("Tag"), empty_label=gettext_lazy("All tags"), method="filter_tag"
    )
    metropolis = django_filters.ChoiceFilter(
        label=gettext_lazy("Metropolis"),
        empty_label=gettext_lazy("All metropolises"),
        method="filter_related",
    )
    partner = django_filters.ChoiceFilter(
        label=gettext_lazy("Partner"),
        empty_label=gettext_lazy("All partners"),
        method="filter_related",
    )
    work_package = django_filters.ChoiceFilter(
        label=gettext_lazy("Work package"),
        empty_label=gettext_lazy("All work packages"),
        method="filter_related",
    )

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def filter_tag(self, queryset, name, value):
        return having_related(queryset, "tags", value)

    def filter_related(self, queryset, name, value):
        relation, _model = RELATIONS[name]
        return having_related(queryset, relation, value)

    def __init__(self, data, queryset, *, index, **kwargs):
        self.index = index
        super().__init__(data, queryset, **kwargs)

    def choices(self, news):
        """Only what the published news of this listing use. Computing them reads every
        item (15 ms for 10,000), so they are cached until the next change (the page cache's
        generation), with the listing's size, which pagination then need not count. The
        choices' labels are in the active language, which is part of the key."""
        key = f"news-filter-choices:{self.index.pk}:{generation.current()}:{get_language()}"
        choices, self.listing_count = cache.get_or_set(
            key, lambda: used_choices(news), settings.PAGE_CACHE_TIMEOUT
        )
        return choices


def used_choices(news) -> tuple[dict, int]:
    """The years, tags and related pages of the news, in three queries, and their count."""
    news = news.order_by()
    per_year = dict(
        news.annotate(year=ExtractYear("date"))
        .values_list("year")
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    years = [str(year) for year in sorted(per_year, reverse=True)]
    tags = Tag.objects.filter(pk__in=news.values("tags")).order_by("name")
    choices = {
        "year": [(year, year) for year in years],
        "tag": list(tags.values_list("slug", "name")),
        **related_page_choices(news),
    }
    return choices, sum(per_year.values())


def related_page_choices(news) -> dict[str, list[tuple[str, str]]]:
    """The published metropolises, partners and work packages that the news relate to,
    in a single query for the three."""
    # The few pages of the three types are the candidates. Each looks up its own links until
    # one leads to a published item: a handful of index reads per candidate, however many
    # news items there are. (An EXISTS would let PostgreSQL collect every published item's
    # links instead, 35 ms for 10,000 items; a scalar subquery with LIMIT 1 cannot be
    # turned into that, and the content type test keeps each candidate to its own relation.)
    content_types = ContentType.objects.get_for_models(*(m for _r, m in RELATIONS.values()))
    first_links, related = {}, Q()
    for relation, model in RELATIONS.values():
        field = news.model._meta.get_field(relation)
        links = field.remote_field.through.objects.filter(
            Exists(news.filter(pk=OuterRef(field.m2m_field_name()))),
            **{field.m2m_reverse_field_name(): OuterRef("pk")},
        )
        first_links[f"first_{relation}"] = Subquery(links.values("pk")[:1])
        related |= Q(content_type=content_types[model], **{f"first_{relation}__isnull": False})
    rows = (
        published(
            Page.objects.filter(content_type__in=content_types.values())
            .alias(**first_links)
            .filter(related)
        )
        .order_by("workpackagepage__number", "title")
        .values_list("content_type_id", "slug", "title", "workpackagepage__number")
    )
    name_by_type = {
        ContentType.objects.get_for_model(model).pk: name
        for name, (_relation, model) in RELATIONS.items()
    }
    choices = {name: [] for name in RELATIONS}
    seen = {name: set() for name in RELATIONS}
    for content_type_id, slug, title, number in rows:
        name = name_by_type.get(content_type_id)
        # Two organisations may share a slug; the filter matches both, so offer it once.
        if name is None or slug in seen[name]:
            continue
        seen[name].add(slug)
        label = (
            _("Work package %(number)s: %(title)s") % {"number": number, "title": title}
            if number
            else title
        )
        choices[name].append((slug, label))
    return choices
