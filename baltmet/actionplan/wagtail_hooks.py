from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from baltmet.actionplan.models import Action, FocusArea, Priority


class FocusAreaViewSet(SnippetViewSet):
    model = FocusArea
    icon = "list-ol"
    list_display = ["number", "title"]


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tick"
    list_display = ["number", "text"]
    list_filter = ["focus_area"]
    search_fields = ["text"]

    def get_queryset(self, request):
        # Each row shows the action's number, which reads its focus area.
        return Action.objects.select_related("focus_area")


class PriorityViewSet(SnippetViewSet):
    model = Priority
    icon = "pick"
    list_display = ["title", "sort_order"]


class ActionPlanViewSetGroup(SnippetViewSetGroup):
    """Under "Action Plan" in the admin's menu, for those with permission on the models."""

    menu_label = "Action Plan"
    menu_icon = "list-ol"
    menu_order = 250
    items = (FocusAreaViewSet, ActionViewSet, PriorityViewSet)


register_snippet(ActionPlanViewSetGroup)
