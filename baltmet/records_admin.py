"""Admin listings of what visitors sent (contact messages, event registrations): each user
sees, exports and may delete only the records a `readable(user)` queryset gives them.

Wagtail's ModelViewSet with a permission policy that asks that queryset, and views that look
records up in it, so another organisation's record is "not found" (404) whatever its id.
Records are never added or changed in the admin: visitors wrote them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from baltmet.opendata.views import FORMULA_STARTS


def spreadsheet_text(value) -> str:
    """A cell a spreadsheet would run as a formula starts with an apostrophe: visitors wrote
    these records, and an export must not run what they wrote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class RecordsPermissionPolicy(BasePermissionPolicy):
    def __init__(
        self,
        model: type[Model],
        readable: Callable[[object], QuerySet],
        reads_any: Callable[[object], bool],
        actions: frozenset[str],
    ):
        super().__init__(model)
        self.readable, self.reads_any, self.actions = readable, reads_any, actions

    def user_has_permission(self, user, action):
        return action in self.actions and self.reads_any(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and self.readable(user).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if action not in self.actions:
            return self.model.objects.none()
        return self.readable(user)


class RecordsIndexView(generic.IndexView):
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        str: {"csv": spreadsheet_text},
    }

    def get_base_queryset(self):
        return self.permission_policy.readable(self.request.user)


class RecordsInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.permission_policy.readable(self.request.user), pk=self.pk)


class RecordsDeleteView(generic.DeleteView):
    def get_queryset(self):
        return self.permission_policy.readable(self.request.user)


class RecordsViewSet(ModelViewSet):
    """Set `model`, `readable`, `reads_any` and `actions` ({"view"} or {"view", "delete"})."""

    readable: Callable[[object], QuerySet]
    reads_any: Callable[[object], bool]
    actions = frozenset({"view"})
    index_view_class = RecordsIndexView
    inspect_view_class = RecordsInspectView
    delete_view_class = RecordsDeleteView
    inspect_view_enabled = True
    add_to_admin_menu = True
    search_backend_name = None
    # Never added or changed (the policy refuses both), but the viewset still builds a form.
    form_fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        register_permission_policy(
            self.model,
            RecordsPermissionPolicy(
                self.model, type(self).readable, type(self).reads_any, self.actions
            ),
        )
