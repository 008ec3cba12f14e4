from django import template
from django.core.exceptions import ObjectDoesNotExist
from wagtail.models import Page

from baltmet.languages.views import may_submit_for_moderation

register = template.Library()


@register.simple_tag
def translation_moderation(translation, user) -> dict:
    """What the translation editor offers a user who may not publish the page: to submit it
    for moderation, or word that it waits for a decision."""
    try:
        page = translation.get_target_instance()
    except ObjectDoesNotExist:
        return {}
    if not isinstance(page, Page):
        return {}
    if page.permissions_for_user(user).can_publish():
        return {}
    return {
        "in_moderation": page.workflow_in_progress,
        "may_submit": may_submit_for_moderation(page, user),
    }
