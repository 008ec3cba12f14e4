"""The admin API (/admin/api/main/) as each user may see it (visibility.py).

Its pages endpoint lists only visible pages already (it filters by the page permission
policy); here a live page whose unpublished changes the user may not see is given its
published title and status. Wagtail's images and documents endpoints list every file; here
they list only the files the user may choose, as the admin's choosers do.
"""

from collections import OrderedDict

from rest_framework.fields import Field
from wagtail.admin.api.serializers import AdminPageSerializer, PageStatusField
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from baltmet.roles.visibility import hides_drafts_of, status_for, title_for


class AdminTitleField(Field):
    """`admin_display_title`: the title of the page's latest draft only for those who may
    see its drafts."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return title_for(self.context["request"].user, page)


class PublishedStatusField(PageStatusField):
    """`status`: a live page is just "live" to those who may not see its drafts."""

    def to_representation(self, page):
        user = self.context["request"].user
        if not (page.live and hides_drafts_of(user, page)):
            return super().to_representation(page)
        status = [("status", status_for(user, page)), ("live", True)]
        return OrderedDict([*status, ("has_unpublished_changes", False)])


class VisibleAdminPageSerializer(AdminPageSerializer):
    status = PublishedStatusField(read_only=True)
    admin_display_title = AdminTitleField(read_only=True)


class VisiblePagesAdminAPIViewSet(PagesAdminAPIViewSet):
    base_serializer_class = VisibleAdminPageSerializer


class ChoosableFilesMixin:
    """Only the files in collections where the user may choose them (for a partner editor:
    their organisation's and `Shared`)."""

    def get_queryset(self):
        choosable = policy_registry.get_by_type(self.model).instances_user_has_any_permission_for(
            self.request.user, ["choose"]
        )
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ChoosableImagesAPIViewSet(ChoosableFilesMixin, ImagesAdminAPIViewSet):
    pass


class ChoosableDocumentsAPIViewSet(ChoosableFilesMixin, DocumentsAdminAPIViewSet):
    pass


def register_endpoints(router):
    router.register_endpoint("pages", VisiblePagesAdminAPIViewSet)
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)
