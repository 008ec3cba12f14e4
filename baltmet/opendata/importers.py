"""Import of partner organisations and events from CSV, in the columns of their exports.

An import is all or nothing: every row is checked (each error reported with its line and
column), then written in one transaction, where the pages' own rules check it again (an event
that ends before it starts...); if any row has an error, the transaction is rolled back and
nothing is written. A dry run does the same and always rolls back: it reports what the import
would do (create, update, unchanged) and writes nothing.

A row matches an existing page by its name under its city (organisations) or by its title and
start date (events); a matched page gets a new published revision only if a value differs.
Columns that only the export has (`url`) are read and ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page

from baltmet.actionplan.models import Action
from baltmet.opendata.datasets import DATASETS
from baltmet.opendata.views import FORMULA_STARTS, LIST_SEPARATOR
from events.models import EventIndexPage, EventKind, EventPage
from partners.models import MetropolisPage, OrganisationPage, OrganisationType, ProjectRole
from workpackages.models import WorkPackagePage

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 5000

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class UnreadableFile(Exception):
    """The file as a whole cannot be read: not CSV, not UTF-8, wrong columns, too large."""


@dataclass
class RowResult:
    line: int  # the row's line in the file (the header is line 1)
    title: str
    action: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dataset: str
    rows: list[RowResult]
    written: bool = False

    @property
    def errors(self) -> list[str]:
        return [f"Line {row.line}: {error}" for row in self.rows for error in row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    def summary(self) -> str:
        done = "" if self.written else "would be "
        return (
            f"{len(self.rows)} rows: {self.count(CREATE)} {done}created, "
            f"{self.count(UPDATE)} {done}updated, {self.count(UNCHANGED)} unchanged, "
            f"{sum(1 for row in self.rows if row.errors)} with errors."
        )


def read_rows(data: bytes, columns: tuple[str, ...], required: set[str]) -> list[dict]:
    """The file's rows as dicts, or UnreadableFile saying why the file cannot be read."""
    if len(data) > MAX_FILE_SIZE:
        raise UnreadableFile(f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("The file is not UTF-8 text: save it as CSV UTF-8.") from None
    if not text.strip():
        raise UnreadableFile("The file is empty.")
    if "\x00" in text:
        raise UnreadableFile("The file is not a CSV file (it holds binary data).")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in columns]
        if unknown:
            raise UnreadableFile(
                f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(columns)}."
            )
        missing = sorted(required - set(header))
        if missing:
            raise UnreadableFile(f"Missing column(s): {', '.join(missing)}.")
        if len(set(header)) != len(header):
            raise UnreadableFile("A column is given twice.")
        rows = []
        for row in reader:
            if len(rows) == MAX_ROWS:
                raise UnreadableFile(f"The file has more than {MAX_ROWS} rows.")
            if None in row:
                raise UnreadableFile(f"Line {reader.line_num}: more cells than columns.")
            rows.append({name: unescape(value or "") for name, value in row.items()})
    except csv.Error as error:
        raise UnreadableFile(f"The file is not valid CSV: {error}.") from None
    if not rows:
        raise UnreadableFile("The file has no rows below its header.")
    return rows


def unescape(value: str) -> str:
    """A cell as the export wrote it, without the apostrophe that keeps a formula out."""
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR.strip()) if item.strip()]


def boolean(value: str, column: str, errors: list[str]) -> bool:
    lowered = value.lower()
    if lowered in ("", "false", "no", "0"):
        return False
    if lowered in ("true", "yes", "1"):
        return True
    errors.append(f"{column}: write true or false, not “{value}”.")
    return False


def choice(value: str, choices, column: str, errors: list[str]) -> str:
    if value in choices.values:
        return value
    errors.append(f"{column}: “{value}” is not one of {', '.join(choices.values)}.")
    return ""


def date(value: str, column: str, errors: list[str], required=False) -> dt.date | None:
    if not value:
        if required:
            errors.append(f"{column}: a date is required (YYYY-MM-DD).")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{column}: “{value}” is not a date (YYYY-MM-DD).")
        return None


def time(value: str, column: str, errors: list[str]) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        errors.append(f"{column}: “{value}” is not a time (HH:MM).")
        return None


def text(value: str, column: str, max_length: int, errors: list[str], required=False) -> str:
    if required and not value:
        errors.append(f"{column}: required.")
    if len(value) > max_length:
        errors.append(f"{column}: longer than {max_length} characters.")
    return value


class Importer:
    dataset: str
    required: set[str]

    def __init__(self):
        self.locale = Locale.get_default()
        self.metropolises = {m.title: m for m in MetropolisPage.objects.filter(locale=self.locale)}

    def run(self, data: bytes, dry_run: bool, user=None) -> ImportReport:
        rows = read_rows(data, DATASETS[self.dataset].columns, self.required)
        planned = [self.check(index + 2, row) for index, row in enumerate(rows)]
        report = ImportReport(self.dataset, [result for result, _ in planned])
        # The rows that passed are written even if others failed, so that the pages' own
        # rules check them too and every error is reported; then it is all rolled back.
        with transaction.atomic():
            for result, write in planned:
                if write is None:
                    continue
                try:
                    with transaction.atomic():  # a savepoint: the next rows are still checked
                        write(user)
                except ValidationError as error:
                    result.errors.extend(messages_of(error))
            if dry_run or report.errors:
                transaction.set_rollback(True)
            else:
                report.written = True
        return report

    def check(self, line: int, row: dict):
        """The row's result and, if it changes something, a function that writes it."""
        raise NotImplementedError

    @staticmethod
    def publish(page: Page, user) -> None:
        page.save_revision(user=user).publish(user=user)

    @staticmethod
    def differs(page: Page, fields: dict, relations: dict) -> bool:
        if any(getattr(page, name) != value for name, value in fields.items()):
            return True
        return any(
            {p.pk for p in getattr(page, name).all()} != {p.pk for p in pages}
            for name, pages in relations.items()
        )

    @staticmethod
    def free_slug(parent: Page, wanted: str) -> str:
        slug, number = wanted, 1
        while Page.objects.child_of(parent).filter(slug=slug).exists():
            number += 1
            slug = f"{wanted}-{number}"
        return slug


class OrganisationImporter(Importer):
    dataset = "organisations"
    required = {"name", "role", "city", "type"}

    def check(self, line, row):
        errors: list[str] = []
        name = text(row.get("name", ""), "name", 255, errors, required=True)
        result = RowResult(line, name)
        city = self.metropolises.get(row.get("city", ""))
        if city is None:
            errors.append(f"city: no metropolis is called “{row.get('city', '')}”.")
        elif row.get("country") and row["country"] != city.country:
            errors.append(f"country: {city.title} is in {city.country}, not {row['country']}.")
        website = row.get("website", "")
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors.append(f"website: “{website}” is not a web address.")
        fields = {
            "organisation_type": choice(row.get("type", ""), OrganisationType, "type", errors),
            "organisation_type_inferred": boolean(
                row.get("type_inferred", ""), "type_inferred", errors
            ),
            "project_role": choice(row.get("role", ""), ProjectRole, "role", errors),
            "website": website,
        }
        slug = slugify(row.get("slug") or name)
        if row.get("slug") and slug != row["slug"]:
            errors.append(f"slug: “{row['slug']}” is not a slug (a-z, 0-9 and hyphens).")
        result.errors = errors
        if errors:
            return result, None
        existing = (
            OrganisationPage.objects.child_of(city).filter(title=name).first() if city else None
        )
        if existing is None:
            result.action = CREATE

            def write(user):
                page = OrganisationPage(title=name, slug=self.free_slug(city, slug), **fields)
                city.add_child(instance=page)
                self.publish(page, user)

            return result, write
        if not self.differs(existing, fields, {}):
            result.action = UNCHANGED
            return result, None
        result.action = UPDATE

        def update(user):
            for key, value in fields.items():
                setattr(existing, key, value)
            self.publish(existing, user)

        return result, update


class EventImporter(Importer):
    dataset = "events"
    required = {"title", "kind", "start_date", "city", "country", "intro"}

    def __init__(self):
        super().__init__()
        self.index = EventIndexPage.objects.filter(locale=self.locale).first()
        self.organisations = {
            o.title: o for o in OrganisationPage.objects.filter(locale=self.locale)
        }
        self.work_packages = {
            wp.number: wp for wp in WorkPackagePage.objects.filter(locale=self.locale)
        }
        self.actions = {a.number: a for a in Action.objects.select_related("focus_area")}

    def check(self, line, row):
        errors: list[str] = []
        title = text(row.get("title", ""), "title", 255, errors, required=True)
        result = RowResult(line, title)
        if self.index is None:
            errors.append("There is no events section to put the event in.")
        fields = {
            "kind": choice(row.get("kind", ""), EventKind, "kind", errors),
            "start_date": date(row.get("start_date", ""), "start_date", errors, required=True),
            "start_time": time(row.get("start_time", ""), "start_time", errors),
            "end_date": date(row.get("end_date", ""), "end_date", errors),
            "end_time": time(row.get("end_time", ""), "end_time", errors),
            "time_zone": text(row.get("time_zone", ""), "time_zone", 64, errors),
            "date_note": text(row.get("date_note", ""), "date_note", 255, errors),
            "venue": text(row.get("venue", ""), "venue", 255, errors),
            "city": text(row.get("city", ""), "city", 100, errors, required=True),
            "country": text(row.get("country", ""), "country", 100, errors, required=True),
            "other_organisers": text(
                row.get("other_organisers", ""), "other_organisers", 255, errors
            ),
            "intro": text(row.get("intro", ""), "intro", 10_000, errors, required=True),
            "metropolis": None,
        }
        if row.get("metropolis"):
            fields["metropolis"] = self.metropolises.get(row["metropolis"])
            if fields["metropolis"] is None:
                errors.append(f"metropolis: no metropolis is called “{row['metropolis']}”.")
        relations = {
            "organising_partners": self.look_up(
                row, "organisers", self.organisations, "organisation", errors
            ),
            "related_work_packages": self.look_up(
                row, "work_packages", self.work_packages, "work package", errors, key=number
            ),
            "action_plan_actions": self.look_up(
                row, "action_plan_actions", self.actions, "action", errors
            ),
        }
        slug = slugify(row.get("slug") or title)
        if row.get("slug") and slug != row["slug"]:
            errors.append(f"slug: “{row['slug']}” is not a slug (a-z, 0-9 and hyphens).")
        result.errors = errors
        if errors:
            return result, None
        existing = (
            EventPage.objects.child_of(self.index)
            .filter(title=title, start_date=fields["start_date"])
            .first()
        )
        if existing is None:
            result.action = CREATE

            def write(user):
                page = EventPage(title=title, slug=self.free_slug(self.index, slug), **fields)
                self.relate(page, relations)
                self.index.add_child(instance=page)
                self.publish(page, user)

            return result, write
        if not self.differs(existing, fields, relations):
            result.action = UNCHANGED
            return result, None
        result.action = UPDATE

        def update(user):
            for key, value in fields.items():
                setattr(existing, key, value)
            self.relate(existing, relations)
            self.publish(existing, user)

        return result, update

    @staticmethod
    def relate(page, relations):
        for name, pages in relations.items():
            setattr(page, name, pages)

    @staticmethod
    def look_up(row, column, table, what, errors, key=str) -> list:
        found = []
        for name in split_list(row.get(column, "")):
            try:
                found.append(table[key(name)])
            except (KeyError, ValueError):
                errors.append(f"{column}: no {what} “{name}”.")
        return found


def messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()]
    return list(error.messages)


def number(value: str) -> int:
    return int(value)


IMPORTERS = {"organisations": OrganisationImporter, "events": EventImporter}
