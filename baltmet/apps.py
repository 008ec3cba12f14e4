from django.apps import AppConfig


class BaltmetConfig(AppConfig):
    """The core every content app builds on: users, media, blocks, settings, content pages."""

    name = "baltmet"
    label = "baltmet"
    verbose_name = "BaltMet Inno"
