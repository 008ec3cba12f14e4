from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.search import index

from baltmet.projects.models import RelatedProject, RelatedProjectsPage


@receiver(post_save, sender=RelatedProject)
@receiver(post_delete, sender=RelatedProject)
def reindex_related_projects_page(sender, instance, raw=False, **kwargs):
    """The Related projects page is found by its projects' words: index it again when they
    change."""
    if raw:
        return
    for page in RelatedProjectsPage.objects.live():
        index.insert_or_update_object(page)
