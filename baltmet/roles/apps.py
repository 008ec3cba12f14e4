from django.apps import AppConfig


class RolesConfig(AppConfig):
    """Who may do what: partner editors' groups and collections, moderators and the
    moderation workflow (groups.py), and the commands that set them up and invite editors.

    It sits above the content apps, whose pages the groups are given permissions on.
    """

    name = "baltmet.roles"
    label = "roles"
    verbose_name = "Roles"

    def ready(self):
        from baltmet.roles import signal_handlers  # noqa: F401  (connects the receivers)
