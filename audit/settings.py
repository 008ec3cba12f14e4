"""The settings `make audit` serves the portal with: production's, over plain HTTP on loopback.

Everything is as in production (DEBUG off, WhiteNoise's hashed and compressed static files
with far-future cache headers, the security headers, the page cache) except what only makes
sense behind TLS: the HTTPS redirect and `upgrade-insecure-requests` would send the browser
to an https:// address that nothing answers on the audit's port.
"""

from baltmet.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
CSP_UPGRADE_INSECURE_REQUESTS = False
