"""The main menu, the breadcrumbs and the languages of the page, which every public page
shows, read in one query."""

from functools import cached_property

from django.db.models import Q
from wagtail.models import Page, Site


class Navigation:
    """The live children of the site root shown in menus, and the live ancestors of `page`
    from the site root down (never the tree root), read together when first used.

    The site root is that of `page`'s language: the site's root page is the home page in
    the default language, and its translations are its siblings; a page in another
    language's tree has its own home page above it, at the same depth.
    """

    def __init__(self, site_root: Page | None, page: Page | None = None):
        self.page = page
        self.root_path = self.root_depth = None
        if site_root is not None:
            self.root_path, self.root_depth = site_root.path, site_root.depth
            if page is not None and page.path and not page.path.startswith(site_root.path):
                self.root_path = page.path[: len(site_root.path)]

    @classmethod
    def for_request(cls, request, page: Page | None = None) -> "Navigation":
        site = Site.find_for_request(request) if request is not None else None
        return cls(site.root_page if site is not None else None, page)

    @cached_property
    def ancestor_paths(self) -> set[str]:
        page, root_path = self.page, self.root_path
        if page is None or not page.path or page.depth is None or page.depth <= 1:
            return set()
        steplen = Page.steplen
        paths = {page.path[:end] for end in range(2 * steplen, len(page.path), steplen)}
        return {path for path in paths if root_path is None or path.startswith(root_path)}

    @cached_property
    def pages(self) -> list[Page]:
        """The live pages of the menu, the breadcrumbs and the page's translations."""
        wanted = Q(path__in=self.ancestor_paths)
        if self.root_path is not None:
            wanted |= Q(
                depth=self.root_depth + 1, path__startswith=self.root_path, show_in_menus=True
            )
        if self.page is not None and self.page.translation_key:
            wanted |= Q(translation_key=self.page.translation_key)
        elif self.root_path is None and not self.ancestor_paths:
            return []
        return list(Page.objects.live().filter(wanted).select_related("locale").order_by("path"))

    @property
    def menu(self) -> list[Page]:
        if self.root_path is None:
            return []
        return [
            page
            for page in self.pages
            if page.show_in_menus
            and page.depth == self.root_depth + 1
            and page.path.startswith(self.root_path)
        ]

    @property
    def ancestors(self) -> list[Page]:
        return [page for page in self.pages if page.path in self.ancestor_paths]

    @property
    def translations(self) -> list[Page]:
        """The page's live versions in every language (aliases too), itself included if live
        (baltmet/languages/languages.py)."""
        if self.page is None:
            return []
        key = self.page.translation_key
        return [page for page in self.pages if page.translation_key == key]
