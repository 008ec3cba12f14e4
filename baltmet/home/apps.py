from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Site-wide pages that show everything: the home page and the seed content loader.

    It sits above every content app, so it may import them all; nothing imports it.
    """

    name = "baltmet.home"
    label = "home"
    verbose_name = "Home"

    def ready(self):
        from baltmet.home import signal_handlers  # noqa: F401  (connects the receivers)
