"""What bumps the page cache's generation: every change a visitor could see.

- pages: published, unpublished, moved, deleted, or saved while live by code (not a draft);
- what pages show: their inline items (key figures, contacts, presentations, tags), images,
  documents, snippets, tags, site settings, sites, collections, redirects, editors' picks
  and view restrictions (and their groups).

Drafts, revisions, renditions, the search index, users and logs bump nothing: visitors see
none of them. Scheduled publishing goes through Wagtail's publish and unpublish, so it bumps
when the page goes live or expires.
"""

import functools

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from modelcluster.fields import ParentalKey
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import generation

# Fields that only saving a draft or locking writes on a page: visitors do not see them.
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "live_revision",
}
SHOWN_MODELS = (
    Site,
    Collection,
    PageViewRestriction,
    CollectionViewRestriction,
    Redirect,
    Query,
    SearchPromotion,
    Tag,
    BaseSiteSetting,
    BaseGenericSetting,
)


@functools.cache
def is_shown(model) -> bool:
    """Whether a row of this model (not a page) can be shown on a page."""
    return (
        issubclass(model, SHOWN_MODELS)
        or model in (get_image_model(), get_document_model(), *get_snippet_models())
        or is_inline_item(model)
    )


def is_inline_item(model) -> bool:
    """An item of a page's InlinePanel or tags (a ParentalKey to a page)."""
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
        for field in model._meta.get_fields()
        if not isinstance(field, GenericForeignKey)
    )


@receiver(post_save, dispatch_uid="page_cache_saved")
def saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures
        return
    if isinstance(instance, Page):
        draft_only = update_fields is not None and set(update_fields) <= DRAFT_FIELDS
        if draft_only or not (instance.live or "live" in (update_fields or ())):
            return
    elif not is_shown(sender):
        return
    generation.bump()


@receiver(post_delete, dispatch_uid="page_cache_deleted")
def deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) or is_shown(sender):
        generation.bump()


@receiver(m2m_changed, dispatch_uid="page_cache_relations_changed")
def relations_changed(sender, instance, action, **kwargs):
    # The groups of a view restriction; pages' own relations are saved with their publishing.
    shown = (isinstance(instance, Page) and instance.live) or is_shown(type(instance))
    if action.startswith("post_") and shown:
        generation.bump()


@receiver(page_published, dispatch_uid="page_cache_published")
@receiver(page_unpublished, dispatch_uid="page_cache_unpublished")
@receiver(post_page_move, dispatch_uid="page_cache_moved")
def page_changed(sender, instance, **kwargs):
    generation.bump()
