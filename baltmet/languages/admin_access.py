"""Partner editors translate only what they may edit, and publish no translation themselves.

wagtail-localize lets whoever holds its "submit translation" permission translate any page
and sync any page's translations, optionally publishing them at once. Partner editors hold
that permission for their own organisation's pages and their own news and events; so:
- translating a page, or syncing its translations, needs the right to edit it;
- syncing with "publish immediately" needs the right to publish the translations, which
  partners do not have: their translations go through the moderation workflow
  (views.submit_translation_for_moderation);
- converting a translation back to an alias replaces its content with the original's, live
  at once: it needs the right to publish the page (wagtail_hooks hides the action from
  those who may not).
wagtail-localize offers no hook on these views: they are checked here, by URL name.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

SUBMIT_PAGE_TRANSLATION = "wagtail_localize:submit_page_translation"
UPDATE_TRANSLATIONS = "wagtail_localize:update_translations"
CONVERT_TO_ALIAS = "wagtail_localize:convert_to_alias"


def may_edit(user, page: Page | None) -> bool:
    return page is not None and page.permissions_for_user(user).can_edit()


def may_publish(user, page: Page) -> bool:
    return page.permissions_for_user(user).can_publish()


def may_publish_translations(user, source: TranslationSource) -> bool:
    """Whether `user` may publish every page the sync would publish (those it creates are
    below pages the same rule applies to)."""
    for translation in source.translations.filter(enabled=True):
        try:
            target = translation.get_target_instance()
        except ObjectDoesNotExist:
            continue
        if isinstance(target, Page) and not target.permissions_for_user(user).can_publish():
            return False
    return True


class TranslationAccessMiddleware:
    """Must come after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated or request.user.is_superuser:
            return None
        if match.view_name == SUBMIT_PAGE_TRANSLATION:
            page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
            if page is not None and not may_edit(request.user, page):
                raise PermissionDenied
        elif match.view_name == CONVERT_TO_ALIAS:
            page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
            if page is not None and not may_publish(request.user, page):
                raise PermissionDenied
        elif match.view_name == UPDATE_TRANSLATIONS:
            source = TranslationSource.objects.filter(
                pk=view_kwargs.get("translation_source_id")
            ).first()
            if source is None:
                return None
            original = source.get_source_instance()
            if isinstance(original, Page) and not may_edit(request.user, original):
                raise PermissionDenied
            publishing = request.method == "POST" and request.POST.get("publish_translations")
            if publishing and not may_publish_translations(request.user, source):
                raise PermissionDenied
        return None
