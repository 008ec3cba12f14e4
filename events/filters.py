"""Filters of the events listing: upcoming or past, year, city and kind of event.

The listing keeps the index's order across pages: upcoming events soonest first, then past
events latest first (the same rule as `events.models.upcoming` and `past`: an event is upcoming
until it has ended).
"""

import datetime as dt

from django.db.models import BooleanField, Case, Count, F, Value, When
from django.utils.text import slugify
from django_filters import ChoiceFilter

from baltmet.filters import ListingFilterSet

WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past")]


def city_slug(city: str) -> str:
    # ASCII where possible (Malmö -> malmo) so shared links stay readable.
    return slugify(city) or slugify(city, allow_unicode=True)


def in_listing_order(events, now: dt.datetime):
    """Upcoming events soonest first, then past events latest first, in one query."""
    is_past = Case(
        When(ends_at__lte=now, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    events = events.annotate(is_past=is_past)
    upcoming_start = Case(When(is_past=False, then=F("starts_at")))
    upcoming_pk = Case(When(is_past=False, then=F("pk")))
    return events.order_by(
        "is_past",
        upcoming_start.asc(nulls_last=True),
        upcoming_pk.asc(nulls_last=True),
        "-starts_at",
        "-pk",
    )


class EventFilter(ListingFilterSet):
    when = ChoiceFilter(
        label="When", empty_label="Upcoming and past", choices=WHEN_CHOICES, method="filter_when"
    )
    year = ChoiceFilter(label="Year", empty_label="All years", method="filter_year")
    city = ChoiceFilter(label="City", empty_label="All cities", method="filter_city")
    kind = ChoiceFilter(label="Kind", empty_label="All kinds", method="filter_kind")

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

    def choices(self, events):
        """Years and cities of the published events of this listing, in one query that also
        counts the listing for pagination."""
        counts = (
            events.order_by()
            .values_list("start_date__year", "city")
            .annotate(count=Count("pk"))
            .values_list("start_date__year", "city", "count")
        )
        years, cities = set(), set()
        self.listing_count = 0
        for year, city, count in counts:
            self.listing_count += count
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
