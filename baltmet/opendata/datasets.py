"""The portal's data as tables anyone may reuse: organisations, people, events, news, library
entries, Action Plan actions and key figures.

Each dataset is a list of rows (dicts with the dataset's columns, in order), read in a fixed
number of queries: published, public pages of the original language only (translations repeat
the same facts). A value is text, a number, a boolean, a date or a list (of names, numbers);
views.py writes the rows as CSV and JSON. No e-mail address is ever exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from baltmet.actionplan.models import Action
from baltmet.home.models import HomePageKeyFigure
from baltmet.library.models import LibraryEntryPage
from baltmet.queries import published
from events.models import EventPage
from news.models import NewsPage
from partners.models import (
    MetropolisKeyFigure,
    MetropolisPage,
    OrganisationContact,
    OrganisationPage,
)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[object], list[dict]]  # given the request, for the pages' full URLs


def originals(pages):
    """Published, public pages in the portal's original language."""
    return published(pages).filter(locale=Locale.get_default())


def titles(pages) -> list[str]:
    return [page.title for page in pages]


def action_numbers(actions) -> list[str]:
    return [action.number for action in actions]


def metropolis_of(page, metropolises_by_path: dict) -> MetropolisPage | None:
    """The metropolis an organisation page is under (its parent), from pages already read."""
    return metropolises_by_path.get(page.path[: -page.steplen])


def metropolises_by_path() -> dict[str, MetropolisPage]:
    return {m.path: m for m in MetropolisPage.objects.filter(locale=Locale.get_default())}


# Organisations: the fields keep.eu lists for a project's partners (name, role, city, country,
# type), with whether the type is inferred, the website, and the page.
def organisation_rows(request) -> list[dict]:
    cities = metropolises_by_path()
    rows = []
    for page in originals(OrganisationPage.objects.all()).defer_streamfields().order_by("path"):
        city = metropolis_of(page, cities)
        rows.append(
            {
                "name": page.title,
                "slug": page.slug,
                "role": page.project_role,
                "city": city.title if city else "",
                "country": city.country if city else "",
                "type": page.organisation_type,
                "type_inferred": page.organisation_type_inferred,
                "website": page.website,
                "url": page.get_full_url(request) or "",
            }
        )
    return rows


def people_rows(request) -> list[dict]:
    work_package_model = OrganisationContact._meta.get_field("work_packages").related_model
    contacts = (
        OrganisationContact.objects.filter(page__in=originals(OrganisationPage.objects.all()))
        .select_related("page")
        .prefetch_related(
            Prefetch(
                "work_packages",
                queryset=published(work_package_model.objects.all()).order_by("number"),
            )
        )
        .order_by("page__path", "sort_order")
    )
    presentations = {}
    for event in originals(EventPage.objects.all()).prefetch_related("presentations"):
        for talk in event.presentations.all():
            key = (talk.speaker_organisation_id, talk.speaker)
            presentations.setdefault(key, []).append(talk.title)
    return [
        {
            "name": contact.name,
            "job_title": contact.job_title,
            "organisation": contact.page.title,
            "work_packages": [wp.number for wp in contact.work_packages.all()],
            "presentations": presentations.get((contact.page_id, contact.name), []),
        }
        for contact in contacts
    ]


def event_rows(request) -> list[dict]:
    events = (
        originals(EventPage.objects.all())
        .defer_streamfields()
        .select_related("metropolis")
        .prefetch_related(
            "organising_partners",
            "related_work_packages",
            "action_plan_actions__focus_area",
        )
        .order_by("starts_at", "path")
    )
    return [
        {
            "title": event.title,
            "slug": event.slug,
            "kind": event.kind,
            "start_date": event.start_date,
            "start_time": event.start_time,
            "end_date": event.end_date,
            "end_time": event.end_time,
            "time_zone": event.time_zone,
            "date_note": event.date_note,
            "venue": event.venue,
            "city": event.city,
            "country": event.country,
            "metropolis": event.metropolis.title if event.metropolis else "",
            "organisers": titles(event.organising_partners.all()),
            "other_organisers": event.other_organisers,
            "work_packages": sorted(wp.number for wp in event.related_work_packages.all()),
            "action_plan_actions": action_numbers(event.action_plan_actions.all()),
            "intro": event.intro,
            "url": event.get_full_url(request) or "",
        }
        for event in events
    ]


def news_rows(request) -> list[dict]:
    news = (
        originals(NewsPage.objects.all())
        .defer_streamfields()
        .prefetch_related(
            "related_metropolises",
            "related_organisations",
            "related_work_packages",
            "related_events",
            "action_plan_actions__focus_area",
        )
        .order_by("date", "path")
    )
    return [
        {
            "title": item.title,
            # An item of the former portal has no publication date: its date is the event's.
            "date": None if item.from_former_portal else item.date,
            "from_former_portal": item.from_former_portal,
            "intro": item.intro,
            "metropolises": titles(item.related_metropolises.all()),
            "organisations": titles(item.related_organisations.all()),
            "work_packages": sorted(wp.number for wp in item.related_work_packages.all()),
            "events": titles(item.related_events.all()),
            "action_plan_actions": action_numbers(item.action_plan_actions.all()),
            "url": item.get_full_url(request) or "",
        }
        for item in news
    ]


def library_rows(request) -> list[dict]:
    entries = (
        originals(LibraryEntryPage.objects.all())
        .defer_streamfields()
        .select_related("work_package", "event", "document")
        .prefetch_related(
            "organisations",
            "pilot_cities",
            "people",
            "action_plan_actions__focus_area",
            "sources",
        )
        .order_by("path")
    )
    return [
        {
            "title": entry.title,
            "type": entry.kind,
            "summary": entry.summary,
            "date": entry.date,
            "year": entry.year,
            "year_inferred": entry.year_inferred,
            "work_package": entry.work_package.number if entry.work_package else None,
            "organisations": titles(entry.organisations.all()),
            "pilot_cities": titles(entry.pilot_cities.all()),
            "people": [person.name for person in entry.people.all()],
            "event": entry.event.title if entry.event else "",
            "language": entry.language,
            "file": entry.document.url if entry.document else "",
            "sources": [str(source) for source in entry.sources.all()],
            "url": entry.get_full_url(request) or "",
        }
        for entry in entries
    ]


def action_rows(request) -> list[dict]:
    live = {
        relation: originals(model.objects.all())
        for relation, model in (
            ("news_pages", NewsPage),
            ("event_pages", EventPage),
            ("library_entries", LibraryEntryPage),
        )
    }
    actions = Action.objects.select_related("focus_area").prefetch_related(
        *(Prefetch(relation, queryset=pages) for relation, pages in live.items()),
        "related_projects",
    )
    return [
        {
            "number": action.number,
            "focus_area": action.focus_area.title,
            "text": action.text,
            "news": titles(action.news_pages.all()),
            "events": titles(action.event_pages.all()),
            "library_entries": titles(action.library_entries.all()),
            "related_projects": [project.name for project in action.related_projects.all()],
        }
        for action in actions
    ]


def key_figure_rows(request) -> list[dict]:
    rows = []
    for model in (HomePageKeyFigure, MetropolisKeyFigure):
        figures = (
            model.objects.filter(page__in=originals(model.page.field.related_model.objects.all()))
            .select_related("page", "source")
            .order_by("page__path", "sort_order")
        )
        for figure in figures:
            source = figure.source
            rows.append(
                {
                    "page": figure.page.title,
                    "measure": figure.measure,
                    "qualifier": figure.qualifier,
                    "value": figure.value,
                    "unit": figure.unit,
                    "statement": figure.statement,
                    "source": source.title,
                    "source_publisher": source.publisher,
                    "source_date": source.date,
                    "source_year": source.year,
                    "source_year_inferred": source.year_inferred,
                }
            )
    return rows


DATASETS = {
    dataset.slug: dataset
    for dataset in [
        Dataset(
            "organisations",
            _("Partner organisations"),
            _("Name, role, city, country and type of each partner organisation."),
            ("name", "slug", "role", "city", "country", "type", "type_inferred", "website", "url"),
            organisation_rows,
        ),
        Dataset(
            "people",
            _("People"),
            _("The contact persons, their organisations, work packages and presentations."),
            ("name", "job_title", "organisation", "work_packages", "presentations"),
            people_rows,
        ),
        Dataset(
            "events",
            _("Events"),
            _("Conferences, seminars, workshops and meetings, with dates and organisers."),
            (
                "title",
                "slug",
                "kind",
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "time_zone",
                "date_note",
                "venue",
                "city",
                "country",
                "metropolis",
                "organisers",
                "other_organisers",
                "work_packages",
                "action_plan_actions",
                "intro",
                "url",
            ),
            event_rows,
        ),
        Dataset(
            "news",
            _("News"),
            _("News items with their dates and what they relate to."),
            (
                "title",
                "date",
                "from_former_portal",
                "intro",
                "metropolises",
                "organisations",
                "work_packages",
                "events",
                "action_plan_actions",
                "url",
            ),
            news_rows,
        ),
        Dataset(
            "library",
            _("Documents and results"),
            _("The library's entries: type, date, work package, organisations, pilot cities."),
            (
                "title",
                "type",
                "summary",
                "date",
                "year",
                "year_inferred",
                "work_package",
                "organisations",
                "pilot_cities",
                "people",
                "event",
                "language",
                "file",
                "sources",
                "url",
            ),
            library_rows,
        ),
        Dataset(
            "actions",
            _("Action Plan actions"),
            _("The BaltMet Action Plan 2008-2010's actions and what is linked to each."),
            (
                "number",
                "focus_area",
                "text",
                "news",
                "events",
                "library_entries",
                "related_projects",
            ),
            action_rows,
        ),
        Dataset(
            "key-figures",
            _("Key figures"),
            _("The key figures of the network and the metropolises, with source and year."),
            (
                "page",
                "measure",
                "qualifier",
                "value",
                "unit",
                "statement",
                "source",
                "source_publisher",
                "source_date",
                "source_year",
                "source_year_inferred",
            ),
            key_figure_rows,
        ),
    ]
}
