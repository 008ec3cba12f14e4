"""The BaltMet Action Plan 2008-2010, approved by the Mayors in Tallinn on 6 November 2007.

Its focus areas and numbered actions (1.1-4.3) and the five innovation priorities are records
of their own (snippets, edited under "Action Plan" in the admin), so that editors can link a
news item or an event to the actions it serves, and the Action Plan page lists, under each
action, what was linked to it.
"""

from __future__ import annotations

from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from baltmet.models import BasePage, FigureSource
from baltmet.queries import published


class FocusArea(models.Model):
    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1)], help_text="As the plan numbers it: 1-4."
    )
    title = models.CharField(max_length=200)

    panels = [FieldRowPanel([FieldPanel("number"), FieldPanel("title")])]

    class Meta:
        ordering = ["number"]
        verbose_name = "focus area"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="The action's number within its focus area: 2 for action 1.2.",
    )
    text = models.TextField(help_text="The action as the plan words it.")

    panels = [FieldRowPanel([FieldPanel("focus_area"), FieldPanel("position")]), FieldPanel("text")]

    class Meta:
        ordering = ["focus_area__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "position"], name="actionplan_action_unique_number"
            )
        ]

    def __str__(self) -> str:
        words = self.text.split()
        short = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
        return f"{self.number} {short}"

    @property
    def number(self) -> str:
        """The action's number as the plan writes it, e.g. "1.2" (reads its focus area: select
        it with the action)."""
        return f"{self.focus_area.number}.{self.position}"

    @property
    def anchor(self) -> str:
        return f"action-{self.focus_area.number}-{self.position}"


class Priority(models.Model):
    """One of the priority areas for concrete innovation projects the Mayors named."""

    title = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    panels = [FieldPanel("title"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "innovation priority"
        verbose_name_plural = "innovation priorities"

    def __str__(self) -> str:
        return self.title


def focus_areas_with_actions():
    """The focus areas, each with its actions and the live, public news, events and library
    entries and the related projects linked to each action: six queries, whatever the number
    of actions or links."""
    # The page models that point here (events, news, library entries), through the relations'
    # reverse side: this app sits below them and never imports them.
    event_page = Action._meta.get_field("event_pages").related_model
    news_page = Action._meta.get_field("news_pages").related_model
    entry_page = Action._meta.get_field("library_entries").related_model
    entries = published(entry_page.objects.all()).defer_streamfields().order_by("path")
    events = published(event_page.objects.all()).defer_streamfields().order_by("starts_at")
    news = published(news_page.objects.all()).defer_streamfields().order_by("-date", "pk")
    actions = Action.objects.select_related("focus_area").prefetch_related(
        Prefetch("event_pages", queryset=events, to_attr="linked_events"),
        Prefetch("news_pages", queryset=news, to_attr="linked_news"),
        Prefetch("library_entries", queryset=entries, to_attr="linked_entries"),
        "related_projects",  # baltmet/projects
    )
    return FocusArea.objects.prefetch_related(Prefetch("actions", queryset=actions))


class ActionPlanPage(BasePage):
    """The Action Plan: its priorities, focus areas and actions, each with what serves it."""

    intro = models.TextField(blank=True, help_text="Lead paragraph under the title.")
    approval = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Where and when the plan was approved, e.g. a link to the Mayors' meeting.",
    )
    priorities_heading = models.CharField(
        max_length=200,
        blank=True,
        default="Action priority: concrete projects for innovation promotion",
        help_text="The heading above the innovation priorities.",
    )
    priorities_source = models.ForeignKey(
        FigureSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The document that names the priorities.",
    )
    actions_source = models.ForeignKey(
        FigureSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The document that gives the focus areas and the numbered actions.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("approval"),
        FieldPanel("priorities_heading"),
        FieldRowPanel([FieldPanel("priorities_source"), FieldPanel("actions_source")]),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("actions_text"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("approval"),
        APIField("priorities"),
        APIField("focus_areas"),
    ]

    parent_page_types = ["home.HomePage", "baltmet.StandardPage"]
    subpage_types = []
    max_count = 1
    template = "pages/action_plan_page.html"

    class Meta:
        verbose_name = "action plan page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["plan_priorities"] = list(Priority.objects.all())
        context["plan_focus_areas"] = list(focus_areas_with_actions())
        # The projects named under an action link to their place on the Related projects page
        # (baltmet/projects: this app sits below that one, so it asks the app registry).
        related_projects_page = apps.get_model("projects", "RelatedProjectsPage")
        context["related_projects_page"] = related_projects_page.objects.live().first()
        return context

    @property
    def actions_text(self) -> str:
        """The focus areas' and actions' words, for the search index."""
        lines = []
        for area in FocusArea.objects.prefetch_related("actions"):
            lines.append(area.title)
            lines.extend(action.text for action in area.actions.all())
        return "\n".join(lines)

    @property
    def priorities(self) -> list[str]:
        return [priority.title for priority in Priority.objects.all()]

    @property
    def focus_areas(self) -> list[dict]:
        """For the API: each focus area with its actions, and the ids of the live pages linked
        to each action."""
        return [
            {
                "number": area.number,
                "title": area.title,
                "actions": [
                    {
                        "number": action.number,
                        "text": action.text,
                        "events": [page.pk for page in action.linked_events],
                        "news": [page.pk for page in action.linked_news],
                        "library_entries": [page.pk for page in action.linked_entries],
                        "related_projects": [p.name for p in action.related_projects.all()],
                    }
                    for action in area.actions.all()
                ],
            }
            for area in focus_areas_with_actions()
        ]
