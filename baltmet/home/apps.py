from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, which shows something of every content app: it may import them all."""

    name = "baltmet.home"
    label = "home"
    verbose_name = "Home"
