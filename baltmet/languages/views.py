"""A partner's translation, submitted to the moderators like anything else they write."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_localize.models import Translation


def translated_page(translation: Translation) -> Page:
    try:
        target = translation.get_target_instance()
    except ObjectDoesNotExist:
        raise Http404("This translation has no page yet.") from None
    if not isinstance(target, Page):
        raise Http404("Only pages go through moderation.")
    return target.specific


def may_submit_for_moderation(page: Page, user) -> bool:
    """Wagtail's can_submit_for_moderation() leaves the right to edit to its edit view."""
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() and permissions.can_submit_for_moderation()


@require_POST
def submit_translation_for_moderation(request, translation_id: int):
    """Writes the translated strings into a new draft of the page and starts its workflow.

    wagtail-localize's editor offers "Publish" to those who may publish and nothing to the
    others: partner editors translate there, and submit here (the button is above the
    editor, templates/wagtail_localize/admin/edit_translation.html).
    """
    translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
    page = translated_page(translation)
    if not may_submit_for_moderation(page, request.user):
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if page.workflow_in_progress:
        messages.info(request, _("This translation is already waiting for moderation."))
        return redirect(edit_url)
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No moderation workflow covers this page."))
        return redirect(edit_url)
    translation.save_target(user=request.user, publish=False)
    page = Page.objects.get(pk=page.pk).specific
    workflow.start(page, request.user)
    messages.success(
        request,
        _("'%(title)s' was submitted for moderation in %(language)s.")
        % {"title": page.get_admin_display_title(), "language": page.locale.get_display_name()},
    )
    return redirect(edit_url)
