from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def page_cache_shared_by_the_processes(app_configs, **kwargs):
    """Each process would fill a cache of its own: the generation keeps each one fresh, but
    every worker renders every page once more and holds a copy in its memory."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.PAGE_CACHE or backend not in PROCESS_LOCAL_BACKENDS:
        return []
    return [
        Warning(
            "PAGE_CACHE is on but the cache is local to each server process.",
            hint="Set REDIS_URL, or PAGE_CACHE=false.",
            id="page_cache.W001",
        )
    ]
