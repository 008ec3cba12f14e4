"""A page's address, without asking Django's URL resolver for it every time.

Wagtail builds every link to a page (`{% pageurl %}`, `page.url`, `get_full_url()`) with
`reverse("wagtail_serve", args=(path,))`: about 35 µs each, the cost of a card. A home page
links forty pages. The answer depends only on the path, the URL configuration, the script
prefix and the language, so it is worked out once per process for each of them.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from wagtail.coreutils import WAGTAIL_APPEND_SLASH

# Bounded: the links of a few thousand pages, the ones a server is asked for most.
SERVE_PATHS_KEPT = 8192


@functools.lru_cache(maxsize=SERVE_PATHS_KEPT)
def serve_path(path: str, urlconf: str, script_prefix: str, language: str | None) -> str | None:
    """Wagtail's `reverse("wagtail_serve", args=(path,))`, or None where it is not routable.
    The last three arguments are what `reverse` reads besides the path: part of the key."""
    try:
        return reverse("wagtail_serve", args=(path,), urlconf=urlconf)
    except NoReverseMatch:
        return None


class ServePathReversedOnce:
    """For page models: `get_url_parts` with the path reversed once per process.

    The usual case, a page in one site without Wagtail's i18n, is answered here and equals
    Wagtail's answer (tests/test_links.py); any other case is Wagtail's own.
    """

    def get_url_parts(self, request=None):
        possible_sites = self._get_relevant_site_root_paths(request)
        if len(possible_sites) != 1 or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().get_url_parts(request)
        site_id, root_path, root_url, _language_code = possible_sites[0]
        page_path = serve_path(
            self.url_path[len(root_path) :],
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            get_language(),
        )
        if page_path is None:
            return (site_id, None, None)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)
