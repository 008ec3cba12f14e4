"""Filters of the events listing: upcoming or past, year, city and kind of event.

The listing keeps the index's order across pages: upcoming events soonest first, then past
events latest first (`events.models.UpcomingThenPast`; an event is upcoming until it has
ended).
"""

import datetime as dt

import django_filters
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from baltmet.filters import ListingFilterSet

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]


def city_slug(city: str) -> str:
    # ASCII where possible (Malmö -> malmo) so shared links stay readable.
    return slugify(city) or slugify(city, allow_unicode=True)


class EventFilter(ListingFilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        empty_label=_("Upcoming and past"),
        choices=WHEN_CHOICES,
        method="filter_when",
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), empty_label=_("All years"), method="filter_year"
    )
    city = django_filters.ChoiceFilter(
        label=_("City"), empty_label=_("All cities"), method="filter_city"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), empty_label=_("All kinds"), method="filter_kind"
    )

    def __init__(self, data, queryset, *, now: dt.datetime, **kwargs):
        self.now = now
        self.cities_by_slug: dict[str, list[str]] = {}
        super().__init__(data, queryset, **kwargs)

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.filter(ends_at__gt=self.now)
        return queryset.filter(ends_at__lte=self.now)

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year=int(value))

    def filter_city(self, queryset, name, value):
        # Spellings that differ only in case or punctuation share a slug: match them all.
        return queryset.filter(city__in=self.cities_by_slug[value])

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=value)

    # The number of upcoming events in the unfiltered listing, counted with the choices.
    listing_upcoming_count: int | None = None

    @property
    def upcoming_count(self) -> int | None:
        return None if self.applied else self.listing_upcoming_count

    def choices(self, events):
        """Years and cities of the published events of this listing, in one query that also
        counts the listing, and its upcoming events, for pagination."""
        is_upcoming = ExpressionWrapper(Q(ends_at__gt=self.now), output_field=BooleanField())
        counts = (
            events.order_by()
            .annotate(is_upcoming=is_upcoming)
            .values_list("start_date__year", "city", "is_upcoming")
            .annotate(count=Count("pk"))
            .values_list("start_date__year", "city", "is_upcoming", "count")
        )
        years, cities = set(), set()
        self.listing_count = self.listing_upcoming_count = 0
        for year, city, is_upcoming, count in counts:
            self.listing_count += count
            self.listing_upcoming_count += count if is_upcoming else 0
            years.add(year)
            cities.add(city)
        years = [str(year) for year in sorted(years - {None}, reverse=True)]
        for city in sorted(cities):
            if slug := city_slug(city):
                self.cities_by_slug.setdefault(slug, []).append(city)
        cities = sorted(
            ((slug, names[0]) for slug, names in self.cities_by_slug.items()),
            key=lambda choice: choice[1].casefold(),
        )
        return {
            "year": [(year, year) for year in years],
            "city": cities,
            "kind": list(events.model._meta.get_field("kind").choices),
        }
