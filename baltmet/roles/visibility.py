"""Which pages a user sees in the admin: partners do not see each other's unpublished work.

Wagtail lets whoever may add pages to a section explore everything in it. Partner editors
may add news and events, so out of the box they would see every other partner's drafts in
those sections (titles, status, authors, workflow steps) in the explorer, the page search,
the page chooser, the admin API and the reports. Here a user who cannot change or publish
the whole tree sees only:
- the pages they may edit: their organisation's pages, and the news and events they created;
- the pages their groups hold a permission on, with their ancestors, to find their way there;
- live pages, which the website shows anyway.
And a live page whose unpublished changes they may not see is shown as published: its
published title and status "live", not its draft's title, author or workflow.
Superusers and moderators (change or publish on the root of the tree) see everything.

The rule reaches the admin through Wagtail's public extension points:
- `VisiblePagesPermissionPolicy`, registered for `Page` with `register_permission_policy`
  (apps.py): its `explorable_instances` is what the explorer, its search, the page search,
  the per-type listings, the admin API and the site-history report filter by;
- hooks in wagtail_hooks.py (page chooser, bulk actions, listing buttons, reports menu,
  dashboard, admin API) and overrides of Wagtail's listing templates for titles and status
  (templates/wagtailadmin/, templatetags/page_visibility.py);
- `VisibilityMiddleware` (middleware.py) for the views that show one page by its id without
  filtering by it, and for the reports that cannot be filtered.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

# The page permissions that let a user change a page (Wagtail's "explore" set without "add":
# "add" alone lets its holder change only the pages they own below it).
EDIT_ACTIONS = {"change", "publish", "lock", "unlock", "bulk_delete"}
# Either of these on the root of the tree lets a user act on every page.
WHOLE_TREE_CODENAMES = {"change_page", "publish_page"}
# A page id as a URL gives it: ASCII digits (str.isdigit() also takes "²"). Page ids are
# PostgreSQL integers: a larger number names no page.
PAGE_ID = re.compile(r"[0-9]{1,18}")
MAX_PAGE_ID = 2**31 - 1


def page_policy() -> PagePermissionPolicy:
    return policy_registry.get_by_type(Page)


def sees_all_pages(user) -> bool:
    """Superusers, and whoever may change or publish every page (the moderators).

    Read from the user's page permissions, which Wagtail caches for the request: no query
    of its own, so that listings may ask it for every row.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        permission.page.is_root() and permission.permission.codename in WHOLE_TREE_CODENAMES
        for permission in page_policy().get_cached_permissions_for_user(user)
    )


def restricted_pages(user):
    """The pages a user who does not see everything sees: a queryset, one query when used."""
    if not user.is_active:
        return Page.objects.none()
    policy = page_policy()
    editable = policy.instances_user_has_any_permission_for(user, EDIT_ACTIONS)
    visible = Q(live=True) | Q(pk__in=editable.values("pk"))
    for permission in policy.get_cached_permissions_for_user(user):
        ancestors = Page.objects.ancestor_of(permission.page, inclusive=True)
        visible |= Q(pk__in=ancestors.values("pk"))
    return Page.objects.filter(visible)


def only_visible(pages, user):
    """`pages` without those `user` may not see (unchanged for who sees everything)."""
    if sees_all_pages(user):
        return pages
    return pages.filter(pk__in=restricted_pages(user).values("pk"))


def hides_any(user, page_ids) -> bool:
    """Whether any existing page among `page_ids` is one `user` may not see."""
    ids = [int(value) for value in page_ids if PAGE_ID.fullmatch(str(value))]
    ids = [page_id for page_id in ids if page_id <= MAX_PAGE_ID]
    if not ids or sees_all_pages(user):
        return False
    hidden = Page.objects.filter(pk__in=ids).exclude(pk__in=restricted_pages(user).values("pk"))
    return hidden.exists()


def shows_drafts_of(user, page) -> bool:
    """Whether `user` may see the unpublished changes of `page` (a page they may see): its
    draft's title, status and workflow. Only those who may edit it; others see it as the
    website shows it."""
    return sees_all_pages(user) or page.permissions_for_user(user).can_edit()


def hides_drafts_of(user, page) -> bool:
    """Whether `page` has unpublished changes that `user` may not see."""
    return page.has_unpublished_changes and not shows_drafts_of(user, page)


def title_for(user, page) -> str:
    """The page's title as the admin shows it to `user`: Wagtail's admin title (that of its
    latest draft) if they may see its drafts, else the title it was published with."""
    return page.get_admin_display_title() if shows_drafts_of(user, page) else page.title


def status_for(user, page) -> str:
    """The page's status as the admin shows it to `user`: Wagtail's ("live + in moderation",
    "live + draft", ...) if they may see its drafts; a live page is just "live" to others."""
    if page.live and hides_drafts_of(user, page):
        return gettext("live")
    return page.status_string


def leads_to_own_pages(user, page) -> bool:
    """Whether `page` is, or is above, a page `user`'s groups hold a permission on."""
    return any(
        page.pk == permission.page_id or permission.page.is_descendant_of(page)
        for permission in page_policy().get_cached_permissions_for_user(user)
    )


class VisiblePagesPermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy; a page is explorable only if it is also visible.

    Permissions to act on pages are Wagtail's own: only what may be seen is narrowed.
    """

    def explorable_instances(self, user):
        return only_visible(super().explorable_instances(user), user)
