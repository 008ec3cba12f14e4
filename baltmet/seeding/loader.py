"""Load the portal's initial content from a YAML file (content.yaml beside this module).

The loader is idempotent and respectful of editors:
- a page that does not exist is created and published;
- a page the loader wrote before and nobody has touched since is updated when its entry in
  the file changed, and left alone otherwise;
- a page that an editor has changed since (its latest revision is not the loader's) is
  skipped, and the report says so;
- a page it created that an administrator deleted (and everything below it) is not brought
  back, and one an administrator moved is left where it is: the report says so. Relations
  to a deleted page are left out.
Everything runs in one transaction: bad data raises SeedError naming the entry, and nothing
is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Site

from baltmet.actionplan.models import Action, ActionPlanPage, FocusArea, Priority
from baltmet.benchmark.models import BenchmarkPage
from baltmet.contact.models import ContactPage
from baltmet.home.models import HomePage, HomePageKeyFigure
from baltmet.library.models import LibraryEntryPage, LibraryPage
from baltmet.models import FigureSource, SiteSettings, StandardPage
from baltmet.projects.models import RelatedProject, RelatedProjectsPage
from baltmet.seeding.models import SeedRecord
from events.models import EventIndexPage, EventPage, EventPresentation
from news.models import NewsIndexPage, NewsPage
from partners.models import (
    MetropolisKeyFigure,
    MetropolisPage,
    OrganisationContact,
    OrganisationPage,
    PartnersIndexPage,
    PeoplePage,
)
from workpackages.models import WorkPackageIndexPage, WorkPackagePage

DEFAULT_SEED_FILE = Path(__file__).resolve().parent / "content.yaml"

# The report's word for a page an administrator deleted, which the loader leaves deleted.
NOT_RESTORED = "not restored"

# Keys that document an entry (its sources) or describe the tree, not a model field.
META_KEYS = {"from", "children", "slug"}


class SeedError(Exception):
    """The seed file is wrong; the message names the entry."""


@dataclass
class SeedReport:
    lines: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, action: str, key: str, detail: str = "") -> None:
        self.counts[action] += 1
        self.lines.append(f"{action:>9}  {key}{f'  ({detail})' if detail else ''}")

    def summary(self) -> str:
        order = ("created", "updated", "unchanged", "skipped", NOT_RESTORED)
        return ", ".join(f"{self.counts[a]} {a}" for a in order)


# --- Reading and checking entries -------------------------------------------------------------


def read_seed_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SeedError(f"Seed file not found: {path}") from error
    except yaml.YAMLError as error:
        raise SeedError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise SeedError(f"{path}: the top level must be a mapping of sections.")
    return data


def check_entry(raw: Any, label: str, required: set[str], optional: set[str] = frozenset()):
    """The entry as a dict, or a SeedError naming what is missing or unknown."""
    if not isinstance(raw, dict):
        raise SeedError(f"{label}: expected a mapping, got {type(raw).__name__}.")
    missing = sorted(required - raw.keys())
    if missing:
        raise SeedError(f"{label}: missing {', '.join(missing)}.")
    unknown = sorted(raw.keys() - required - optional - META_KEYS)
    if unknown:
        raise SeedError(f"{label}: unknown key(s) {', '.join(unknown)}.")
    return raw


def entries(data: dict, section: str, key: str = "items") -> list:
    value = data.get(section, {}).get(key, []) if key else data.get(section, [])
    if not isinstance(value, list):
        raise SeedError(f"{section}.{key}: expected a list.")
    return value


def describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for e in errs for m in e.messages)}"
            for name, errs in error.error_dict.items()
        )
    return " ".join(error.messages)


def decimal(value: Any) -> Any:
    """YAML reads 52.52 as a float; decimal fields want its written form, not its binary one."""
    return Decimal(str(value)) if isinstance(value, float) else value


def present(pages: Iterable[Page | None]) -> list[Page]:
    """The pages of a relation that exist: an administrator may have deleted some."""
    return [page for page in pages if page is not None]


def digest(entry: dict) -> str:
    """A fingerprint of an entry without its children (they have records of their own)."""
    own = {
        k: v
        for k, v in entry.items()
        if k not in ("children", "organisations", "metropolises", "items")
    }
    return hashlib.sha256(json.dumps(own, sort_keys=True, default=str).encode()).hexdigest()


# --- The loader -------------------------------------------------------------------------------

PAGE_FIELDS = {"title", "seo_title", "search_description"}

# The `from` of the portal's own notices: not a source document, so not in a "Source" line.
PORTAL_ITSELF = "portal"
# The site settings that link the footer to a page (the notices, the contact forms), given
# in the file by its slug.
NOTICE_PAGE_SETTINGS = ("privacy_page", "accessibility_page", "imprint_page", "contact_page")
# StreamField blocks that have no fields, so no `value` in the file.
BLOCKS_WITHOUT_FIELDS = {"personal_data"}
# Part of every page's fingerprint: raising it updates every page the loader still owns.
FINGERPRINT_VERSION = 2


class SeedLoader:
    def __init__(self, data: dict, log: Callable[[str], None] = lambda line: None):
        self.data = data
        self.log = log
        self.report = SeedReport()
        self.sources: dict[str, FigureSource] = {}
        # None for a page an administrator deleted.
        self.metropolises: dict[str, MetropolisPage | None] = {}
        self.organisations: dict[str, OrganisationPage | None] = {}
        self.work_packages: dict[int, WorkPackagePage | None] = {}
        self.events: dict[str, EventPage | None] = {}
        # The keys of pages not restored.
        self.deleted: set[str] = set()

    def run(self) -> SeedReport:
        with transaction.atomic():
            self.load_sources()
            home = self.load_home()
            self.load_partners(home)
            self.load_work_packages(home)
            self.load_events(home)
            self.load_news(home)
            self.load_library(home)
            for index, entry in enumerate(self.data.get("pages", [])):
                self.load_standard_page(home, entry, f"pages[{index}]", key_prefix="")
            self.arrange_menu(home)
            self.load_site_settings(home)  # after the pages it links to
        return self.report

    # Pages in general ------------------------------------------------------------------------

    def upsert(
        self,
        key: str,
        label: str,
        model: type[Page],
        parent: Page | None,
        entry: dict,
        fields: dict,
        relate: Callable[[Page], None] = lambda page: None,
        restore: bool = False,
        inherited_from: list | None = None,
    ) -> Page | None:
        """Create, update or skip one page; see the module docstring for the rules.

        None when an administrator deleted the page (or its parent: `parent` is None), unless
        `restore` (the home page, which the site cannot do without). The page's source
        documents are its entry's `from`, else its section's (`inherited_from`)."""
        if parent is None:
            return self.not_restored(key, "its parent page was deleted in the admin")
        slug = entry["slug"] if "slug" in entry else key.rsplit("/", 1)[-1]
        source_keys = entry.get("from", inherited_from or [])
        sources = self.source_list(source_keys, label)
        relate_fields = relate

        def relate(page):
            relate_fields(page)
            page.sources = sources

        # The version changes every page's fingerprint once, so pages loaded before pages had
        # sources get them (unless an editor changed them since).
        fingerprint = digest({**entry, "from": source_keys, "version": FINGERPRINT_VERSION})
        existing = Page.objects.child_of(parent).filter(slug=slug).first()
        record = SeedRecord.objects.filter(key=key).first()

        if existing is None and record is not None and not restore:
            if record.page_id is None:
                return self.not_restored(key, "deleted in the admin")
            self.report.add("skipped", key, "moved in the admin")
            self.log(f"  skipped   {key} (moved in the admin)")
            return record.page.specific

        if existing is None:
            page = model(slug=slug, **fields)
            relate(page)
            self.save_checked(label, lambda: parent.add_child(instance=page))
            self.publish(label, key, page, fingerprint)
            self.report.add("created", key)
            self.log(f"  created   {key}")
            return page

        page = existing.specific
        if not isinstance(page, model):
            raise SeedError(
                f"{label}: '{key}' is a {type(page).__name__}, expected a {model.__name__}."
            )
        owned = record is not None and record.page_id == page.pk
        if not owned or page.latest_revision_id != record.revision_id:
            self.report.add("skipped", key, "changed in the admin since it was loaded")
            self.log(f"  skipped   {key} (changed in the admin since it was loaded)")
        elif record.digest == fingerprint:
            self.report.add("unchanged", key)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
            relate(page)
            self.publish(label, key, page, fingerprint)
            self.report.add("updated", key)
            self.log(f"  updated   {key}")
        return page

    def source_list(self, keys: Any, label: str) -> list[FigureSource]:
        if not isinstance(keys, list):
            raise SeedError(f"{label}: 'from' must be a list of source keys.")
        return [
            self.lookup(self.sources, key, "source", label) for key in keys if key != PORTAL_ITSELF
        ]

    def not_restored(self, key: str, reason: str) -> None:
        self.deleted.add(key)
        self.report.add(NOT_RESTORED, key, reason)
        self.log(f"  {NOT_RESTORED} {key} ({reason})")
        return None

    def save_checked(self, label: str, save: Callable[[], Any]) -> Any:
        try:
            return save()
        except ValidationError as error:
            raise SeedError(f"{label}: {describe(error)}") from error

    def publish(self, label, key, page, fingerprint) -> None:
        revision = self.save_checked(label, lambda: page.save_revision(log_action=False))
        revision.publish()
        SeedRecord.objects.update_or_create(
            key=key, defaults={"page": page, "digest": fingerprint, "revision": revision}
        )

    def page_fields(self, entry: dict, names: Iterable[str]) -> dict:
        return {name: entry[name] for name in (*PAGE_FIELDS, *names) if name in entry}

    def stream(self, raw: Any, label: str) -> list[dict]:
        """StreamField data from the file, with page references resolved to ids."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise SeedError(f"{label}: expected a list of blocks.")
        blocks = []
        for index, block in enumerate(raw):
            block_label = f"{label}[{index}]"
            block = check_entry(block, block_label, {"type"}, {"value"})
            if "value" not in block and block["type"] not in BLOCKS_WITHOUT_FIELDS:
                raise SeedError(f"{block_label}: missing value.")
            value = block.get("value")
            if block["type"] == "responsible_partner":
                organisation = self.organisation(value.get("organisation"), label)
                if organisation is None:  # deleted by an administrator: the block goes too
                    continue
                value = {**value, "organisation": organisation.pk}
            blocks.append({"type": block["type"], "value": value})
        return blocks

    def list_items(self, raw: Any, label: str) -> list[dict]:
        if not isinstance(raw or [], list):
            raise SeedError(f"{label}: expected a list of strings.")
        return [{"type": "item", "value": str(text)} for text in raw or []]

    def lookup(self, table: dict, name: Any, what: str, label: str):
        try:
            return table[name]
        except (KeyError, TypeError):
            raise SeedError(f"{label}: unknown {what} '{name}'.") from None

    def organisation(self, slug: Any, label: str) -> OrganisationPage | None:
        return self.lookup(self.organisations, slug, "organisation", label)

    def figures(self, model, raw: Any, label: str) -> list:
        figures = []
        for index, item in enumerate(raw or []):
            item_label = f"{label}.key_figures[{index}]"
            item = check_entry(
                item, item_label, {"source", "measure", "statement"}, {"value", "unit", "qualifier"}
            )
            source = self.lookup(self.sources, item["source"], "source", item_label)
            figures.append(
                model(
                    sort_order=index,
                    measure=item["measure"],
                    value=decimal(item.get("value")),
                    unit=item.get("unit", ""),
                    qualifier=item.get("qualifier", ""),
                    statement=item["statement"],
                    source=source,
                )
            )
        return figures

    # Sections --------------------------------------------------------------------------------

    def load_sources(self) -> None:
        for index, raw in enumerate(self.data.get("sources", [])):
            label = f"sources[{index}]"
            entry = check_entry(
                raw, label, {"key", "title"}, {"publisher", "note", "year", "year_inferred", "date"}
            )
            source = FigureSource.objects.filter(title=entry["title"]).first()
            if source is None:
                source = FigureSource(
                    title=entry["title"],
                    year=entry.get("year"),
                    year_inferred=entry.get("year_inferred", False),
                    date=entry.get("date"),
                    publisher=entry.get("publisher", ""),
                    note=entry.get("note", ""),
                )
                self.save_checked(label, lambda s=source: (s.full_clean(), s.save()))
                self.report.add("created", f"source {entry['key']}")
            elif self.complete_source(source, entry):
                self.save_checked(label, lambda s=source: (s.full_clean(), s.save()))
                self.report.add("updated", f"source {entry['key']}")
            self.sources[entry["key"]] = source

    @staticmethod
    def complete_source(source: FigureSource, entry: dict) -> bool:
        """Fill in what an earlier version of the file did not give (the day, whether the year
        is inferred): an empty field only, never an editor's value. True if it changed."""
        changed = False
        if entry.get("date") and source.date is None:
            source.date, changed = entry["date"], True
        if entry.get("year_inferred") and not source.year_inferred:
            source.year_inferred, changed = True, True
        return changed

    def load_home(self) -> HomePage:
        entry = check_entry(
            self.data.get("home"),
            "home",
            {"title", "mission"},
            {
                "seo_title",
                "search_description",
                "tagline",
                "body",
                "key_figures_heading",
                "key_figures_note",
                "key_figures",
            },
        )
        root = Page.get_first_root_node()
        self.remove_wagtail_welcome_page(root)
        fields = self.page_fields(
            entry, ["tagline", "mission", "key_figures_heading", "key_figures_note"]
        )
        fields["body"] = self.stream(entry.get("body"), "home.body")
        figures = self.figures(HomePageKeyFigure, entry.get("key_figures"), "home")

        def relate(page):
            page.key_figures = figures

        home = self.upsert(
            "home", "home", HomePage, root, {**entry, "slug": "home"}, fields, relate, restore=True
        )
        self.point_default_site_at(home)
        return home

    def remove_wagtail_welcome_page(self, root: Page) -> None:
        """Wagtail's install creates a plain 'Welcome' page; the home page replaces it."""
        for page in Page.objects.child_of(root).filter(slug="home"):
            if page.specific_class is Page and page.is_leaf():
                page.delete()

    def point_default_site_at(self, home: HomePage) -> None:
        """The default site shows the home page, at the portal's public address.

        The address (used in the sitemap and calendar UIDs) comes from WAGTAILADMIN_BASE_URL
        while the site still has Wagtail's placeholder, localhost:80; an address an
        administrator has set is kept.
        """
        site = Site.objects.filter(is_default_site=True).first() or Site(
            hostname="localhost", port=80, is_default_site=True
        )
        site.root_page = home
        site.site_name = site.site_name or "BaltMet Inno"
        if (site.hostname, site.port) == ("localhost", 80):
            address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            site.hostname = address.hostname or "localhost"
            site.port = address.port or (443 if address.scheme == "https" else 80)
        site.save()

    def load_site_settings(self, home: HomePage) -> None:
        entry = check_entry(
            self.data.get("site", {}),
            "site",
            set(),
            {"funding_statement", "footer_text", "footer_links", *NOTICE_PAGE_SETTINGS},
        )
        site = Site.objects.get(is_default_site=True)
        settings = SiteSettings.for_site(site)
        values = {
            k: v for k, v in entry.items() if k not in ("footer_links", *NOTICE_PAGE_SETTINGS)
        }
        for name in NOTICE_PAGE_SETTINGS:
            slug = entry.get(name)
            if not slug:
                continue
            page = Page.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                # A page the loader created that an administrator moved (the setting follows
                # it) or deleted (left empty). A top-level page's key is its slug.
                record = SeedRecord.objects.filter(key=slug).first()
                if record is None:
                    raise SeedError(f"site.{name}: no page with slug {slug!r}.")
                page = record.page
            if page is not None:
                values[name] = page
        if entry.get("footer_links"):
            values["footer_links"] = [
                {"type": "link", "value": check_entry(link, "site.footer_links", {"text", "url"})}
                for link in entry["footer_links"]
            ]
        changed = False
        for name, value in values.items():
            # Fill what is empty; never overwrite what an administrator wrote.
            if not getattr(settings, name):
                setattr(settings, name, value)
                changed = True
        if changed:
            settings.save()

    def index_page(
        self, home: HomePage, section: str, model: type[Page]
    ) -> tuple[Page | None, str]:
        """The section's index page (None if an administrator deleted it) and its slug, which
        begins the keys of the pages below it."""
        raw = self.data.get(section)
        entry = check_entry(raw, section, {"title", "slug"}, {"intro", "items", "metropolises"})
        fields = self.page_fields(entry, ["intro"])
        fields["show_in_menus"] = True
        return self.upsert(entry["slug"], section, model, home, entry, fields), entry["slug"]

    def load_partners(self, home: HomePage) -> None:
        index, section_slug = self.index_page(home, "partners", PartnersIndexPage)
        sources = self.data["partners"].get("from")
        for position, raw in enumerate(entries(self.data, "partners", "metropolises")):
            label = f"partners.metropolises[{position}]"
            entry = check_entry(
                raw,
                label,
                {"slug", "title", "country", "status", "latitude", "longitude"},
                {"intro", "profile_title", "profile", "key_figures", "organisations"},
            )
            fields = self.page_fields(
                entry,
                ["country", "status", "latitude", "longitude", "intro", "profile_title"],
            )
            fields["latitude"] = decimal(entry["latitude"])
            fields["longitude"] = decimal(entry["longitude"])
            fields["profile"] = self.stream(entry.get("profile"), f"{label}.profile")
            figures = self.figures(MetropolisKeyFigure, entry.get("key_figures"), label)

            def relate(page, figures=figures):
                page.key_figures = figures

            key = f"{section_slug}/{entry['slug']}"
            metropolis = self.upsert(
                key, label, MetropolisPage, index, entry, fields, relate, inherited_from=sources
            )
            self.metropolises[entry["slug"]] = metropolis
            for number, organisation in enumerate(entry.get("organisations") or []):
                self.load_organisation(
                    metropolis, key, organisation, f"{label}.organisations[{number}]", sources
                )

    def load_organisation(self, metropolis, parent_key, raw, label, sources) -> None:
        entry = check_entry(
            raw,
            label,
            {"slug", "title", "organisation_type", "project_role"},
            {"organisation_type_inferred", "website", "intro", "contacts"},
        )
        fields = self.page_fields(
            entry,
            ["organisation_type", "organisation_type_inferred", "project_role", "website", "intro"],
        )
        contacts = []
        for index, contact in enumerate(entry.get("contacts") or []):
            contact = check_entry(
                contact, f"{label}.contacts[{index}]", {"name"}, {"job_title", "email", "phone"}
            )
            contacts.append(contact)

        def relate(page):
            # Keep existing contacts (matched by name): work packages point at them.
            by_name = {c.name: c for c in page.contacts.all()}
            rows = []
            for index, contact in enumerate(contacts):
                row = by_name.get(contact["name"]) or OrganisationContact(name=contact["name"])
                row.sort_order = index
                row.job_title = contact.get("job_title", "")
                row.email = contact.get("email", "")
                row.phone = contact.get("phone", "")
                rows.append(row)
            page.contacts = rows

        key = f"{parent_key}/{entry['slug']}"
        self.organisations[entry["slug"]] = self.upsert(
            key, label, OrganisationPage, metropolis, entry, fields, relate, inherited_from=sources
        )

    def load_work_packages(self, home: HomePage) -> None:
        index, section_slug = self.index_page(home, "work_packages", WorkPackageIndexPage)
        for position, raw in enumerate(entries(self.data, "work_packages")):
            label = f"work_packages.items[{position}]"
            entry = check_entry(
                raw,
                label,
                {"number", "slug", "title", "lead"},
                {
                    "headline",
                    "lead_unit",
                    "contact",
                    "summary",
                    "goals_intro",
                    "goals",
                    "results_intro",
                    "results",
                },
            )
            lead = self.organisation(entry["lead"], label)
            fields = self.page_fields(
                entry,
                ["number", "headline", "lead_unit", "summary", "goals_intro", "results_intro"],
            )
            fields["lead_organisation"] = lead
            fields["contact"] = self.contact(lead, entry.get("contact"), label)
            fields["goals"] = self.list_items(entry.get("goals"), f"{label}.goals")
            fields["results"] = self.list_items(entry.get("results"), f"{label}.results")
            key = f"{section_slug}/{entry['slug']}"
            page = self.upsert(
                key,
                label,
                WorkPackagePage,
                index,
                entry,
                fields,
                inherited_from=self.data["work_packages"].get("from"),
            )
            self.work_packages[entry["number"]] = page

    def contact(self, organisation: OrganisationPage | None, name: str | None, label: str):
        if not name or organisation is None:
            return None
        contact = OrganisationContact.objects.filter(page=organisation, name=name).first()
        if contact is None:
            raise SeedError(f"{label}: '{name}' is not a contact person of {organisation.title}.")
        return contact

    def load_events(self, home: HomePage) -> None:
        index, section_slug = self.index_page(home, "events", EventIndexPage)
        for position, raw in enumerate(entries(self.data, "events")):
            label = f"events.items[{position}]"
            entry = check_entry(
                raw,
                label,
                {"slug", "title", "kind", "start_date", "city", "country", "intro"},
                {
                    "start_time",
                    "end_date",
                    "end_time",
                    "date_note",
                    "time_zone",
                    "venue",
                    "metropolis",
                    "organisers",
                    "other_organisers",
                    "work_packages",
                    "presentations",
                    "body",
                },
            )
            fields = self.page_fields(
                entry,
                [
                    "kind",
                    "start_date",
                    "start_time",
                    "end_date",
                    "end_time",
                    "date_note",
                    "time_zone",
                    "venue",
                    "city",
                    "country",
                    "other_organisers",
                    "intro",
                ],
            )
            if "metropolis" in entry:
                fields["metropolis"] = self.lookup(
                    self.metropolises, entry["metropolis"], "metropolis", label
                )
            fields["body"] = self.stream(entry.get("body"), f"{label}.body")
            organisers = present(
                self.organisation(slug, label) for slug in entry.get("organisers", [])
            )
            packages = present(
                self.lookup(self.work_packages, n, "work package", label)
                for n in entry.get("work_packages", [])
            )
            presentations = [
                self.presentation(item, f"{label}.presentations[{n}]", n)
                for n, item in enumerate(entry.get("presentations") or [])
            ]

            def relate(page, organisers=organisers, packages=packages, presentations=presentations):
                page.organising_partners = organisers
                page.related_work_packages = packages
                page.presentations = presentations

            key = f"{section_slug}/{entry['slug']}"
            self.events[entry["slug"]] = self.upsert(
                key, label, EventPage, index, entry, fields, relate
            )

    def presentation(self, raw, label, position) -> EventPresentation:
        entry = check_entry(
            raw,
            label,
            {"title", "speaker"},
            {"speaker_role", "organisation", "organisation_name", "summary"},
        )
        organisation = (
            self.organisation(entry["organisation"], label) if "organisation" in entry else None
        )
        return EventPresentation(
            sort_order=position,
            title=entry["title"],
            speaker=entry["speaker"],
            speaker_role=entry.get("speaker_role", ""),
            speaker_organisation=organisation,
            speaker_organisation_name=entry.get("organisation_name", ""),
            summary=entry.get("summary", ""),
        )

    def load_news(self, home: HomePage) -> None:
        index, section_slug = self.index_page(home, "news", NewsIndexPage)
        for position, raw in enumerate(entries(self.data, "news")):
            label = f"news.items[{position}]"
            entry = check_entry(
                raw,
                label,
                {"slug", "title", "date", "intro"},
                {
                    "from_former_portal",
                    "body",
                    "tags",
                    "metropolises",
                    "organisations",
                    "work_packages",
                    "events",
                },
            )
            fields = self.page_fields(entry, ["date", "from_former_portal", "intro"])
            fields["body"] = self.stream(entry.get("body"), f"{label}.body")
            related = {
                "related_metropolises": present(
                    self.lookup(self.metropolises, s, "metropolis", label)
                    for s in entry.get("metropolises", [])
                ),
                "related_organisations": present(
                    self.organisation(s, label) for s in entry.get("organisations", [])
                ),
                "related_work_packages": present(
                    self.lookup(self.work_packages, n, "work package", label)
                    for n in entry.get("work_packages", [])
                ),
                "related_events": present(
                    self.lookup(self.events, s, "event", label) for s in entry.get("events", [])
                ),
            }
            tags = [str(tag) for tag in entry.get("tags", [])]

            def relate(page, related=related, tags=tags):
                for name, pages in related.items():
                    setattr(page, name, pages)
                page.tags.set(tags)

            key = f"{section_slug}/{entry['slug']}"
            self.upsert(
                key,
                label,
                NewsPage,
                index,
                entry,
                fields,
                relate,
                inherited_from=self.data["news"].get("from"),
            )

    def load_library(self, home: HomePage) -> None:
        """The library and its entries: the work packages' results, the brochure and the
        presentations, each with the documents it comes from."""
        if "library" not in self.data:
            return
        index, section_slug = self.index_page(home, "library", LibraryPage)
        for position, raw in enumerate(entries(self.data, "library")):
            label = f"library.items[{position}]"
            entry = check_entry(
                raw,
                label,
                {"slug", "title", "kind", "summary"},
                {
                    "date",
                    "year",
                    "year_inferred",
                    "language",
                    "work_package",
                    "organisations",
                    "pilot_cities",
                    "people",
                    "event",
                    "body",
                },
            )
            fields = self.page_fields(
                entry, ["kind", "summary", "date", "year", "year_inferred", "language"]
            )
            fields["body"] = self.stream(entry.get("body"), f"{label}.body")
            if "work_package" in entry:
                fields["work_package"] = self.lookup(
                    self.work_packages, entry["work_package"], "work package", label
                )
            if "event" in entry:
                fields["event"] = self.lookup(self.events, entry["event"], "event", label)
            organisations = present(
                self.organisation(slug, label) for slug in entry.get("organisations", [])
            )
            pilot_cities = present(
                self.lookup(self.metropolises, slug, "metropolis", label)
                for slug in entry.get("pilot_cities", [])
            )
            people = [
                self.contact(
                    self.organisation(person.get("organisation"), label), person.get("name"), label
                )
                for person in (
                    check_entry(p, f"{label}.people[{n}]", {"organisation", "name"})
                    for n, p in enumerate(entry.get("people") or [])
                )
            ]

            def relate(page, organisations=organisations, cities=pilot_cities, people=people):
                page.organisations = organisations
                page.pilot_cities = cities
                page.people = [person for person in people if person is not None]

            key = f"{section_slug}/{entry['slug']}"
            self.upsert(key, label, LibraryEntryPage, index, entry, fields, relate)

    def load_standard_page(self, parent: Page, raw: Any, label: str, key_prefix: str) -> None:
        if isinstance(raw, dict) and raw.get("type") == "action_plan":
            self.load_action_plan(parent, raw, label, key_prefix)
            return
        if isinstance(raw, dict) and raw.get("type") == "related_projects":
            self.load_related_projects(parent, raw, label, key_prefix)
            return
        if isinstance(raw, dict) and raw.get("type") == "benchmark":
            entry = check_entry(
                raw,
                label,
                {"slug", "title", "type"},
                {"seo_title", "search_description", "intro", "empty_text"},
            )
            fields = self.page_fields(entry, ["intro", "empty_text"])
            key = f"{key_prefix}{entry['slug']}"
            self.upsert(key, label, BenchmarkPage, parent, entry, fields)
            return
        if isinstance(raw, dict) and raw.get("type") == "contact":
            entry = check_entry(
                raw, label, {"slug", "title", "type"}, {"seo_title", "search_description", "intro"}
            )
            fields = self.page_fields(entry, ["intro"])
            fields["show_in_menus"] = False  # linked from the footer and the partners' pages
            self.upsert(f"{key_prefix}{entry['slug']}", label, ContactPage, parent, entry, fields)
            return
        if isinstance(raw, dict) and raw.get("type") == "people":
            entry = check_entry(
                raw, label, {"slug", "title", "type"}, {"seo_title", "search_description", "intro"}
            )
            key = f"{key_prefix}{entry['slug']}"
            fields = self.page_fields(entry, ["intro"])
            self.upsert(key, label, PeoplePage, parent, entry, fields)
            return
        entry = check_entry(
            raw,
            label,
            {"slug", "title"},
            {"seo_title", "search_description", "intro", "body", "in_menu"},
        )
        fields = self.page_fields(entry, ["intro"])
        fields["body"] = self.stream(entry.get("body"), f"{label}.body")
        if parent is not None and parent.specific_class is HomePage:
            # Sections are in the main menu; notices such as the accessibility statement
            # (in_menu: false) are linked from the footer.
            fields["show_in_menus"] = entry.get("in_menu", True) is not False
        key = f"{key_prefix}{entry['slug']}"
        page = self.upsert(key, label, StandardPage, parent, entry, fields)
        for index, child in enumerate(entry.get("children") or []):
            self.load_standard_page(page, child, f"{label}.children[{index}]", f"{key}/")

    def load_action_plan(self, parent: Page, raw: dict, label: str, key_prefix: str) -> None:
        """The Action Plan page, and its priorities, focus areas and actions as records that
        news and events can be linked to (baltmet/actionplan). Records are created once:
        a second run finds them by their title or number and leaves them as editors keep
        them."""
        entry = check_entry(
            raw,
            label,
            {"slug", "title", "type", "focus_areas", "focus_areas_from"},
            {
                "seo_title",
                "search_description",
                "intro",
                "approved_at",
                "priorities_heading",
                "priorities",
                "priorities_from",
            },
        )
        for index, title in enumerate(entry.get("priorities") or []):
            self.create_once(
                f"{label}.priorities[{index}]", Priority, {"title": title}, {"sort_order": index}
            )
        for index, raw_area in enumerate(entry["focus_areas"]):
            area_label = f"{label}.focus_areas[{index}]"
            area_entry = check_entry(raw_area, area_label, {"number", "title", "actions"})
            area = self.create_once(
                area_label,
                FocusArea,
                {"number": area_entry["number"]},
                {"title": area_entry["title"]},
            )
            for position, text in enumerate(area_entry["actions"], 1):
                self.create_once(
                    f"{area_label}.actions[{position - 1}]",
                    Action,
                    {"focus_area": area, "position": position},
                    {"text": text},
                )
        fields = self.page_fields(entry, ["intro", "priorities_heading"])
        priorities_from = entry.get("priorities_from")
        fields["priorities_source"] = (
            self.lookup(self.sources, priorities_from, "source", label) if priorities_from else None
        )
        fields["actions_source"] = self.lookup(
            self.sources, entry["focus_areas_from"], "source", label
        )
        meeting = entry.get("approved_at")
        if meeting:
            event = self.lookup(self.events, meeting, "event", label)
            fields["approval"] = (
                f'<p>Approved by the Mayors at the <a linktype="page" id="{event.pk}">'
                f"{escape(event.title)}</a>.</p>"
                if event is not None
                else ""
            )
        key = f"{key_prefix}{entry['slug']}"
        if not self.replace_untyped_page(parent, key, entry["slug"]):
            return
        self.upsert(key, label, ActionPlanPage, parent, entry, fields)

    def create_once(self, label: str, model, lookup: dict, defaults: dict, relate=None):
        """The record `lookup` finds, or a new one with `defaults` (checked as a form would,
        then `relate`d). An existing record is left as it is: an editor may have reworded it
        or linked it since it was loaded."""
        try:
            existing = model.objects.filter(**lookup).first()
        except (ValueError, TypeError) as error:
            raise SeedError(f"{label}: {error}") from None
        if existing is not None:
            return existing
        record = model(**lookup, **defaults)
        if relate is not None:
            relate(record)

        def save():
            record.full_clean()
            record.save()

        self.save_checked(label, save)
        return record

    def replace_untyped_page(self, parent: Page | None, key: str, slug: str) -> bool:
        """Earlier versions of the content loaded the Action Plan as a standard page. Delete
        that page if nobody changed it since, so the typed page takes its address; if someone
        did, leave it and say so (False)."""
        if parent is None:
            return True
        existing = Page.objects.child_of(parent).filter(slug=slug).first()
        if existing is None or existing.specific_class is not StandardPage:
            return True
        record = SeedRecord.objects.filter(key=key).first()
        if record is None or record.page_id != existing.pk:
            self.report.add("skipped", key, "a page of another type has its address")
            return False
        if existing.latest_revision_id != record.revision_id:
            self.report.add("skipped", key, "changed in the admin since it was loaded")
            self.log(f"  skipped   {key} (changed in the admin since it was loaded)")
            return False
        existing.delete()
        record.delete()
        return True

    def load_related_projects(self, parent: Page, raw: dict, label: str, key_prefix: str):
        """The related projects (records created once, found again by their names, like the
        Action Plan's) and their page."""
        entry = check_entry(
            raw,
            label,
            {"slug", "title", "type", "items"},
            {"seo_title", "search_description", "intro"},
        )
        for index, raw_item in enumerate(entry["items"]):
            item_label = f"{label}.items[{index}]"
            item = check_entry(
                raw_item,
                item_label,
                {"name", "kind", "summary", "relation", "source"},
                {"page", "actions", "website"},
            )
            page = None
            if item.get("page"):
                record = SeedRecord.objects.filter(key=item["page"]).first()
                if record is None:
                    raise SeedError(f"{item_label}: unknown page '{item['page']}'.")
                page = record.page
            actions = [self.action(number, item_label) for number in item.get("actions", [])]

            def relate(project, actions=actions):
                project.action_plan_actions = actions

            fields = {name: item[name] for name in ("kind", "summary", "relation", "source")}
            fields.update(website=item.get("website", ""), page=page, sort_order=index)
            self.create_once(item_label, RelatedProject, {"name": item["name"]}, fields, relate)
        fields = self.page_fields(entry, ["intro"])
        self.upsert(
            f"{key_prefix}{entry['slug']}", label, RelatedProjectsPage, parent, entry, fields
        )

    def action(self, number: Any, label: str) -> Action:
        """An Action Plan action by its number, e.g. "4.1"."""
        area, _, position = str(number).partition(".")
        action = None
        if area.isdigit() and position.isdigit():
            action = Action.objects.filter(
                focus_area__number=int(area), position=int(position)
            ).first()
        if action is None:
            raise SeedError(f"{label}: unknown Action Plan action '{number}'.")
        return action

    def arrange_menu(self, home: HomePage) -> None:
        """Put the home page's children in the order of `menu`, moving pages only if needed."""
        order = self.data.get("menu") or []
        if not isinstance(order, list):
            raise SeedError("menu: expected a list of slugs.")
        children = {page.slug: page for page in home.get_children()}
        # The index pages' and top-level pages' keys are their slugs.
        order = [slug for slug in order if slug not in self.deleted]
        unknown = [slug for slug in order if slug not in children]
        if unknown:
            raise SeedError(
                f"menu: no page with slug {', '.join(map(str, unknown))} under the home page."
            )
        # The menu's pages first, in its order; pages outside the menu (the notices) after.
        wanted = order + [slug for slug in children if slug not in order]
        if list(children) != wanted:
            for slug in wanted:
                children[slug].move(home, pos="last-child")


def load_seed_content(path: Path = DEFAULT_SEED_FILE, log: Callable[[str], None] = lambda s: None):
    return SeedLoader(read_seed_file(path), log).run()
