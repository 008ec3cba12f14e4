from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from baltmet import edit_conflicts, notices, two_factor
from baltmet.content_checks import use_portal_checks
from baltmet.models import FigureSource
from baltmet.roles.invitations import INVITE_ACTION
from baltmet.roles.views import InviteEditorView, may_invite


class FigureSourceViewSet(SnippetViewSet):
    model = FigureSource
    icon = "doc-full"
    menu_label = "Figure sources"
    list_display = ["title", "publisher", "year"]
    search_fields = ["title", "publisher"]


register_snippet(FigureSourceViewSet)


hooks.register("register_account_menu_item", two_factor.account_menu_item)
hooks.register("before_edit_page", edit_conflicts.check_edit_conflict)
# The published pages that still show a placeholder, for whoever may fill it in (notices.py).
hooks.register("construct_homepage_panels", notices.placeholders_panel)


# Inviting editors (baltmet/roles/views.py): the form's address, its entry in the Settings
# menu for those who may invite, and how the site history names the action.
@hooks.register("register_admin_urls")
def invite_editor_urls():
    return [path("invite-editor/", InviteEditorView.as_view(), name="baltmet_invite_editor")]


class InviteEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return may_invite(request.user)


@hooks.register("register_settings_menu_item")
def invite_editor_menu_item():
    return InviteEditorMenuItem(
        "Invite an editor", reverse("baltmet_invite_editor"), icon_name="mail", order=601
    )


@hooks.register("register_log_actions")
def invite_editor_log_action(actions):
    @actions.register_action(INVITE_ACTION)
    class InviteEditor(LogFormatter):
        label = "Invite an editor"

        def format_message(self, log_entry):
            organisation = (log_entry.data or {}).get("organisation", "a partner organisation")
            return f"Invited as an editor for {organisation}"


@hooks.register("construct_wagtail_userbar")
def portal_content_checks(request, items, page=None):
    """The editors' content checks, with the portal's own (baltmet/content_checks.py)."""
    use_portal_checks(request, items, page)
