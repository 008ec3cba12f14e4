"""The main menu and the breadcrumbs, which every public page shows, read in one query."""

from functools import cached_property

from django.db.models import Q
from wagtail.models import Page, Site


class Navigation:
    """The live children of the site root shown in menus, and the live ancestors of `page`
    from the site root down (never the tree root), read together when first used."""

    def __init__(self, site_root: Page | None, page: Page | None = None):
        self.site_root, self.page = site_root, page

    @classmethod
    def for_request(cls, request, page: Page | None = None) -> "Navigation":
        site = Site.find_for_request(request) if request is not None else None
        return cls(site.root_page if site is not None else None, page)

    @cached_property
    def ancestor_paths(self) -> set[str]:
        page, root = self.page, self.site_root
        if page is None or not page.path or page.depth is None or page.depth <= 1:
            return set()
        steplen = Page.steplen
        paths = {page.path[:end] for end in range(2 * steplen, len(page.path), steplen)}
        return {path for path in paths if root is None or path.startswith(root.path)}

    @cached_property
    def pages(self) -> list[Page]:
        root = self.site_root
        if root is None and not self.ancestor_paths:
            return []
        wanted = Q(path__in=self.ancestor_paths)
        if root is not None:
            wanted |= Q(depth=root.depth + 1, path__startswith=root.path, show_in_menus=True)
        return list(Page.objects.live().filter(wanted).order_by("path"))

    @property
    def menu(self) -> list[Page]:
        root = self.site_root
        if root is None:
            return []
        return [
            page
            for page in self.pages
            if page.show_in_menus
            and page.depth == root.depth + 1
            and page.path.startswith(root.path)
        ]

    @property
    def ancestors(self) -> list[Page]:
        return [page for page in self.pages if page.path in self.ancestor_paths]
