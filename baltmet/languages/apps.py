from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    """The portal in the network's languages: the language of each request (from its address),
    the locales, the language switcher and alternates, the fallback to English for pages not
    translated yet, and the moderation of partners' translations."""

    name = "baltmet.languages"
    label = "languages"
    verbose_name = "Languages"

    def ready(self):
        from baltmet.languages import signal_handlers  # noqa: F401  (connects the receivers)
