from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from baltmet.models import FigureSource


class FigureSourceViewSet(SnippetViewSet):
    model = FigureSource
    icon = "doc-full"
    menu_label = "Figure sources"
    list_display = ["title", "publisher", "year"]
    search_fields = ["title", "publisher"]


register_snippet(FigureSourceViewSet)
