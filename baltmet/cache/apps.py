from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Whole pages for anonymous visitors, keyed by a generation that every change bumps."""

    name = "baltmet.cache"
    label = "page_cache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (both register themselves)
