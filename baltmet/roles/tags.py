"""Tag suggestions in the admin, limited to the tags of what the user may see.

Wagtail's tag field suggests every tag whose name starts with what was typed, wherever it is
used: a partner editor typing "inn" would read the tags of another partner's unpublished
news, or of the images in another partner's private collection. For a user who does not see
every page, the portal answers the suggestions itself (VisibilityMiddleware): the tags of the
pages they may see, and of the images and documents they may choose.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from taggit.models import Tag, TaggedItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from baltmet.roles.visibility import restricted_pages
from news.models import NewsPageTag

# As many as Wagtail's own view suggests (wagtail.admin.views.tags).
SUGGESTIONS = 10


def visible_tags(user):
    """The tags on the pages `user` may see and on the images and documents they may choose."""
    on_pages = NewsPageTag.objects.filter(content_object__in=restricted_pages(user))
    on_media = TaggedItem.objects.none()
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        choosable = policy.instances_user_has_any_permission_for(user, ["choose"])
        on_media = on_media | TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=choosable.values("pk"),
        )
    return Tag.objects.filter(pk__in=on_pages.values("tag")) | Tag.objects.filter(
        pk__in=on_media.values("tag")
    )


def tag_suggestions(request):
    """What Wagtail's tag autocomplete answers, from the tags `request.user` may see."""
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    names = (
        visible_tags(request.user)
        .filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:SUGGESTIONS]
    )
    return JsonResponse(list(names), safe=False)
