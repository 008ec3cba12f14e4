"""The portal's notices (privacy notice, accessibility statement, imprint) and what is still
missing from them.

The notices are content pages (StandardPage) that the seed loader creates and the footer
links (SiteSettings). Where they need a fact the source documents do not give (the
publisher's address, the national enforcement body), they carry a placeholder block, which
visitors see marked as missing. `PlaceholdersPanel` lists, on the admin dashboard of whoever
may change them, the live pages that still have one, with what each is missing; the
`construct_homepage_panels` hook in wagtail_hooks.py puts it in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from baltmet.models import StandardPage

PLACEHOLDER = "placeholder"


@dataclass
class PageToComplete:
    page: StandardPage
    missing: list[str]  # what each placeholder asks for, in the page's order
    language: str  # the page's language when it is a translation, else ""


def placeholders_in(page: StandardPage) -> list[str]:
    return [block.value["what"] for block in page.body.blocks_by_name(PLACEHOLDER)]


def pages_to_complete(user) -> list[PageToComplete]:
    """The live pages `user` may change whose body still has a placeholder, in tree order.

    Content pages are few (tens), so their bodies are read here rather than searched in the
    database, which works alike on PostgreSQL and SQLite."""
    if not user.is_active:
        return []
    editable = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    pages = (
        StandardPage.objects.live()
        .filter(pk__in=editable.values("pk"))
        .select_related("locale")
        .order_by("path")
    )
    default_locale = Locale.get_default()
    found = []
    for page in pages:
        missing = placeholders_in(page)
        if missing:
            language = "" if page.locale_id == default_locale.pk else page.locale.get_display_name()
            found.append(PageToComplete(page, missing, language))
    return found


class PlaceholdersPanel(Component):
    """Live pages that show visitors a placeholder, for those who may fill it in."""

    name = "pages_to_complete"
    template_name = "notices/pages_to_complete_panel.html"
    order = 45  # after the moderators' queue (40), before a partner's organisation (50)

    def __init__(self, pages: list[PageToComplete]):
        self.pages = pages

    def get_context_data(self, parent_context):
        count = sum(len(item.missing) for item in self.pages)
        return {
            "heading": f"Facts to complete on published pages ({count})",
            "pages": self.pages,
        }


def placeholders_panel(request, panels) -> None:
    """The `construct_homepage_panels` hook: the panel, when there is something to fill."""
    pages = pages_to_complete(request.user)
    if pages:
        panels.append(PlaceholdersPanel(pages))
