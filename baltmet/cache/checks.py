from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_for_the_page_cache(app_configs, **kwargs):
    """In local memory, a page published in one process (a worker, a management command,
    scheduled publishing) is not invalidated in the caches of the others."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "PAGE_CACHE", False) and backend in PROCESS_LOCAL_BACKENDS:
        return [
            Warning(
                "PAGE_CACHE is on but the cache is local to each process: other server "
                "processes and management commands cannot invalidate its pages.",
                hint="Set REDIS_URL, or PAGE_CACHE=false.",
                id="page_cache.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def shared_cache_for_the_data_cache(app_configs, **kwargs):
    """In local memory, a site changed in one process would be routed by its old table in
    the others (baltmet/routing.py), and listings would keep their old filter choices."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "DATA_CACHE", False) and backend in PROCESS_LOCAL_BACKENDS:
        return [
            Warning(
                "DATA_CACHE is on but the cache is local to each process: a site or "
                "listing changed in one server process is not seen by the others.",
                hint="Set REDIS_URL, or DATA_CACHE=false.",
                id="data_cache.W001",
            )
        ]
    return []
