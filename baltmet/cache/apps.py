from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The full-page cache for anonymous visitors, with exact invalidation by tags."""

    name = "baltmet.cache"
    label = "page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks registers itself)

        signals.connect()
