"""Filters of the news listing: year, tag, metropolis, partner and work package."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django_filters import ChoiceFilter
from taggit.models import Tag
from wagtail.models import Page

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
    year = ChoiceFilter(label="Year", empty_label="All years", method="filter_year")
    tag = ChoiceFilter(label="Tag", empty_label="All tags", method="filter_tag")
    metropolis = ChoiceFilter(
        label="Metropolis", empty_label="All metropolises", method="filter_related"
    )
    partner = ChoiceFilter(label="Partner", empty_label="All partners", method="filter_related")
    work_package = ChoiceFilter(
        label="Work package", empty_label="All work packages", method="filter_related"
    )

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def filter_tag(self, queryset, name, value):
        return having_related(queryset, "tags", value)

    def filter_related(self, queryset, name, value):
        relation, _model = RELATIONS[name]
        return having_related(queryset, relation, value)

    def choices(self, news):
        """Only what the published news of this listing use, in three queries."""
        news = news.order_by()
        years = [str(day.year) for day in news.dates("date", "year", order="DESC")]
        tags = Tag.objects.filter(pk__in=news.values("tags")).order_by("name")
        return {
            "year": [(year, year) for year in years],
            "tag": list(tags.values_list("slug", "name")),
            **related_page_choices(news),
        }


def related_page_choices(news) -> dict[str, list[tuple[str, str]]]:
    """The published metropolises, partners and work packages that the news relate to,
    in a single query for the three."""
    # The few pages of the three types are the candidates, each checked for a news item that
    # points at it: with thousands of news items this is far cheaper than collecting every
    # item's relations.
    content_types = ContentType.objects.get_for_models(*(m for _r, m in RELATIONS.values()))
    related = Q()
    for relation, _model in RELATIONS.values():
        field = news.model._meta.get_field(relation)
        link_to_page = {field.m2m_reverse_field_name(): OuterRef("pk")}
        link_from_news = {f"{field.m2m_field_name()}__in": news}
        links = field.remote_field.through.objects.filter(**link_to_page, **link_from_news)
        related |= Q(Exists(links))
    rows = (
        published(Page.objects.filter(content_type__in=content_types.values()).filter(related))
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
        choices[name].append((slug, f"Work package {number}: {title}" if number else title))
    return choices
