"""sitemap.xml with every page in every language it exists in, each with its alternates."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from baltmet.languages.languages import language_order


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap lists the pages below the site's root page, the default language's
    tree; this one also lists the trees of its translations. Aliases (untranslated pages in
    another language's tree) are left out: they repeat their source."""

    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True).only("path")
        below_a_root = Q()
        for root in roots:
            below_a_root |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(below_a_root, alias_of__isnull=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        add_alternates(urls, self.paginator.page(page).object_list, self.request)
        return urls


def add_alternates(urls: list[dict], pages, request) -> None:
    """An `alternates` list on each URL of a page that exists in more than one language (the
    sitemap template writes them as xhtml:link elements), with x-default, its default
    language's address. One query for the whole sitemap page."""
    keys = {page.get_full_url(request): page.translation_key for page in pages}
    translations = (
        Page.objects.filter(translation_key__in=set(keys.values()), alias_of__isnull=True)
        .live()
        .public()
        .select_related("locale")
    )
    by_key = defaultdict(list)
    for translation in translations:
        code = translation.locale.language_code
        by_key[translation.translation_key].append((code, translation.get_full_url(request)))
    for url in urls:
        versions = sorted(
            by_key.get(keys.get(url["location"]), []), key=lambda v: language_order(v[0])
        )
        if len(versions) < 2:
            continue
        url["alternates"] = [{"lang_code": code, "location": where} for code, where in versions]
        default = [where for code, where in versions if code == settings.LANGUAGE_CODE]
        if default:
            url["alternates"].append({"lang_code": "x-default", "location": default[0]})
