"""The language of each request, from its address, and English for pages not translated yet.

Django's LocaleMiddleware would also read the Accept-Language header and a cookie, and so
mark every unprefixed answer "Vary: Accept-Language", which the page cache and the proxy
refuse to store. Here the address alone decides: /de/... is German, anything without a
language prefix is English. A visitor chooses a language with the language switcher.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail.models import Site
from wagtail.views import serve_chain


class LanguageFromPathMiddleware:
    """Activates the language of the address's prefix (English without one) for the request.

    It comes before everything that may render a page (the 503 and 429 pages too), and
    before URL resolution, which reads the active language for the prefixed URL patterns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A page asked for in a language it has not been translated into: the page in the
        site's default language, with a notice in the visitor's language (the templates show
        it when the page's language is not the active one), instead of a 404."""
        if not isinstance(exception, Http404):
            return None
        match = request.resolver_match
        if match is None or match.url_name != "wagtail_serve":
            return None
        if translation.get_language() == settings.LANGUAGE_CODE:
            return None
        site = Site.find_for_request(request)
        if site is None:
            return None
        # Wagtail's serve view takes the page's path as its one positional argument.
        path = match.args[0] if match.args else match.kwargs.get("path", "")
        path_components = [part for part in path.split("/") if part]
        try:
            # The site's root page is the home page in the default language.
            page, args, kwargs = site.root_page.specific.route(request, path_components)
        except Http404:
            return None
        # As Wagtail's own serve view does: privacy restrictions, then the page.
        for hook in hooks.get_hooks("before_serve_page"):
            result = hook(page, request, args, kwargs)
            if isinstance(result, HttpResponse):
                return result
        chain = serve_chain
        for hook in reversed(hooks.get_hooks("on_serve_page")):
            chain = hook(chain)
        return chain(page, request, args, kwargs)
