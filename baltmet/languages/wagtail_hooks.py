from django.urls import path
from wagtail import hooks

from baltmet.languages.admin_access import may_publish
from baltmet.languages.views import submit_translation_for_moderation

CONVERT_TO_ALIAS_ACTION = "localize-convert-to-alias"  # wagtail-localize's menu item


@hooks.register("register_admin_urls")
def register_translation_moderation_url():
    return [
        path(
            "translations/<int:translation_id>/submit-for-moderation/",
            submit_translation_for_moderation,
            name="submit_translation_for_moderation",
        )
    ]


@hooks.register("construct_page_action_menu")
def offer_convert_to_alias_to_publishers_only(menu_items, request, context):
    """wagtail-localize offers "Convert to alias page" to whoever may edit a translation;
    admin_access refuses it to those who may not publish the page."""
    page = context.get("page")
    if page is None or page.pk is None or may_publish(request.user, page):
        return
    menu_items[:] = [item for item in menu_items if item.name != CONVERT_TO_ALIAS_ACTION]
