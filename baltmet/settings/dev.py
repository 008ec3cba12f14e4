"""Local development: SQLite when DATABASE_URL is unset, so `make run` needs no server."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# Development only: a fixed key is fine here and never used by production.py.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "db.sqlite3",
        }
    }

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Off while templates are being edited: a stored page would not show the edit
# (PAGE_CACHE=true make run to try the cache).
PAGE_CACHE = env.bool("PAGE_CACHE", default=False)

# The demo administrator logs in with the printed password alone; set it to true to try 2FA.
REQUIRE_2FA_FOR_ADMINS = env.bool("REQUIRE_2FA_FOR_ADMINS", default=False)

# Passwords of the demo accounts (create_demo_accounts), kept out of the repository.
DEMO_ACCOUNTS_FILE = BASE_DIR / "var" / "demo-accounts.txt"
