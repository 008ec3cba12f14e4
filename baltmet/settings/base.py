"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, read with
django-environ. Secure defaults live here; dev.py and test.py relax what they must.
"""

from datetime import timedelta
from pathlib import Path

import environ
import PIL.Image
from wagtail.embeds import oembed_providers

from baltmet.ops.logging import logging_settings, parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "baltmet"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "baltmet",
    "partners",
    "workpackages",
    "events",
    "news",
    "baltmet.home",
    "baltmet.actionplan",
    "baltmet.projects",
    "baltmet.library",
    "baltmet.opendata",
    "baltmet.benchmark",
    "baltmet.contact",
    "baltmet.newsletter",
    "baltmet.seeding",
    "baltmet.roles",
    "baltmet.languages",
    "baltmet.cache",
    # Translation of pages (synchronised with their source, PO export and import) and the
    # locales' admin; wagtail_localize.locales stands in for wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with the portal's users list (organisation, groups, two-factor).
    "baltmet.roles.apps.PortalUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # First: a request ID on every log record and response, and the access log, so they
    # cover whatever the middleware below answers (baltmet/ops/middleware.py).
    "baltmet.ops.middleware.RequestIDMiddleware",
    # The language of the address (/de/...; English without a prefix), active for all
    # below, the 503 page included (baltmet/languages/middleware.py).
    "baltmet.languages.middleware.LanguageFromPathMiddleware",
    # The 503 "back soon" page while the database cannot be reached.
    "baltmet.ops.middleware.DatabaseUnavailableMiddleware",
    # A deadline on every wait for PostgreSQL below (baltmet/ops/deadlines.py).
    "baltmet.ops.deadlines.DatabaseDeadlineMiddleware",
    # /healthz and /readyz, answered before sessions, authentication and the HTTPS redirect.
    "baltmet.ops.middleware.HealthCheckMiddleware",
    # Pages for anonymous visitors from the cache (baltmet/cache/): a hit runs only the
    # middleware above. The security headers below are stored with each page (they depend
    # only on the path and the settings); a plain-http request never finds a stored page
    # (the scheme is part of the key) and is redirected below.
    "baltmet.cache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (baltmet/security.py).
    "baltmet.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A GET of the admin's logout gets 405 before Wagtail's view deletes the cookie on it.
    "baltmet.account_safety.LogoutByPostOnlyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Limits on login, password-reset and page-password posts: 429 (baltmet/throttles.py).
    "baltmet.throttles.ThrottleMiddleware",
    # A form post with missing or malformed block counters gets 400 (baltmet/form_posts.py).
    "baltmet.form_posts.MalformedFormPostMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Sends a user who still has to set up or enter a two-factor code to that page.
    "baltmet.two_factor.TwoFactorMiddleware",
    # Refuses the admin views that would show a page a partner may not see (baltmet/roles/).
    "baltmet.roles.middleware.VisibilityMiddleware",
    # Partners translate only what they may edit, and publish no translation themselves.
    "baltmet.languages.admin_access.TranslationAccessMiddleware",
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baltmet.urls"
WSGI_APPLICATION = "baltmet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# PostgreSQL in production and in the tests; dev.py falls back to SQLite.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///baltmet")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with bounded waits during web requests (baltmet/ops/deadlines.py).
    DATABASES["default"]["ENGINE"] = "baltmet.ops.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Fail fast when the database is unreachable: workers answer the 503 page instead of
    # hanging (libpq's shortest is 2 s). A connect_timeout in DATABASE_URL wins.
    options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=2))
    # PostgreSQL's own limits, for the app server only (deploy/gunicorn.conf.py sets them;
    # commands such as migrate run without): e.g. "2s" and "10s".
    server_limits = {
        "statement_timeout": env("DB_STATEMENT_TIMEOUT", default=""),
        "idle_in_transaction_session_timeout": env("DB_IDLE_IN_TRANSACTION_TIMEOUT", default=""),
    }
    # Rows come with their query: a fetch from a server-side cursor would be a wait for
    # PostgreSQL outside the deadline's execute wrapper (baltmet/ops/deadlines.py).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    if any(server_limits.values()):
        options["options"] = " ".join(
            f"-c {name}={value}" for name, value in server_limits.items() if value
        )
# During a web request, a wait for PostgreSQL that passes this deadline is ended and the
# process answers 503 for DATABASE_RETRY_SECONDS before trying again (0: no deadline).
DATABASE_DEADLINE_SECONDS = env.float("DATABASE_DEADLINE_SECONDS", default=2.5)
DATABASE_RETRY_SECONDS = env.float("DATABASE_RETRY_SECONDS", default=3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "baltmet.User"
WAGTAILIMAGES_IMAGE_MODEL = "baltmet.CustomImage"
WAGTAILDOCS_DOCUMENT_MODEL = "baltmet.CustomDocument"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "baltmet.account_safety.LoginThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages of the network's eleven metropolises, each named in its own language. English
# is the default and keeps its addresses (/partners/...); the others are prefixed (/de/...).
# A page exists in a language once an editor has translated it (baltmet/i18n/).
LANGUAGES = [
    ("en", "English"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("et", "Eesti"),
    ("lv", "Latviešu"),
    ("lt", "Lietuvių"),
    ("nb", "Norsk bokmål"),
    ("pl", "Polski"),
    ("ru", "Русский"),
    ("fi", "Suomi"),
    ("sv", "Svenska"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own format (templates use DATE_FORMAT); English's is the
# portal's own, "7 December 2026" (baltmet/formats/en/formats.py).
FORMAT_MODULE_PATH = ["baltmet.formats"]
# A translation starts as a draft, whatever the state of its source: it is published by
# someone who may publish, or goes through the moderation workflow (baltmet/i18n/).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Stored instants are UTC; every event also keeps the time zone of its own city.
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Local memory by default; Redis (django-redis) when REDIS_URL is set, shared by every
# server process. If Redis is down or hung, reads miss and writes are dropped after at most
# REDIS_TIMEOUT seconds: pages are served uncached, never a 500 (IGNORE_EXCEPTIONS).
REDIS_URL = env("REDIS_URL", default="")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="baltmet")
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.05)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions in Redis in front of the database: any server process can read them, and
    # they survive a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The page cache (baltmet/cache/): whole pages for anonymous visitors, stale the moment any
# content changes (a generation number in PostgreSQL is part of every key);
# PAGE_CACHE_TIMEOUT bounds how long a page stays. PAGE_CACHE_RELEASE is part of the keys
# too: set it to the release (e.g. the commit) so a deployment that changes templates
# starts afresh, or run `manage.py clear_page_cache`.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
PAGE_CACHE_RELEASE = env("PAGE_CACHE_RELEASE", default="")
# The reverse proxy that caches pages too (deploy/varnish/default.vcl), e.g.
# http://127.0.0.1:6081/: each change sends it one BAN that drops every page it keeps.
# Unset: no proxy keeps pages without asking the application.
PROXY_BAN_URL = env("PROXY_BAN_URL", default="")
# A CDN in front of the site: Wagtail purges the URL of each page published or unpublished
# (wagtail.contrib.frontend_cache). FRONTEND_CACHE_URL: a cache that takes HTTP PURGE
# requests; FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID: an Amazon CloudFront distribution.
FRONTEND_CACHE_URL = env("FRONTEND_CACHE_URL", default="")
FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID = env(
    "FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", default=""
)
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": FRONTEND_CACHE_URL,
    }
if FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID:
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID,
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="BaltMet Inno <noreply@localhost>")
# Background tasks (django-tasks): Wagtail's own run at once, as it expects; the newsletter's
# are stored in the database and run by its worker, `manage.py db_worker --backend newsletter`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "newsletter": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Seconds to wait for the mail server: a contact message is mailed during its request.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# How long the forms' personal data is kept (baltmet/personal_data.py, which the privacy
# notice shows; `manage.py delete_expired_personal_data` deletes what is older).
CONTACT_MESSAGE_RETENTION_DAYS = env.int("CONTACT_MESSAGE_RETENTION_DAYS", default=365)
# Registrations are deleted this many days after their event ends.
EVENT_REGISTRATION_RETENTION_DAYS = env.int("EVENT_REGISTRATION_RETENTION_DAYS", default=30)
# A registration or newsletter subscription whose address is never confirmed is deleted then.
UNCONFIRMED_ADDRESS_DAYS = env.int("UNCONFIRMED_ADDRESS_DAYS", default=2)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after SESSION_COOKIE_AGE seconds without a request (every request renews
# it). Unless "Remember me" is ticked on the login form, it also ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Text logs here and in development, JSON in production (baltmet/ops/logging.py); server
# errors are mailed to ADMINS ("Name <email>, ...") when DEBUG is off.
LOGGING = logging_settings(env("LOG_FORMAT", default="text"), env("LOG_LEVEL", default="WARNING"))
ADMINS = parse_admins(env("ADMINS", default=""))
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins with one username
# from one IP address, that pair is locked out for AXES_COOLOFF_MINUTES; every attempt during
# the lockout starts it anew. A successful login resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "baltmet.account_safety.lockout_response"
# The client's address is REMOTE_ADDR, unless the portal runs behind TRUSTED_PROXY_COUNT
# reverse proxies that each append the address they saw to X-Forwarded-For (nginx:
# $proxy_add_x_forwarded_for). Then it is the address that many places from the right of that
# header, the one the outermost proxy saw, whatever a client writes in front of it.
# (django-ipware counts only the proxies listed in the header, so one less, and STRICT would
# give up on a longer header instead of reading it from the right.)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor authentication (baltmet/two_factor.py, on django-otp): available to every user,
# required for whoever can publish (administrators and moderators) unless
# REQUIRE_2FA_FOR_ADMINS is false. Each wrong
# code doubles the wait before the next attempt (1, 2, 4, ... seconds).
REQUIRE_2FA_FOR_ADMINS = env.bool("REQUIRE_2FA_FOR_ADMINS", default=True)
OTP_TOTP_ISSUER = "BaltMet Inno"
OTP_TOTP_THROTTLE_FACTOR = 1

# Development only (see create_demo_accounts); production never creates demo accounts.
DEMO_ACCOUNTS_FILE = None

# Wagtail
WAGTAIL_SITE_NAME = "BaltMet Inno"
# The admin speaks each editor's language where Wagtail has it (Account > Preferences).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# PostgreSQL full-text search; "baltmet_search" is English with accents removed (see
# baltmet/home/migrations/0002_search_configuration.py). SQLite ignores SEARCH_CONFIG.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "baltmet_search",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Checks that a document's content is what its extension says (baltmet/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "baltmet.uploads.DocumentForm"
# Documents go through Wagtail's view, which checks collection privacy and sends them with
# nosniff and a restrictive CSP; only PDF opens in the browser, the rest downloads.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# No SVG: it can carry script.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Every frame of an upload decoded, all frames' pixels counted (baltmet/uploads.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "baltmet.uploads.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Pillow's own guard against decompression bombs, wherever it opens an image (renditions
# too): it warns above this and refuses above twice this.
PIL.Image.MAX_IMAGE_PIXELS = WAGTAILIMAGES_MAX_IMAGE_PIXELS
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Only YouTube (moved to youtube-nocookie.com) and Vimeo (without tracking) can be embedded:
# the players the Content-Security-Policy allows in frames (baltmet/security.py).
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "baltmet.security.PrivacyEnhancedOEmbedFinder",
        "providers": [oembed_providers.youtube],
    },
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.vimeo],
        "options": {"dnt": "true"},
    },
]
# Draftail, refusing forged rich text with a message instead of a server error.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "baltmet.security.StrictDraftailRichTextArea"},
}
# Editors' avatars are not fetched from Gravatar: no e-mail hashes leave the site, and the
# admin's policy allows no images from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Content-Security-Policy (baltmet/security.py): origins other than the site's own that
# serve uploaded images (e.g. an S3 bucket's address), and whether browsers should turn
# http:// addresses into https:// (production).
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
CSP_UPGRADE_INSECURE_REQUESTS = False
TAGGIT_CASE_INSENSITIVE = True

# The read-only JSON API at /api/v2/ (baltmet/api.py). Its addresses (detail_url,
# download_url) follow the Site, like the pages' html_url, so WAGTAILAPI_BASE_URL is unset.
WAGTAILAPI_LIMIT_MAX = 100
# JSON only, never the browsable HTML API (it loads scripts and styles the CSP refuses).
# Decimals (a metropolis's latitude, a key figure) as JSON numbers, not strings.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "COERCE_DECIMAL_TO_STRING": False,
}
