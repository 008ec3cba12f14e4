from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.search import index

from baltmet.actionplan.models import Action, ActionPlanPage, FocusArea


@receiver(post_save, sender=Action)
@receiver(post_save, sender=FocusArea)
@receiver(post_delete, sender=Action)
@receiver(post_delete, sender=FocusArea)
def reindex_action_plan(sender, instance, raw=False, **kwargs):
    """The Action Plan page is found by its actions' words (ActionPlanPage.actions_text),
    which are not saved with the page: index it again when they change."""
    if raw:
        return
    for page in ActionPlanPage.objects.live():
        index.insert_or_update_object(page)
