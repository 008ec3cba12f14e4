"""Projects and programmes related to BaltMet Inno: Bridge-BSR in ScanBalt BioRegion, the St.
Petersburg Innovation Programme 2008-2011, BaltMet InfoForum and BaltMet Exchange.

Each is a record (a snippet under "Related projects"), so the Action Plan's actions can name
the projects that serve them, and the Related projects page lists them all. A website is
given only where a source gives its address; a project the portal has a page about links to
it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from baltmet.actionplan.models import Action, ActionPlanPage
from baltmet.models import BasePage


class ProjectKind(models.TextChoices):
    PROJECT = "project", pgettext_lazy("kind of related project", "Project")
    PROGRAMME = "programme", pgettext_lazy("kind of related project", "Programme")
    INITIATIVE = "initiative", pgettext_lazy("kind of related project", "Initiative")


class RelatedProject(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=ProjectKind.choices)
    summary = models.TextField(help_text="What the source documents say the project is and does.")
    relation = models.TextField(
        "relation to BaltMet Inno", help_text="How the sources tie it to BaltMet Inno."
    )
    website = models.URLField(
        blank=True, help_text="Only an address a source document gives; otherwise empty."
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A page of the portal about the project, if there is one.",
    )
    source = models.CharField(
        max_length=255, help_text="The document this comes from: title, by whom, where, when."
    )
    action_plan_actions = ParentalManyToManyField(
        "actionplan.Action",
        blank=True,
        related_name="related_projects",
        verbose_name="Action Plan actions",
        help_text="The actions of the BaltMet Action Plan 2008-2010 it serves, if any.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("summary"),
        FieldPanel("relation"),
        FieldRowPanel([FieldPanel("website"), FieldPanel("page")]),
        FieldPanel("source"),
        FieldPanel("action_plan_actions"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("summary"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "related project"

    def __str__(self) -> str:
        return self.name

    @property
    def anchor(self) -> str:
        return f"project-{self.pk}"


def projects_with_links():
    """Every related project with its page and its actions (numbered): two queries."""
    actions = Action.objects.select_related("focus_area")
    return RelatedProject.objects.select_related("page").prefetch_related(
        Prefetch("action_plan_actions", queryset=actions)
    )


class RelatedProjectsPage(BasePage):
    """Lists the related projects and programmes, each with its source."""

    intro = models.TextField(blank=True, help_text="Lead paragraph under the title.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("projects_text"),
    ]
    api_fields = [APIField("intro"), APIField("projects")]

    parent_page_types = ["home.HomePage", "baltmet.StandardPage"]
    subpage_types = []
    max_count = 1
    template = "pages/related_projects_page.html"

    class Meta:
        verbose_name = "related projects page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_projects"] = list(projects_with_links())
        # The actions link to their place on the Action Plan page.
        context["action_plan"] = ActionPlanPage.objects.live().first()
        return context

    @property
    def projects_text(self) -> str:
        """The projects' words, for the search index."""
        return "\n".join(
            f"{project.name}\n{project.summary}\n{project.relation}"
            for project in RelatedProject.objects.all()
        )

    @property
    def projects(self) -> list[dict]:
        """For the API: each project as the page shows it (the page as its id)."""
        return [
            {
                "name": project.name,
                "kind": project.kind,
                "summary": project.summary,
                "relation": project.relation,
                "website": project.website,
                "page": project.page_id,
                "source": project.source,
                "action_plan_actions": [
                    action.number for action in project.action_plan_actions.all()
                ],
            }
            for project in projects_with_links()
        ]
