from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from baltmet.projects.models import RelatedProject


class RelatedProjectViewSet(SnippetViewSet):
    model = RelatedProject
    icon = "link"
    menu_label = "Related projects"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "kind", "sort_order"]
    search_fields = ["name", "summary"]


register_snippet(RelatedProjectViewSet)
