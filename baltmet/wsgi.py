"""WSGI entry point for gunicorn (production settings unless told otherwise).

Stored pages are answered before Django handles the request (baltmet/cache/wsgi.py). Each
process compiles what it keeps and sets it apart from the garbage collector before its first
request (baltmet/ops/startup.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings.production")

application = get_wsgi_application()

from baltmet.cache.wsgi import CachedPages  # noqa: E402  (needs the settings loaded)
from baltmet.ops.startup import prepare_process  # noqa: E402

application = CachedPages(application)
prepare_process()
