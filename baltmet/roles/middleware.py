"""Refuses the admin views that would show a user a page they may not see (visibility.py).

Wagtail filters its listings by the page permission policy, but a few views take a page id
from the address and show that page (its title, status and workflow) without asking
whether it is explorable, and two reports cannot be filtered at all. Wagtail offers no hook
on these views, so they are refused here, by URL name, before they run. Tag suggestions,
which span every page and collection, are answered from what the user may see (tags.py).
"""

from django.http import Http404
from wagtail.admin.auth import permission_denied
from wagtail.models import Page

from baltmet.roles.tags import tag_suggestions
from baltmet.roles.visibility import (
    hides_any,
    hides_drafts_of,
    leads_to_own_pages,
    restricted_pages,
    sees_all_pages,
)

# Views that show the page named by a URL argument (explorer, page chooser): its title and,
# in the explorer, its latest draft's status, author and workflow.
ONE_PAGE_VIEWS = {
    "wagtailadmin_explore": "parent_page_id",
    "wagtailadmin_explore_results": "parent_page_id",
    "wagtailadmin_choose_page_child": "parent_page_id",
}
# Views that show the pages whose ids the query string lists.
PAGE_LIST_VIEWS = {"wagtailadmin_choose_page_chosen_multiple"}
# Reports over every page that a restricted user may not open: the site history shows who
# saved which draft under which title, even on live pages; "Page types usage" shows the
# title of the last page edited of each type, draft or not.
WHOLE_SITE_REPORTS = {
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}


# Wagtail's tag suggestions (all tags, or one tag model's), answered by tags.py instead.
TAG_SUGGESTION_VIEWS = {"wagtailadmin_tag_autocomplete", "wagtailadmin_tag_model_autocomplete"}


class VisibilityMiddleware:
    """Must come after the authentication middleware (and the two-factor one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        name = match.view_name
        if name in ONE_PAGE_VIEWS:
            return self.check_page(request, view_kwargs.get(ONE_PAGE_VIEWS[name]))
        if name in PAGE_LIST_VIEWS and hides_any(request.user, request.GET.getlist("id")):
            raise Http404
        if name in WHOLE_SITE_REPORTS and not sees_all_pages(request.user):
            return permission_denied(request)
        # The portal has one tag model (taggit's); any other is left to Wagtail (a 404).
        is_tag_model = view_kwargs.get("model_name", "tag") == "tag"
        if name in TAG_SUGGESTION_VIEWS and is_tag_model and not sees_all_pages(request.user):
            return tag_suggestions(request)
        return None

    def check_page(self, request, page_id):
        """A page the user may not see does not exist for them; a live page with someone
        else's unpublished changes is refused, unless the way to their own pages leads
        through it."""
        user = request.user
        if page_id is None or sees_all_pages(user):
            return None
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            return None  # Wagtail's own 404
        if not restricted_pages(user).filter(pk=page.pk).exists():
            raise Http404
        if hides_drafts_of(user, page) and not leads_to_own_pages(user, page):
            return permission_denied(request)
        return None
