from django.urls import path
from wagtail import hooks

from baltmet.languages.views import submit_translation_for_moderation


@hooks.register("register_admin_urls")
def register_translation_moderation_url():
    return [
        path(
            "translations/<int:translation_id>/submit-for-moderation/",
            submit_translation_for_moderation,
            name="submit_translation_for_moderation",
        )
    ]
