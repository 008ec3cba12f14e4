"""Build the benchmark data set: the seed content plus generated volume (see bench/README.md).

The generated pages are written in bulk, treebeard-aware: each gets its path, depth, url_path
and live flag directly, and the parents' numchild is fixed afterwards. Saving 10,000 pages one
by one through add_child(), save_revision() and publish() takes far too long, and serving
needs none of the revisions. Everything is deterministic (a fixed random seed, fixed dates) so
two builds give the same site, and everything generated says it is generated: no facts.

Run it only against a database meant for benchmarks (`make bench` uses `baltmet_bench`),
through bench/build_data.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.models import Collection, Page

from baltmet.home.models import HomePage
from baltmet.models import CustomDocument, CustomImage
from baltmet.seeding.loader import load_seed_content
from events.models import EventIndexPage, EventKind, EventPage, EventPresentation
from news.models import NewsIndexPage, NewsPage, NewsPageTag
from partners.models import (
    MetropolisPage,
    OrganisationContact,
    OrganisationPage,
    OrganisationType,
    ProjectRole,
)
from workpackages.models import WorkPackagePage

# Bump when the generated data changes: `make bench` then rebuilds the database.
GENERATOR_VERSION = 1
MARKER_TABLE = "bench_dataset"
SEED = 20080101
BATCH = 1000

# Words for the search benchmark: the common one is in nearly every generated text, the rare
# one in one news item in a thousand (and in nothing the seed content says).
COMMON_WORD = "innovation"
RARE_WORD = "lighthouse"
RARE_EVERY = 1000

SLUG_PREFIX = "bench-"
BASE_DATE = dt.date(2024, 12, 31)  # the newest generated news item
FIRST_EVENT = dt.date(2005, 1, 3)
PUBLISHED_AT = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Scale:
    organisations: int
    news: int
    events: int
    documents: int
    images: int


SCALES = {
    "full": Scale(organisations=200, news=10_000, events=3_000, documents=2_000, images=500),
    "small": Scale(organisations=5, news=30, events=10, documents=5, images=3),
}

TOPICS = [
    "cluster",
    "mobility",
    "energy",
    "biotechnology",
    "design",
    "logistics",
    "start-up",
    "research",
    "tourism",
    "water",
    "skills",
    "e-health",
]
FORMATS = ["workshop", "seminar", "study visit", "meeting", "report", "call", "network", "forum"]
FILLER = [
    "partners",
    "metropolis",
    "region",
    "exchange",
    "regional",
    "development",
    "cooperation",
    "programme",
    "knowledge",
    "companies",
    "universities",
    "transfer",
    "pilot",
    "strategy",
    "support",
]
TAGS = [f"{topic} {fmt}" for topic in TOPICS[:8] for fmt in FORMATS[:5]]  # 40 tags
TIME_ZONES = {
    "Germany": "Europe/Berlin",
    "Denmark": "Europe/Copenhagen",
    "Finland": "Europe/Helsinki",
    "Sweden": "Europe/Stockholm",
    "Norway": "Europe/Oslo",
    "Latvia": "Europe/Riga",
    "Russia": "Europe/Moscow",
    "Estonia": "Europe/Tallinn",
    "Lithuania": "Europe/Vilnius",
    "Poland": "Europe/Warsaw",
}


class BenchDataExists(Exception):
    """The database holds a data set of another generator version or scale."""


# --- The marker: which data set the database holds ----------------------------------------


def read_marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT version, scale FROM {MARKER_TABLE} ORDER BY built_at DESC LIMIT 1")
        row = cursor.fetchone()
    return {"version": row[0], "scale": row[1]} if row else None


def write_marker(scale_name: str) -> None:
    # A plain table outside the migrations: it only ever exists in benchmark databases.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (version integer NOT NULL, "
            "scale text NOT NULL, built_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (version, scale) VALUES (%s, %s)",
            [GENERATOR_VERSION, scale_name],
        )


# --- Helpers ---------------------------------------------------------------------------------


def batched(items: Iterable, size: int = BATCH):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(FILLER) for _ in range(count))


def generated_text(rng: random.Random, topic: str, extra: str = "") -> str:
    """A sentence that says it is generated, so nobody mistakes it for the network's news."""
    return f"Generated text for load testing about {topic} {COMMON_WORD}{extra}: {words(rng, 12)}."


def path_step(number: int) -> str:
    """One step of a materialised path, as treebeard writes it: base 36, zero-padded."""
    digits = ""
    while number:
        number, digit = divmod(number, len(Page.alphabet))
        digits = Page.alphabet[digit] + digits
    return digits.rjust(Page.steplen, Page.alphabet[0])


class TreeWriter:
    """Appends children to one parent page in bulk, as treebeard and Wagtail would."""

    def __init__(self, parent: Page):
        self.parent = parent
        last = parent.get_last_child()
        self.next_step = int(last.path[-Page.steplen :], len(Page.alphabet)) + 1 if last else 1
        self.added = 0

    def place(self, page: Page, rng: random.Random) -> Page:
        page.path = self.parent.path + path_step(self.next_step)
        page.depth = self.parent.depth + 1
        page.numchild = 0
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.locale_id = self.parent.locale_id
        page.translation_key = uuid.UUID(int=rng.getrandbits(128), version=4)
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = PUBLISHED_AT
        self.next_step += 1
        self.added += 1
        return page


def insert_pages(model: type[Page], pages: Sequence[Page]) -> None:
    """Insert specific pages: the wagtailcore_page rows first, then the model's own table.

    Django's bulk_create refuses multi-table inheritance, so the base rows go through
    bulk_create (which returns their ids on PostgreSQL) and the model's own rows through one
    INSERT, each value prepared by its field as Model.save() would.
    """
    content_type = ContentType.objects.get_for_model(model)
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = []
    for page in pages:
        page.content_type = content_type
        bases.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
    Page.objects.bulk_create(bases, batch_size=BATCH)
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.page_ptr_id = base.pk
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(page, add=True), connection) for field in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def fix_numchild(parents: Iterable[Page]) -> None:
    for parent in parents:
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())


# --- The generator -----------------------------------------------------------------------------


class BenchDataBuilder:
    def __init__(self, scale: Scale, progress=None):
        self.scale = scale
        self.rng = random.Random(SEED)
        self.progress = progress or (lambda label, done, total: None)
        self.root_collection = Collection.get_first_root_node()

    def build(self) -> None:
        home = HomePage.objects.get()
        self.metropolises = list(MetropolisPage.objects.order_by("path"))
        self.work_packages = list(WorkPackagePage.objects.order_by("number"))
        self.images = self.build_images()
        self.documents = self.build_documents()
        self.organisations = self.build_organisations()
        self.events = self.build_events(EventIndexPage.objects.descendant_of(home).get())
        self.build_news(NewsIndexPage.objects.descendant_of(home).get())

    def build_images(self) -> list[CustomImage]:
        images = []
        for number in range(1, self.scale.images + 1):
            name = f"original_images/bench/bench-image-{number:04d}.png"
            colour = tuple(self.rng.randrange(256) for _ in range(3))
            content = self.png(colour)
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
            images.append(
                CustomImage(
                    title=f"Generated image {number}",
                    description=f"A plain generated rectangle, image {number}",
                    file=name,
                    width=320,
                    height=200,
                    file_size=len(content),
                    file_hash=hashlib.sha1(content).hexdigest(),
                    collection=self.root_collection,
                    created_at=PUBLISHED_AT,
                )
            )
            self.progress("images", number, self.scale.images)
        return CustomImage.objects.bulk_create(images, batch_size=BATCH)

    def png(self, colour: tuple[int, ...]) -> bytes:
        buffer = io.BytesIO()
        PILImage.new("RGB", (320, 200), colour).save(buffer, "PNG")
        return buffer.getvalue()

    def build_documents(self) -> list[CustomDocument]:
        documents = []
        for number in range(1, self.scale.documents + 1):
            name = f"documents/bench/bench-document-{number:05d}.txt"
            content = f"Generated document {number} for load testing.\n".encode()
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
            documents.append(
                CustomDocument(
                    title=f"Generated document {number}",
                    description=generated_text(self.rng, self.rng.choice(TOPICS)),
                    file=name,
                    file_size=len(content),
                    file_hash=hashlib.sha1(content).hexdigest(),
                    collection=self.root_collection,
                    created_at=PUBLISHED_AT,
                )
            )
            self.progress("documents", number, self.scale.documents)
        return CustomDocument.objects.bulk_create(documents, batch_size=BATCH)

    def paragraph(self, topic: str, extra: str = "") -> dict:
        return {"type": "paragraph", "value": f"<p>{generated_text(self.rng, topic, extra)}</p>"}

    def document_block(self) -> dict:
        document = self.rng.choice(self.documents)
        return {"type": "document", "value": {"document": document.pk, "label": ""}}

    def figure_block(self) -> dict:
        image = self.rng.choice(self.images)
        return {
            "type": "figure",
            "value": {
                "image": {"image": image.pk, "alt_text": image.description, "decorative": False},
                "caption": "A generated image",
                "credit": "",
            },
        }

    def build_organisations(self) -> list[OrganisationPage]:
        writers = {m.pk: TreeWriter(m) for m in self.metropolises}
        types = OrganisationType.values
        roles = [ProjectRole.PARTNER, ProjectRole.PARTNER, ProjectRole.OBSERVER]
        pages = []
        for number in range(1, self.scale.organisations + 1):
            metropolis = self.metropolises[(number - 1) % len(self.metropolises)]
            topic = self.rng.choice(TOPICS)
            body = [self.paragraph(topic)]
            if self.documents and number % 3 == 0:
                body.append(self.document_block())
            page = OrganisationPage(
                title=f"Generated organisation {number:03d} ({topic})",
                slug=f"{SLUG_PREFIX}organisation-{number:03d}",
                organisation_type=self.rng.choice(types),
                project_role=self.rng.choice(roles),
                website=f"https://organisation-{number:03d}.example.org/",
                logo=self.rng.choice(self.images) if self.images and number % 5 else None,
                intro=generated_text(self.rng, topic),
                description=body,
            )
            pages.append(writers[metropolis.pk].place(page, self.rng))
        for done, chunk in enumerate(batched(pages), start=1):
            insert_pages(OrganisationPage, chunk)
            self.progress("organisations", min(done * BATCH, len(pages)), len(pages))
        contacts = [
            OrganisationContact(
                page=page,
                sort_order=position,
                name=f"Contact person {position + 1} of organisation {number:03d}",
                job_title="Generated contact",
                email=f"contact-{position + 1}@organisation-{number:03d}.example.org",
            )
            for number, page in enumerate(pages, start=1)
            for position in range(1 + number % 2)
        ]
        OrganisationContact.objects.bulk_create(contacts, batch_size=BATCH)
        fix_numchild(self.metropolises)
        return pages

    def build_events(self, index: EventIndexPage) -> list[EventPage]:
        writer = TreeWriter(index)
        kinds = EventKind.values
        pages = []
        for number in range(1, self.scale.events + 1):
            metropolis = self.rng.choice(self.metropolises)
            topic = self.rng.choice(TOPICS)
            kind = self.rng.choice(kinds)
            start = FIRST_EVENT + dt.timedelta(days=3 * (number - 1))
            timed = number % 2 == 0
            page = EventPage(
                title=f"Generated {topic} {kind} {number:04d}",
                slug=f"{SLUG_PREFIX}event-{number:04d}",
                kind=kind,
                start_date=start,
                start_time=dt.time(9, 30) if timed else None,
                end_date=start + dt.timedelta(days=number % 3) if number % 3 else None,
                end_time=dt.time(16, 0) if timed else None,
                time_zone=TIME_ZONES.get(metropolis.country, "Europe/Helsinki"),
                venue=f"Generated venue {number % 50 + 1}",
                city=metropolis.title,
                country=metropolis.country,
                metropolis=metropolis,
                intro=generated_text(self.rng, topic),
                body=[self.paragraph(topic)],
            )
            page.sync_instants()
            pages.append(writer.place(page, self.rng))
        for done, chunk in enumerate(batched(pages), start=1):
            insert_pages(EventPage, chunk)
            self.progress("events", min(done * BATCH, len(pages)), len(pages))
        self.relate(
            EventPage.organising_partners.through,
            "eventpage_id",
            "organisationpage_id",
            pages,
            self.organisations,
            2,
        )
        self.relate(
            EventPage.related_work_packages.through,
            "eventpage_id",
            "workpackagepage_id",
            pages,
            self.work_packages,
            1,
        )
        presentations = [
            EventPresentation(
                page=page,
                sort_order=position,
                title=f"Generated presentation {position + 1} of event {number:04d}",
                speaker=f"Speaker {position + 1}",
                speaker_organisation=self.rng.choice(self.organisations),
                document=self.rng.choice(self.documents) if self.documents else None,
            )
            for number, page in enumerate(pages, start=1)
            for position in range(number % 4)
        ]
        EventPresentation.objects.bulk_create(presentations, batch_size=BATCH)
        fix_numchild([index])
        return pages

    def build_news(self, index: NewsIndexPage) -> None:
        writer = TreeWriter(index)
        pages = []
        for number in range(1, self.scale.news + 1):
            topic = self.rng.choice(TOPICS)
            rare = f" and the {RARE_WORD} idea" if number % RARE_EVERY == 7 else ""
            body = [self.paragraph(topic, rare), self.paragraph(topic)]
            if self.documents and number % 5 == 0:
                body.append(self.document_block())
            if self.images and number % 10 == 0:
                body.append(self.figure_block())
            page = NewsPage(
                title=f"Generated {topic} news {number:05d}",
                slug=f"{SLUG_PREFIX}news-{number:05d}",
                date=BASE_DATE - dt.timedelta(days=(self.scale.news - number) * 9 // 10),
                intro=generated_text(self.rng, topic, rare),
                body=body,
            )
            pages.append(writer.place(page, self.rng))
        for done, chunk in enumerate(batched(pages), start=1):
            insert_pages(NewsPage, chunk)
            self.progress("news", min(done * BATCH, len(pages)), len(pages))
        through = NewsPage.related_metropolises.through
        self.relate(through, "newspage_id", "metropolispage_id", pages, self.metropolises, 2)
        through = NewsPage.related_organisations.through
        self.relate(through, "newspage_id", "organisationpage_id", pages, self.organisations, 3)
        through = NewsPage.related_work_packages.through
        self.relate(through, "newspage_id", "workpackagepage_id", pages, self.work_packages, 1)
        through = NewsPage.related_events.through
        self.relate(through, "newspage_id", "eventpage_id", pages, self.events, 1)
        tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
        NewsPageTag.objects.bulk_create(
            [
                NewsPageTag(content_object_id=page.pk, tag=tag)
                for page in pages
                for tag in self.rng.sample(tags, 1 + self.rng.randrange(3))
            ],
            batch_size=BATCH,
        )
        fix_numchild([index])

    def relate(self, through, source: str, target: str, pages, choices, most: int) -> None:
        """Link each page to between none and `most` distinct pages of `choices`."""
        if not choices:
            return
        rows = [
            through(**{source: page.pk, target: chosen.pk})
            for page in pages
            for chosen in self.rng.sample(choices, min(len(choices), self.rng.randrange(most + 1)))
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)


def build_bench_data(scale_name: str, progress=None, log=lambda line: None) -> dict:
    """Build the data set into the current database, or reuse the one it holds.

    Returns what was done; raises BenchDataExists for a data set of another version or scale.
    """
    wanted = {"version": GENERATOR_VERSION, "scale": scale_name}
    marker = read_marker()
    if marker == wanted:
        return {"reused": True, **wanted}
    if marker is not None or Page.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise BenchDataExists(
            f"This database holds a benchmark data set ({marker or 'unmarked'}), not {wanted}. "
            "Build into an empty database (make bench drops and rebuilds it by itself)."
        )
    started = time.monotonic()
    with transaction.atomic():
        log("Loading the seed content")
        load_seed_content()
        log("Generating the volume")
        BenchDataBuilder(SCALES[scale_name], progress).build()
        log("Indexing for search (update_index)")
        call_command("update_index", stdout=io.StringIO())
        write_marker(scale_name)
    # Fresh statistics: without them PostgreSQL plans the listings over 13,000 pages as if
    # the tables were empty, and a page takes minutes instead of milliseconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = dict(
        Page.objects.values_list("content_type__model")
        .annotate(n=Count("pk"))
        .order_by("content_type__model")
    )
    return {"reused": False, **wanted, "seconds": round(time.monotonic() - started, 1), **counts}
