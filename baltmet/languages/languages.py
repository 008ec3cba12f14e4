"""The languages a page exists in, and which one a visitor reads it in.

A page exists in a language when it has a live translation there that is not an alias: an
alias (which wagtail-localize makes of a translated page's untranslated parents) shows its
source's content, in its source's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.models import Page

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# Open Graph's locales (language_TERRITORY) for the languages' home countries.
OPEN_GRAPH_LOCALES = {
    "en": "en_GB",
    "da": "da_DK",
    "de": "de_DE",
    "et": "et_EE",
    "lv": "lv_LV",
    "lt": "lt_LT",
    "nb": "nb_NO",
    "pl": "pl_PL",
    "ru": "ru_RU",
    "fi": "fi_FI",
    "sv": "sv_SE",
}
# The views outside Wagtail's pages that every language has (no content of their own).
VIEWS_IN_EVERY_LANGUAGE = {"html_sitemap", "search"}


@dataclass
class Alternate:
    """One language a page exists in: its address there."""

    code: str
    url: str
    full_url: str
    is_current: bool = False

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES[self.code]


@dataclass
class PageLanguages:
    """What the templates need: the alternates (the switcher, the hreflang links), the
    language of the content shown, and the one the visitor asked for."""

    active: str
    content: str
    alternates: list[Alternate] = field(default_factory=list)
    x_default: str = ""

    @property
    def is_fallback(self) -> bool:
        """The content is not in the visitor's language (not translated into it yet)."""
        return self.content != self.active

    @property
    def active_name(self) -> str:
        return LANGUAGE_NAMES.get(self.active, self.active)

    @property
    def content_name(self) -> str:
        return LANGUAGE_NAMES.get(self.content, self.content)

    @property
    def content_name_html(self) -> SafeString:
        """The content's language, named in itself and marked as such for screen readers."""
        return format_html('<span lang="{}">{}</span>', self.content, self.content_name)

    @property
    def open_graph_locale(self) -> str:
        return OPEN_GRAPH_LOCALES.get(self.content, "en_GB")

    @property
    def offers_choice(self) -> bool:
        """Whether a switcher has something to offer: another language, or the way back to
        the content's language from a page shown as a fallback."""
        return len(self.alternates) > 1 or (self.is_fallback and bool(self.alternates))


def in_active_language(url: str) -> str:
    """A site-relative address of the default language, with the active language's prefix
    when that is another (any other address as it is)."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    if active == settings.LANGUAGE_CODE or not url.startswith("/") or url.startswith("//"):
        return url
    if translation.get_language_from_path(url) is not None:
        return url  # already in a language of its own
    return f"/{active}{url}"


def language_order(code: str) -> int:
    return list(LANGUAGE_NAMES).index(code) if code in LANGUAGE_NAMES else len(LANGUAGE_NAMES)


def text_language(page: Page) -> str:
    """The language of a page's title and text, for a page read with its locale (as the
    navigation reads them): an alias shows its source's words, and the sources of the
    aliases wagtail-localize makes are the originals, in the default language."""
    if page.alias_of_id is not None:
        return settings.LANGUAGE_CODE
    return page.locale.language_code


def lang_attribute(language: str) -> SafeString:
    """` lang="…"` for words in `language` inside a page in the active language (WCAG's
    "language of parts"), or nothing when they are in the active language."""
    if language == (translation.get_language() or settings.LANGUAGE_CODE):
        return SafeString("")
    return format_html(' lang="{}"', language)


def for_page(page: Page, request, group: list[Page]) -> PageLanguages:
    """The languages `page` exists in, from `group`: its live versions in every language
    (aliases too), with their locales, as the page's navigation reads them."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    by_id = {member.pk: member for member in group}
    own = by_id.get(page.pk)
    if own is not None and own.alias_of_id in by_id:
        content = by_id[own.alias_of_id].locale.language_code
    elif own is not None:
        content = own.locale.language_code
    elif page.pk is not None:  # a preview of a draft: a query
        content = page.locale.language_code
    else:  # a preview of a page not saved yet
        content = active
    alternates = []
    for member in group:
        if member.alias_of_id is not None:
            continue
        url = member.get_url(request)
        if url is None:
            continue
        code = member.locale.language_code
        alternates.append(
            Alternate(
                code=code,
                url=url,
                full_url=member.get_full_url(request),
                is_current=code == content and code == active,
            )
        )
    alternates.sort(key=lambda alternate: language_order(alternate.code))
    x_default = next(
        (each.full_url for each in alternates if each.code == settings.LANGUAGE_CODE), ""
    )
    return PageLanguages(active=active, content=content, alternates=alternates, x_default=x_default)


def for_view(request) -> PageLanguages:
    """A view every language has (the search, the sitemap): the same address in each."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    languages = PageLanguages(active=active, content=active)
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in VIEWS_IN_EVERY_LANGUAGE:
        return languages
    query = request.META.get("QUERY_STRING", "")
    # The views' own addresses are the same in every language (none is translated): only the
    # prefix changes. (Django's translate_url would activate each language to reverse them.)
    path = request.path
    if active != settings.LANGUAGE_CODE and path.startswith(f"/{active}/"):
        path = path[len(active) + 1 :]
    for code in LANGUAGE_NAMES:
        in_language = path if code == settings.LANGUAGE_CODE else f"/{code}{path}"
        url = f"{in_language}?{query}" if query else in_language
        languages.alternates.append(
            Alternate(
                code=code,
                url=url,
                full_url=request.build_absolute_uri(url),
                is_current=code == active,
            )
        )
    languages.x_default = next(
        each.full_url for each in languages.alternates if each.code == settings.LANGUAGE_CODE
    )
    return languages
