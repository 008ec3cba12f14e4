from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}

# What goes wrong with each setting on when every process has a cache of its own.
NEEDS_A_SHARED_CACHE = {
    # A page published in one process (a worker, a management command, scheduled publishing)
    # is not invalidated in the caches of the others.
    "PAGE_CACHE": (
        "page_cache.W001",
        "other server processes and management commands cannot invalidate its pages.",
    ),
    # A site changed in one process would be routed by its old table in the others
    # (baltmet/routing.py), and listings would keep their old filter choices.
    "DATA_CACHE": (
        "data_cache.W001",
        "a site or listing changed in one server process is not seen by the others.",
    ),
}


@register(Tags.caches, deploy=True)
def caches_shared_by_the_processes(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_BACKENDS:
        return []
    return [
        Warning(
            f"{name} is on but the cache is local to each process: {consequence}",
            hint=f"Set REDIS_URL, or {name}=false.",
            id=check_id,
        )
        for name, (check_id, consequence) in NEEDS_A_SHARED_CACHE.items()
        if getattr(settings, name, False)
    ]
