from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from baltmet.benchmark.models import Criterion, SciencePark


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "tasks"
    list_display = ["name", "unit", "sort_order"]


class ScienceParkViewSet(SnippetViewSet):
    model = SciencePark
    icon = "site"
    list_display = ["name", "metropolis"]
    search_fields = ["name"]


class BenchmarkViewSetGroup(SnippetViewSetGroup):
    """Under "Benchmark" in the admin's menu, for those with permission on the models."""

    menu_label = "Benchmark"
    menu_icon = "tasks"
    menu_order = 260
    items = (CriterionViewSet, ScienceParkViewSet)


register_snippet(BenchmarkViewSetGroup)
