"""The library's filters: words (searched in the entries and their files' text), type, work
package, city and year."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from baltmet.cache import generation
from baltmet.filters import ListingFilterSet
from baltmet.languages.search import matching_page_ids
from baltmet.library.models import EntryKind, LibraryEntryPage
from baltmet.queries import published
from baltmet.search.query import parse_query
from partners.models import MetropolisPage, OrganisationPage
from workpackages.models import WorkPackagePage

# The search reads at most this many of the search engine's best matches.
MAX_MATCHES = 500


class LibraryFilter(ListingFilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Words"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"), empty_label=gettext_lazy("All types"), method="filter_kind"
    )
    work_package = django_filters.ChoiceFilter(
        label=gettext_lazy("Work package"),
        empty_label=gettext_lazy("All work packages"),
        method="filter_work_package",
    )
    city = django_filters.ChoiceFilter(
        label=gettext_lazy("City"), empty_label=gettext_lazy("All cities"), method="filter_city"
    )
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), empty_label=gettext_lazy("All years"), method="filter_year"
    )

    def __init__(self, data, queryset, *, locale_id: int, **kwargs):
        self.locale_id = locale_id
        self.search_notes: list[str] = []
        self.metropolis_paths: dict[str, list[str]] = {}
        super().__init__(data, queryset, **kwargs)

    def filter_words(self, queryset, name, value):
        parsed = parse_query(value)
        self.search_notes = parsed.notes
        if not parsed.words:
            self.search_notes.append(
                _("Type a word to search for: punctuation alone finds nothing.")
            )
            return queryset
        # Wagtail's index (English, with the files' text), then the translations' own words.
        matches = LibraryEntryPage.objects.live().only("pk").search(parsed.search_query())
        ids = {entry.pk for entry in matches[:MAX_MATCHES]}
        ids.update(matching_page_ids(parsed.text, get_language()))
        return queryset.filter(pk__in=ids)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=value)

    def filter_work_package(self, queryset, name, value):
        return queryset.filter(work_package__slug=value)

    def filter_city(self, queryset, name, value):
        """Entries piloted in the city, or by an organisation of it (a page under its page)."""
        in_city = Q(pilot_cities__slug=value)
        for path in self.metropolis_paths.get(value, []):
            in_city |= Q(organisations__path__startswith=path)
        return queryset.filter(pk__in=LibraryEntryPage.objects.filter(in_city).values("pk"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(year=int(value))

    @property
    def notices(self) -> list[str]:
        return [*super().notices, *self.search_notes]

    def choices(self, entries):
        """Only what the listed entries use. Computing them takes five queries, so they are
        cached until the next change (the page cache's generation); their labels are in the
        active language, which is part of the key."""
        key = f"library-filter-choices:{self.locale_id}:{generation.current()}:{get_language()}"
        choices, self.metropolis_paths = cache.get_or_set(
            key, lambda: used_choices(entries, self.locale_id), settings.PAGE_CACHE_TIMEOUT
        )
        return choices


def used_choices(entries, locale_id: int) -> tuple[dict, dict[str, list[str]]]:
    """The types, years, work packages and cities of the entries, and the paths of the
    cities' pages by slug (their organisations' pages are below them). An entry of a
    translated library may name pages of the original language: each choice is offered once,
    in the listing's language where there is a page in it."""
    entries = entries.order_by()
    kinds_and_years = set(entries.values_list("kind", "year").distinct())
    work_packages = published(
        WorkPackagePage.objects.filter(pk__in=entries.values("work_package"))
    ).only("slug", "number", "title", "locale_id")
    pilot_city_ids = set(entries.values_list("pilot_cities", flat=True))
    organisation_paths = list(
        OrganisationPage.objects.filter(library_entries__in=entries).values_list("path", flat=True)
    )
    cities, metropolis_paths = [], {}
    for city in published(MetropolisPage.objects.all()).only("slug", "title", "path", "locale_id"):
        if city.pk in pilot_city_ids or any(p.startswith(city.path) for p in organisation_paths):
            cities.append(city)
            metropolis_paths.setdefault(city.slug, []).append(city.path)
    kinds = {kind for kind, _year in kinds_and_years}
    years = {year for _kind, year in kinds_and_years if year}
    choices = {
        "kind": [(kind.value, str(kind.label)) for kind in EntryKind if kind.value in kinds],
        "work_package": [
            (
                wp.slug,
                _("Work package %(number)s: %(title)s") % {"number": wp.number, "title": wp.title},
            )
            for wp in sorted(one_per_slug(work_packages, locale_id), key=lambda wp: wp.number)
        ],
        "city": [
            (city.slug, city.title)
            for city in sorted(one_per_slug(cities, locale_id), key=lambda city: city.title)
        ],
        "year": [(str(year), str(year)) for year in sorted(years, reverse=True)],
    }
    return choices, metropolis_paths


def one_per_slug(pages, locale_id: int) -> list:
    """One page per slug: the one in the listing's language, if there is one."""
    chosen = {}
    for page in pages:
        if page.slug not in chosen or page.locale_id == locale_id:
            chosen[page.slug] = page
    return list(chosen.values())
