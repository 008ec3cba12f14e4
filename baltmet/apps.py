from django.apps import AppConfig


class BaltmetConfig(AppConfig):
    """The core every content app builds on: users, media, blocks, settings, content pages."""

    name = "baltmet"
    label = "baltmet"
    verbose_name = "BaltMet Inno"

    def ready(self):
        from baltmet import sources  # noqa: F401  (the Source line's cache follows the sources)
