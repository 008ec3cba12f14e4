"""What a server process does once, before its first request (baltmet/wsgi.py).

Python's cyclic garbage collector now and then walks every object the process holds. After
Django and Wagtail have started, that is over 200,000 objects (modules, models, the URL
patterns, the site's templates compiled to nodes), and each full walk stopped the request in
hand for about 100 ms: the slowest percent of requests were those. None of these objects is
ever garbage, so the process loads what it will keep and then moves it out of the
collector's sight (`gc.freeze()`); a full walk then covers only what requests have added.
"""

import contextlib
import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver


def site_template_names() -> list[str]:
    """The names of the project's own templates (the TEMPLATES setting's DIRS)."""
    names = []
    for engine in settings.TEMPLATES:
        for directory in map(Path, engine.get("DIRS", ())):
            names.extend(
                path.relative_to(directory).as_posix() for path in directory.rglob("*.html")
            )
    return sorted(names)


def load_what_every_process_keeps() -> None:
    """Compile the site's templates (the cached loader keeps them) and the URL patterns,
    which each process would otherwise do on its first requests."""
    get_resolver().reverse_dict  # noqa: B018  (reading it compiles the URL patterns)
    for name in site_template_names():
        # A template that cannot load is reported by the request that renders it.
        with contextlib.suppress(TemplateDoesNotExist, TemplateSyntaxError):
            get_template(name)


def prepare_process() -> None:
    load_what_every_process_keeps()
    gc.collect()  # what starting left behind is freed, not frozen
    gc.freeze()
