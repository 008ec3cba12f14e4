"""The portal's moderation task: Wagtail's group approval, with one way to each decision."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


class ModerationTask(AbstractGroupApprovalTask):
    """Members of the chosen groups approve or request changes, each confirmed in a dialog.

    Wagtail's group approval offers "Approve" twice (at once, and "with comment" in a dialog),
    so a moderator's click on the dashboard published a page with no confirmation. Here both
    decisions open the dialog, where a comment for the editor is optional.
    """

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user):  # the user is not in the task's groups
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), True),
        ]

    def get_template_for_action(self, action):
        return "roles/workflow_action_dialog.html"

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve or request changes, each confirmed in a "
            "dialog with an optional comment"
        )

    class Meta:
        verbose_name = "moderation task"
        verbose_name_plural = "moderation tasks"
