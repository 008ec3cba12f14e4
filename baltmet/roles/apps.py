from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class RolesConfig(AppConfig):
    """Who may do what: partner editors' groups and collections, moderators and the
    moderation workflow (groups.py), and the commands that set them up and invite editors.

    It sits above the content apps, whose pages the groups are given permissions on.
    """

    default = True  # the app's own config; PortalUsersConfig stands in for wagtail.users
    name = "baltmet.roles"
    label = "roles"
    verbose_name = "Roles"

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from baltmet.roles import signal_handlers  # noqa: F401  (connects the receivers)
        from baltmet.roles.visibility import VisiblePagesPermissionPolicy

        # Partners do not see each other's unpublished work in the admin (visibility.py).
        register_permission_policy(Page, VisiblePagesPermissionPolicy())


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the portal's users list (baltmet/roles/users.py): each user's
    organisation, groups and two-factor status, and the "Invite an editor" button."""

    user_viewset = "baltmet.roles.users.PortalUserViewSet"
