"""The admin dashboard for each role.

- A partner editor sees their organisation (edit its page, add news, add an event) and their
  work by where it stands: what came back from the moderators, with the comment in full; what
  waits in moderation; their drafts.
- A moderator sees what waits for a decision, oldest first. Every decision opens Wagtail's
  workflow dialog, where it is confirmed (with an optional comment) before it is made.

Both are Wagtail dashboard panels (components, styled by static/roles/dashboard.css), put in
place by the `construct_homepage_panels` hook in wagtail_hooks.py; they replace Wagtail's own
"Awaiting your review" and "Your pages in a workflow" panels, which show the same items less
fully. Like Wagtail's, they read the request from the dashboard's context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from baltmet.roles.models import ModerationTask
from baltmet.roles.visibility import page_policy
from events.models import EventIndexPage, EventPage
from news.models import NewsIndexPage, NewsPage
from partners.models import OrganisationPage

# How many drafts the partner panel lists; the rest are counted and left to the explorer.
DRAFTS_SHOWN = 10


@dataclass
class ChangesRequested:
    """A page a moderator sent back, with what they said."""

    page: Page
    comment: str
    moderator: object | None
    requested_at: object
    resubmit_label: str  # the page menu's item that sends it back to the moderators


@dataclass
class OwnWork:
    """A partner editor's pages, by where each stands."""

    changes_requested: list[ChangesRequested] = field(default_factory=list)
    in_moderation: list[WorkflowState] = field(default_factory=list)
    drafts: list[Page] = field(default_factory=list)
    more_drafts: int = 0


def organisations_of(user) -> list[OrganisationPage]:
    """The organisations whose editors' group `user` belongs to."""
    if not user.is_active:
        return []
    return list(
        OrganisationPage.objects.filter(access__group__user=user).order_by("title").distinct()
    )


def add_page_url(index_model, page_model) -> str:
    """The admin's "add" form for a news item or event in the first such section, or ""."""
    index = index_model.objects.order_by("path").first()
    if index is None:
        return ""
    meta = page_model._meta
    return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, index.pk])


def changes_requested_of(workflow_state: WorkflowState) -> ChangesRequested:
    """The moderator's decision that sent a page back: the task state it rejected."""
    task_state = workflow_state.current_task_state
    return ChangesRequested(
        page=workflow_state.content_object,
        comment=task_state.comment if task_state else "",
        moderator=task_state.finished_by if task_state else None,
        requested_at=task_state.finished_at if task_state else workflow_state.created_at,
        # As Wagtail's action menu names it (SubmitForModerationMenuItem).
        resubmit_label=f"Resubmit to {task_state.task.name}" if task_state else "Resubmit",
    )


def changes_requested_on(page: Page) -> ChangesRequested | None:
    """What the moderator asked of `page`, while its workflow waits for those changes."""
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    return changes_requested_of(workflow_state)


def own_work(user) -> OwnWork:
    """The pages `user` may edit, sorted by where they stand in moderation.

    A partner editor may edit their organisation's pages and the news and events they
    created (Wagtail's "add" permission on those sections); those are theirs here, whatever
    the organisation (an editor of two organisations gets one list).
    """
    work = OwnWork()
    editable = page_policy().instances_user_has_permission_for(user, "change")
    page_ids = [str(pk) for pk in editable.values_list("pk", flat=True)]
    states = (
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=page_ids)
        .select_related(
            "requested_by", "current_task_state__finished_by", "current_task_state__task"
        )
        .prefetch_related("content_object")
        .order_by("created_at")
    )
    in_workflow = set()
    for state in states:
        if state.content_object is None:
            continue
        in_workflow.add(state.content_object.pk)
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            work.changes_requested.append(changes_requested_of(state))
        else:
            work.in_moderation.append(state)
    drafts = (
        editable.filter(Q(live=False) | Q(has_unpublished_changes=True))
        .exclude(pk__in=in_workflow)
        .order_by("-latest_revision_created_at", "-pk")
    )
    work.drafts = list(drafts[:DRAFTS_SHOWN])
    if len(work.drafts) == DRAFTS_SHOWN:
        work.more_drafts = drafts.count() - DRAFTS_SHOWN
    return work


class OrganisationPanel(Component):
    """A partner editor's organisation and their own work, at the top of the dashboard."""

    name = "organisation"
    template_name = "roles/dashboard/organisation_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        organisations = organisations_of(user)
        if len(organisations) == 1:
            heading = f"Your organisation: {organisations[0].title}"
        else:
            heading = "Your organisations"
        return {
            "heading": heading,
            "organisations": organisations,
            "add_news_url": add_page_url(NewsIndexPage, NewsPage),
            "add_event_url": add_page_url(EventIndexPage, EventPage),
            "work": own_work(user),
            "request": request,
        }


@dataclass
class Decision:
    """One decision a moderator can make on a task: Wagtail's action and its label."""

    action: str
    label: str


@dataclass
class WaitingItem:
    task_state: TaskState
    page: Page
    decisions: list[Decision]


def decisions_for(task_state: TaskState, page: Page, user) -> list[Decision]:
    """The task's actions, one per decision: Wagtail's tasks offer "approve" twice (with and
    without a comment); here both are one, always confirmed in the dialog, where a comment
    is optional."""
    decisions = {}
    for action, label, _ in task_state.task.specific.get_actions(page, user):
        if action == "approve":
            label = "Approve and publish"
        decisions.setdefault(action, Decision(action, label))
    return list(decisions.values())


def is_moderator(user) -> bool:
    """Whether `user` decides on submitted pages: a member of an approval task's group."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        model.objects.filter(active=True, groups__user=user).exists()
        for model in (ModerationTask, GroupApprovalTask)
    )


def waiting_for(user) -> list[WaitingItem]:
    """The pages waiting for `user`'s decision, the longest waiting first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("revision__user", "workflow_state__requested_by", "task")
        .prefetch_related("revision__content_object")
        .order_by("started_at", "pk")
    )
    items = []
    for state in states:
        page = state.revision.content_object
        if isinstance(page, Page):
            items.append(WaitingItem(state, page, decisions_for(state, page, user)))
    return items


# How many of the moderator's own last decisions the panel recalls.
RECENT_DECISIONS = 5


def recent_decisions_of(user) -> list[TaskState]:
    """The user's last decisions, newest first: after the dialog closes, the dashboard says
    what was done."""
    states = (
        TaskState.objects.filter(
            finished_by=user,
            status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
        )
        .select_related("revision")
        .prefetch_related("revision__content_object")
        .order_by("-finished_at", "-pk")
    )
    return [
        state
        for state in states[:RECENT_DECISIONS]
        if isinstance(state.revision.content_object, Page)
    ]


class ModerationQueuePanel(Component):
    """What waits for a moderator's decision, oldest first."""

    name = "moderation_queue"
    template_name = "roles/dashboard/moderation_queue_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        items = waiting_for(request.user)
        return {
            "heading": f"Waiting for your decision ({len(items)})",
            "items": items,
            "recent_decisions": recent_decisions_of(request.user),
            "request": request,
            "csrf_token": parent_context.get("csrf_token"),
        }
