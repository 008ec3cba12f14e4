"""Production: secure by default; everything secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from baltmet.ops.logging import logging_settings

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES, env

DEBUG = False

if (
    not SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(set(SECRET_KEY)) < 5
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random string of at least 50 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSP_UPGRADE_INSECURE_REQUESTS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# On by default only with Redis: each worker would otherwise render and keep every page
# itself (check --deploy warns).
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(env("REDIS_URL", default="")))

EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

# One JSON object per log line, for the log collector (LOG_FORMAT=text for people).
LOGGING = logging_settings(env("LOG_FORMAT", default="json"), env("LOG_LEVEL", default="WARNING"))

# Uploaded images and documents in an S3-compatible bucket when one is named; credentials
# come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (or the instance's
# role), read by boto3, never from here. Media are public: plain URLs, no signed query
# strings, and the bucket's own policy decides access (no per-object ACL).
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env("AWS_S3_REGION_NAME", default=None),
                "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
                "default_acl": None,
                "querystring_auth": False,
                # Two uploads with the same name must not replace each other's file.
                "file_overwrite": False,
            },
        },
    }
