"""Pages in the visitor's language, for the listings that gather pages from the whole site
(feeds, calendars, search, the API), rather than from one page's children in its own tree."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation


def in_active_language(pages):
    """`pages` in the active language: each page's translation into it where one is in
    `pages`, else the page in the default language. Never an alias (it would repeat its
    source) and never two versions of one page. The same query, filtered by subqueries."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    originals = pages.filter(locale__language_code=settings.LANGUAGE_CODE)
    if active == settings.LANGUAGE_CODE:
        return originals.filter(alias_of__isnull=True)
    translated = pages.filter(locale__language_code=active, alias_of__isnull=True)
    untranslated = originals.filter(alias_of__isnull=True).exclude(
        translation_key__in=translated.values("translation_key")
    )
    return pages.filter(Q(pk__in=translated.values("pk")) | Q(pk__in=untranslated.values("pk")))


def untranslated_originals(pages):
    """`pages` in the default language (never an alias), but for those with a live
    translation into the active language: the part of `in_active_language` that is read in
    the default language (the search reads translations with their own rules)."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    originals = pages.filter(locale__language_code=settings.LANGUAGE_CODE, alias_of__isnull=True)
    if active == settings.LANGUAGE_CODE:
        return originals
    translated = pages.model.objects.live().filter(
        locale__language_code=active, alias_of__isnull=True
    )
    return originals.exclude(translation_key__in=translated.values("translation_key"))
