"""The admin for each role: its dashboard and moderation menu (dashboard.py), and only the
pages and files each user may see (visibility.py).

The page permission policy (apps.py) already narrows the explorer, the page search, the
admin API's pages and the site history; the hooks here do the same for the page chooser, the
confirmation pages of bulk actions, the reports menu, the dashboard's page count and the
admin API (admin_api.py).
"""

from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.models import Page

from baltmet.roles import admin_api
from baltmet.roles.dashboard import (
    ModerationQueuePanel,
    OrganisationPanel,
    is_moderator,
    organisations_of,
)
from baltmet.roles.visibility import hides_drafts_of, only_visible, page_policy, sees_all_pages

# Registered after Wagtail's own hooks (order 0), so that these replace its classes.
AFTER_WAGTAIL = 100
# Reports over the whole site, refused to whoever does not see every page (middleware.py).
WHOLE_SITE_REPORT_MENU_ITEMS = {"site-history", "page-types-usage"}


@hooks.register("construct_page_chooser_queryset")
def choose_only_visible_pages(pages, request):
    return only_visible(pages, request.user)


@hooks.register("construct_page_listing_buttons")
def name_pages_by_published_title(buttons, page, user, context=None):
    """The buttons' labels name a page by its latest draft's title ("More options for ...");
    a page whose drafts the user may not see is named by its published title."""
    if not hides_drafts_of(user, page):
        return
    draft_title = page.get_admin_display_title()
    for button in buttons:
        label = button.attrs.get("aria-label")
        if label and draft_title in label:
            button.attrs["aria-label"] = label.replace(draft_title, page.title)


@hooks.register("construct_reports_menu")
def hide_whole_site_reports(request, menu_items):
    if not sees_all_pages(request.user):
        menu_items[:] = [
            item for item in menu_items if item.name not in WHOLE_SITE_REPORT_MENU_ITEMS
        ]


class VisiblePagesSummaryItem(PagesSummaryItem):
    """The dashboard's "N pages": the pages the user may see, not every draft."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        if context["root_page"] is not None and not sees_all_pages(user):
            root = page_policy().explorable_root_instance(user)
            pages = Page.objects.descendant_of(root, inclusive=True).exclude(depth=1)
            context["total_pages"] = only_visible(pages, user).count()
        return context


@hooks.register("construct_homepage_summary_items", order=AFTER_WAGTAIL)
def count_only_visible_pages(request, summary_items):
    summary_items[:] = [
        VisiblePagesSummaryItem(request) if type(item) is PagesSummaryItem else item
        for item in summary_items
    ]


# Bulk actions on pages ----------------------------------------------------------------------


class VisiblePagesOnly:
    """A bulk action on pages that leaves out the pages the user may not see.

    Wagtail lists the chosen pages the user may not act on by their latest draft's title
    ("You don't have permission to ..."), for any page id in the address, and for every child
    of a section when "all" are chosen. Pages the user may not see, or whose unpublished
    changes they may not see, are left out as if they did not exist.
    """

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        user = self.request.user
        refused = context.get("items_with_no_access", [])
        if refused and not sees_all_pages(user):
            pages = Page.objects.filter(pk__in=[page.pk for page in refused])
            visible = set(only_visible(pages, user).values_list("pk", flat=True))
            context["items_with_no_access"] = [
                page for page in refused if page.pk in visible and not hides_drafts_of(user, page)
            ]
        if not objects and not context.get("items_with_no_access"):
            raise Http404
        return objects, context


class VisibleDeleteBulkAction(VisiblePagesOnly, DeleteBulkAction):
    pass


class VisibleMoveBulkAction(VisiblePagesOnly, MoveBulkAction):
    pass


class VisiblePublishBulkAction(VisiblePagesOnly, PublishBulkAction):
    pass


class VisibleUnpublishBulkAction(VisiblePagesOnly, UnpublishBulkAction):
    pass


for action_class in [
    VisibleDeleteBulkAction,
    VisibleMoveBulkAction,
    VisiblePublishBulkAction,
    VisibleUnpublishBulkAction,
]:
    hooks.register("register_bulk_action", action_class, order=AFTER_WAGTAIL)


# The admin API: published titles for others' pages, only choosable images and documents.
hooks.register("construct_admin_api", admin_api.register_endpoints, order=AFTER_WAGTAIL)


# The dashboard for each role (dashboard.py) ---------------------------------------------------

# Wagtail's panels that the portal's own panels show more fully.
WAGTAIL_MODERATION_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}


@hooks.register("construct_homepage_panels")
def dashboard_for_each_role(request, panels):
    user = request.user
    if is_moderator(user):
        panels[:] = [p for p in panels if p.name != "workflow_objects_to_moderate"]
        panels.append(ModerationQueuePanel())
    if organisations_of(user):
        panels[:] = [p for p in panels if p.name not in WAGTAIL_MODERATION_PANELS]
        panels.append(OrganisationPanel())


@hooks.register("insert_global_admin_css")
def dashboard_css():
    return format_html('<link rel="stylesheet" href="{}">', static("roles/dashboard.css"))


@hooks.register("construct_page_action_menu")
def one_way_to_decide(menu_items, request, context):
    """A moderator deciding on a page in moderation gets two choices, each confirmed in a
    dialog: "Request changes" and "Approve and publish" (with an optional comment).

    Wagtail also offers "Approve and Publish" without the dialog (with its own task types)
    and "Publish", a second way to the same end that skips the dialog and the comment. The
    menu only: a moderator may still publish (a form posting "action-publish" does).
    """
    page = context.get("page")
    deciding = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]
    if page is None or not deciding:
        return
    approvals = [item for item in deciding if item.name == "approve"]
    kept = next((item for item in approvals if item.launch_modal), None)
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "action-publish" and (item not in approvals or item is kept)
    ]
    if kept is not None:
        # Wagtail's own words, so that the menu speaks the editor's admin language.
        workflow_state = page.current_workflow_state
        publishes = workflow_state is not None and workflow_state.is_at_final_task
        label = gettext("Approve")
        kept.label = gettext("%(label)s and Publish") % {"label": label} if publishes else label
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and item.launch_modal:
            item.label = f"{item.label}…"  # the dialog asks to confirm
