from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.search import index

from baltmet.library.models import LibraryEntryPage
from baltmet.models import CustomDocument


@receiver(post_save, sender=CustomDocument)
def reindex_entries_of_document(sender, instance, raw=False, **kwargs):
    """Library entries are found by their file's text: index them again when a new file (or
    a new version of it) is uploaded."""
    if raw:
        return
    for entry in LibraryEntryPage.objects.live().filter(document=instance):
        index.insert_or_update_object(entry)
