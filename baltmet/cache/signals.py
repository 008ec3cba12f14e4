"""Invalidation: which changes bump which tags (see tags.py for what the tags mean).

Pages: Wagtail's page_published, page_unpublished and post_page_move, Django's pre_delete,
and post_save of a live page saved outside the publishing actions (code, factories). A
change of a page's slug, of its place in the menu or of its place in the tree bumps `tree`:
URLs and menus of every page change with it. Drafts (revisions and their bookkeeping
fields) bump nothing: visitors do not see them.

Everything else: post_save and post_delete of inline items of pages, images, documents,
snippets, tags, settings, sites, redirects, collections and view restrictions, and changes
to the groups of a view restriction. Renditions, embeds and search index entries are
written while pages are rendered and change nothing visitors see: they bump nothing.

Each invalidation happens at once and again when the transaction commits: in between, a
request may read the old data and store it with the new versions; the second bump (and the
ban sent to the proxy, which must come after the commit) makes that entry stale too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import purge, store
from .tags import (
    ANY,
    PAGE,
    PAGES,
    TREE,
    kind_of,
    object_change_tags,
    page_change_tags,
    record_loaded_instance,
)

# Fields that only save_revision() and locking write: a draft, which visitors do not see.
DRAFT_FIELDS = {
    "wagtail_admin_comments",
    "comments",
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "locked_by_id",
}
# Fields whose change moves URLs or menu entries of other pages.
STRUCTURAL_FIELDS = ("slug", "url_path", "show_in_menus")


def _after_commit(tags: frozenset[str]) -> None:
    store.bump(tags)
    purge.ban(tags)


def invalidate(tags: Iterable[str]) -> None:
    """Make every stored response that depends on one of the tags stale."""
    tags = frozenset({*tags, ANY})
    store.bump(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _after_commit(tags), robust=True)
    else:
        purge.ban(tags)


def invalidate_everything() -> None:
    invalidate({TREE, PAGES, ANY})


def _draft_only(update_fields) -> bool:
    return bool(update_fields) and set(update_fields) <= DRAFT_FIELDS


# Pages ----------------------------------------------------------------------------------


def remember_page_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or kind_of(sender) != PAGE or instance.pk is None or _draft_only(update_fields):
        return
    instance._page_cache_before = (
        Page.objects.filter(pk=instance.pk).values("live", *STRUCTURAL_FIELDS).first()
    )


def _structural(instance: Page, before: dict | None) -> bool:
    if before is None:  # a new page: only the menu changes, if it is in it
        return bool(instance.live and instance.show_in_menus)
    if any(before[name] != getattr(instance, name) for name in STRUCTURAL_FIELDS):
        return True
    return before["live"] != instance.live and instance.show_in_menus


def page_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or kind_of(sender) != PAGE or _draft_only(update_fields):
        return
    before = getattr(instance, "_page_cache_before", None)
    was_live = bool(before and before["live"])
    if not (instance.live or was_live):
        return  # a draft that has never been public
    invalidate(page_change_tags(instance, structural=_structural(instance, before)))


def page_published_or_unpublished(sender, instance, **kwargs):
    # After the publishing action has saved the page's relations too.
    invalidate(page_change_tags(instance))


def page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    tags = page_change_tags(instance, structural=True)
    if parent_page_before is not None:
        tags |= page_change_tags(parent_page_before)
    invalidate(tags)


def page_deleted(sender, instance, **kwargs):
    if kind_of(sender) == PAGE and instance.pk is not None:
        invalidate(page_change_tags(instance, structural=True))


# Everything else --------------------------------------------------------------------------


def object_saved_or_deleted(sender, instance, raw=False, **kwargs):
    if raw or kind_of(sender) == PAGE:
        return
    tags = object_change_tags(instance)
    if tags:
        invalidate(tags)


def restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        invalidate({TREE})


def connect() -> None:
    """Called once, from the app's ready()."""
    post_init.connect(record_loaded_instance, dispatch_uid="page_cache_loaded")
    pre_save.connect(remember_page_before_save, dispatch_uid="page_cache_before_save")
    post_save.connect(page_saved, dispatch_uid="page_cache_page_saved")
    post_save.connect(object_saved_or_deleted, dispatch_uid="page_cache_object_saved")
    post_delete.connect(object_saved_or_deleted, dispatch_uid="page_cache_object_deleted")
    # Before the rows go: the page's ancestors and relations are still there to be read.
    pre_delete.connect(page_deleted, dispatch_uid="page_cache_page_deleted")
    page_published.connect(page_published_or_unpublished, dispatch_uid="page_cache_published")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="page_cache_moved")
    for model in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            restriction_groups_changed,
            sender=model.groups.through,
            dispatch_uid=f"page_cache_{model._meta.model_name}_groups",
        )
