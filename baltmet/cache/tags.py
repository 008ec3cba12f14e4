"""What a cached response depends on: tags, collected while the response is rendered.

A response is stored with the tags it depends on; a change to the content bumps the tags it
affects (baltmet/cache/signals.py), and every response stored with one of them is stale.

    page:<id>            the page's own content: title, URL, fields, inline items (contacts,
                         key figures, presentations), for every page the response shows
    descendants:<id>     the live pages below the page: listings of children or of a section
    linked:<id>          pages that point at the page through a relation (the news and
                         events of a work package, the work packages an organisation leads)
    type:<app.model>     any page of that type, wherever it is (feeds, calendars)
    pages                any page (sitemap)
    tree                 what every response shows or depends on: the menu, URLs, the footer
                         (site settings), sites, redirects and view restrictions
    <app.model>:<pk>     an image, document, snippet or tag the response shows
    <app.model>          any object of that model (listings of them)
    any                  anything at all: what a view that declares nothing depends on

Most tags are collected automatically: every model instance loaded from the database during
the rendering adds the tag of what it belongs to (a page, an image, ...). What cannot be seen
that way, the pages that *would* appear in a listing, is declared: PAGE_LISTINGS by page
type, VIEW_DEPENDENCIES by URL name. A page type or view missing from these depends on
`any`, so a new listing is never stale, merely cached for a shorter time.

A response that shows an object of a model whose changes the cache does not follow (not a
page, an inline item of a page, an image, document, snippet, tag or one of the TREE models)
is not cached at all, rather than risk serving it stale; the log says which model it was.
Add such a model to settings.PAGE_CACHE_CONTENT_MODELS.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Page

logger = logging.getLogger(__name__)

ANY = "any"
PAGES = "pages"
TREE = "tree"

# Extra dependencies of each page type, beyond the pages it shows: "descendants" for a
# page that lists pages below it, "linked" for one that lists pages pointing at it.
PAGE_LISTINGS: dict[str, tuple[str, ...]] = {
    # Latest news, events, work packages and metropolises, from the whole site.
    "home.homepage": ("descendants",),
    # Its child pages.
    "baltmet.standardpage": ("descendants",),
    "partners.partnersindexpage": ("descendants",),
    # Its organisations; events and news point at it.
    "partners.metropolispage": ("descendants", "linked"),
    # The work packages it leads, and news and events that name it.
    "partners.organisationpage": ("linked",),
    "workpackages.workpackageindexpage": ("descendants",),
    # Its news and events.
    "workpackages.workpackagepage": ("linked",),
    "news.newsindexpage": ("descendants",),
    # Only pages it points at itself: they are shown, hence tagged.
    "news.newspage": (),
    "events.eventindexpage": ("descendants",),
    # The news about it.
    "events.eventpage": ("linked",),
}

# Dependencies of the views that are not Wagtail pages, by URL name. Others depend on `any`.
VIEW_DEPENDENCIES: dict[str, frozenset[str]] = {
    "news_feed_rss": frozenset({"type:news.newspage"}),
    "news_feed_atom": frozenset({"type:news.newspage"}),
    "events_feed": frozenset({"type:events.eventpage"}),
    "events_calendar": frozenset({"type:events.eventpage"}),
    "event_calendar": frozenset({"type:events.eventpage"}),
    "sitemap": frozenset({PAGES}),
    "robots_txt": frozenset(),
}

# Fields whose values change what a page shows as time passes, without any edit: an event
# moves from "upcoming" to "past" at its end. A response is kept no longer than until the
# next such instant of any of these models (see next_boundary in middleware.py).
TIME_BOUNDARIES: dict[str, tuple[str, ...]] = {
    "events.eventpage": ("starts_at", "ends_at"),
}

# Models whose changes change every response: bumped as `tree`.
TREE_MODELS = {
    "wagtailcore.site",
    "wagtailcore.collection",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.collectionviewrestriction",
    "wagtailredirects.redirect",
}

# Content that is not a page and is shown on pages; snippets, settings, images and documents
# are found by themselves. settings.PAGE_CACHE_CONTENT_MODELS adds to these.
CONTENT_MODELS = {
    "taggit.tag",
    "wagtailsearchpromotions.searchpromotion",
    "wagtailsearchpromotions.query",
}

# Models that are loaded while pages are rendered but never change what visitors see.
IGNORED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "wagtailcore.locale",
    "wagtailcore.revision",
    "wagtailcore.referenceindex",
    "wagtailembeds.embed",
    "wagtailsearch.indexentry",
}


# What kind of thing a model is, for the cache.
PAGE = "page"
CHILD = "child"  # an inline item of a page (ParentalKey)
RENDITION = "rendition"
TREE_KIND = "tree"
CONTENT = "content"
IGNORED = "ignored"
UNTRACKED = "untracked"


def page_tag(page_id) -> str:
    return f"page:{page_id}"


def type_tag(model: type[models.Model]) -> str:
    return f"type:{model._meta.label_lower}"


@dataclass
class Collector:
    """The tags of the response being rendered, and whether it may be cached at all."""

    tags: set[str] = field(default_factory=lambda: {TREE})
    refused: str = ""  # why it must not be cached; empty if it may
    served_page: bool = False

    def refuse(self, reason: str) -> None:
        if not self.refused:
            self.refused = reason


_collector: ContextVar[Collector | None] = ContextVar("page_cache_collector", default=None)


@contextmanager
def collecting() -> Iterator[Collector]:
    """Collect the dependencies of everything rendered inside the block."""
    collector = Collector()
    token = _collector.set(collector)
    try:
        yield collector
    finally:
        _collector.reset(token)


def current() -> Collector | None:
    return _collector.get()


def depend_on(*tags: str) -> None:
    """Declare dependencies of the response being rendered (for views that list content the
    automatic collection cannot see, e.g. `depend_on("baltmet.figuresource")`)."""
    collector = _collector.get()
    if collector is not None:
        collector.tags.update(tags)


def do_not_cache(reason: str) -> None:
    """Keep the response being rendered out of the cache."""
    collector = _collector.get()
    if collector is not None:
        collector.refuse(reason)


def page_dependencies(page: Page) -> set[str]:
    """The tags of a page being served: its own, and those of what it lists."""
    kinds = PAGE_LISTINGS.get(page._meta.label_lower)
    if kinds is None:
        return {page_tag(page.pk), ANY}
    return {page_tag(page.pk), *(f"{kind}:{page.pk}" for kind in kinds)}


def view_dependencies(url_name: str | None) -> frozenset[str]:
    return VIEW_DEPENDENCIES.get(url_name or "", frozenset({ANY}))


# Classifying models ------------------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@functools.cache
def _setting_models() -> frozenset[str]:
    from wagtail.contrib.settings.registry import registry

    return frozenset(_label(model) for model in registry)


@functools.cache
def _content_models() -> frozenset[str]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.snippets.models import get_snippet_models

    labels = {*CONTENT_MODELS, *(label.lower() for label in settings.PAGE_CACHE_CONTENT_MODELS)}
    labels.update(_label(model) for model in get_snippet_models())
    labels.add(_label(get_image_model()))
    labels.add(_label(get_document_model()))
    labels.add(settings.AUTH_USER_MODEL.lower())
    return frozenset(labels)


@functools.cache
def _rendition_model() -> type[models.Model]:
    from wagtail.images import get_image_model

    return get_image_model().get_rendition_model()


@functools.cache
def parent_page_field(model: type[models.Model]) -> str | None:
    """The attribute holding the id of the page an inline item belongs to, if it is one."""
    for model_field in model._meta.get_fields():
        if isinstance(model_field, ParentalKey) and issubclass(model_field.related_model, Page):
            return model_field.attname
    return None


@functools.cache
def kind_of(model: type[models.Model]) -> str:
    """What the cache makes of instances of the model (PAGE, CHILD, ..., UNTRACKED)."""
    if model.__module__ == "__fake__" or model._meta.auto_created:
        # Historical models of migrations, and the through tables of many-to-many fields
        # (saved with the page that owns them).
        return IGNORED
    label = _label(model)
    if issubclass(model, Page):
        return PAGE
    if parent_page_field(model):
        return CHILD
    if issubclass(model, _rendition_model()):
        return RENDITION
    if label in TREE_MODELS or label in _setting_models():
        return TREE_KIND
    if label in _content_models():
        return CONTENT
    if label in IGNORED_MODELS:
        return IGNORED
    return UNTRACKED


def instance_tag(instance: models.Model) -> str | None:
    """The tag of an object loaded while a response is rendered (None: nothing to follow)."""
    kind = kind_of(type(instance))
    if kind == PAGE:
        return page_tag(instance.pk) if instance.pk is not None else None
    if kind == CHILD:
        parent_id = getattr(instance, parent_page_field(type(instance)))
        return page_tag(parent_id) if parent_id is not None else None
    if kind == RENDITION:
        image_model = type(instance)._meta.get_field("image").related_model
        return f"{_label(image_model)}:{instance.image_id}"
    if kind == TREE_KIND:
        return TREE
    if kind == CONTENT:
        return f"{_label(type(instance))}:{instance.pk}"
    return None


def record_loaded_instance(sender, instance, **kwargs) -> None:
    """post_init receiver: an object was loaded; the response depends on it."""
    collector = _collector.get()
    if collector is None or collector.refused:
        return
    if kind_of(sender) == UNTRACKED:
        collector.refuse(f"it shows a {_label(sender)}, whose changes the cache does not follow")
        return
    tag = instance_tag(instance)
    if tag is not None:
        collector.tags.add(tag)


# What a change affects -------------------------------------------------------------------


def ancestor_ids(page: Page) -> list[int]:
    """The ids of the page's ancestors, from its tree path (one query)."""
    steplen = Page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path or ""), steplen)]
    if not paths:
        return []
    return list(Page.objects.filter(path__in=paths).values_list("pk", flat=True))


def _page_ids(value) -> Iterable[int]:
    if value is None:
        return ()
    return [item.pk for item in value.all() if item.pk is not None]


def linked_page_ids(page: Page) -> set[int]:
    """The pages this one points at through a foreign key or many-to-many field, its own or
    one of its inline items': they list it through the reverse relation."""
    ids: set[int] = set()

    def follow(obj: models.Model, skip: str | None = None) -> None:
        for model_field in type(obj)._meta.get_fields():
            if not model_field.is_relation or model_field.auto_created:
                continue
            if model_field.name == skip or getattr(model_field.remote_field, "parent_link", 0):
                continue
            related = model_field.related_model
            if not (isinstance(related, type) and issubclass(related, Page)):
                continue
            if model_field.many_to_many:
                ids.update(_page_ids(getattr(obj, model_field.name)))
            elif model_field.concrete:
                target = getattr(obj, model_field.attname)
                if target is not None:
                    ids.add(target)

    follow(page)
    from modelcluster.models import get_all_child_relations

    for relation in get_all_child_relations(type(page)):
        for child in getattr(page, relation.get_accessor_name()).all():
            follow(child, skip=relation.field.name)
    ids.discard(page.pk)
    return ids


def page_change_tags(page: Page, *, structural: bool = False) -> set[str]:
    """Everything a change of the page (published, unpublished, deleted, moved) affects."""
    specific = page.specific_deferred if type(page) is Page else page
    tags = {page_tag(page.pk), type_tag(type(specific)), PAGES, ANY}
    tags.update(f"descendants:{pk}" for pk in ancestor_ids(page))
    tags.update(f"linked:{pk}" for pk in linked_page_ids(specific))
    if structural:
        tags.add(TREE)
    return tags


def child_change_tags(instance: models.Model) -> set[str]:
    """An inline item saved or deleted on its own (not by publishing its page)."""
    tags = {PAGES, ANY}
    parent_id = getattr(instance, parent_page_field(type(instance)))
    if parent_id is not None:
        tags.add(page_tag(parent_id))
    for model_field in type(instance)._meta.concrete_fields:
        related = model_field.related_model
        if model_field.is_relation and isinstance(related, type) and issubclass(related, Page):
            target = getattr(instance, model_field.attname)
            if target is not None and target != parent_id:
                tags.add(f"linked:{target}")
    return tags


def object_change_tags(instance: models.Model) -> set[str]:
    """A change of an object that is not a page; empty if the cache does not follow it."""
    kind = kind_of(type(instance))
    if kind == CHILD:
        return child_change_tags(instance)
    if kind == TREE_KIND:
        return {TREE, ANY}
    if kind == CONTENT:
        label = _label(type(instance))
        return {f"{label}:{instance.pk}", label, ANY}
    return set()


def essential(tags: Iterable[str]) -> set[str]:
    """The tags without those another one implies: every change bumps `any`, every change of
    a page (or of its inline items) bumps `pages`."""
    tags = set(tags)
    if ANY in tags:
        return {ANY, TREE}
    if PAGES in tags:
        page_prefixes = ("page:", "descendants:", "linked:", "type:")
        tags = {tag for tag in tags if not tag.startswith(page_prefixes)}
    return tags


def time_boundary_models() -> list[tuple[type[models.Model], tuple[str, ...]]]:
    found = []
    for label, fields in TIME_BOUNDARIES.items():
        try:
            found.append((apps.get_model(label), fields))
        except LookupError:
            continue
    return found
