"""The test suite: always PostgreSQL (DATABASE_URL, set by `make test`)."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/postgres")
}
# The portal's backend, with its bounded waits (baltmet/ops/deadlines.py), as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "baltmet.ops.postgresql"
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# No deadline on a loaded test machine, where a slow query would give 503s for a while; the
# tests of the deadlines set one (baltmet/tests/test_database_deadlines.py).
DATABASE_DEADLINE_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
