"""The portal as `make audit` serves it with gunicorn: baltmet.wsgi plus the uploaded media.

In production the reverse proxy serves MEDIA_ROOT; here WhiteNoise does, with a year's
cache lifetime. It looks files up on each request (autorefresh), since the renditions are
made while the pages are rendered, after the server has started.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "audit.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

MEDIA_MAX_AGE = 365 * 24 * 60 * 60

application = WhiteNoise(get_wsgi_application(), max_age=MEDIA_MAX_AGE, autorefresh=True)
application.add_files(settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
