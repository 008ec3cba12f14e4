from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from baltmet.languages.search import index_page


@receiver(page_published)
@receiver(page_unpublished)
def index_translated_page(sender, instance, **kwargs):
    """The search in each language reads a translation's words as they are published."""
    index_page(instance)


@receiver(post_save)
def forget_moved_or_converted_page(sender, instance, created, raw=False, **kwargs):
    """A page saved as an alias (a translation converted back) is no longer searched as a
    translation: index_page forgets it."""
    if raw or created or not isinstance(instance, Page) or not instance.alias_of_id:
        return
    index_page(instance)
