from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from baltmet import two_factor
from baltmet.models import FigureSource


class FigureSourceViewSet(SnippetViewSet):
    model = FigureSource
    icon = "doc-full"
    menu_label = "Figure sources"
    list_display = ["title", "publisher", "year"]
    search_fields = ["title", "publisher"]


register_snippet(FigureSourceViewSet)


hooks.register("register_account_menu_item", two_factor.account_menu_item)
