"""Who may do what: partner editor groups, their collections, and the moderation workflow.

Everything here is idempotent and built on Wagtail's own mechanisms (groups, page and
collection permissions, workflows). It runs:
- from `manage.py set_up_roles` (which `make run` and the seed loader call) for everything;
- from the `page_published` signal (signal_handlers.py) when an organisation is published,
  so an organisation created in the admin gets its editors' group at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from baltmet.roles.models import ModerationTask
from events.models import EventIndexPage
from news.models import NewsIndexPage
from partners.models import OrganisationPage, PartnerAccess, PartnersIndexPage

MODERATORS = "Moderators"
WORKFLOW = "Moderation"
APPROVAL_TASK = "Moderators approval"
SHARED_COLLECTION = "Shared"
PROMOTION_PERMISSIONS = ["add_searchpromotion", "change_searchpromotion", "delete_searchpromotion"]
KNOWLEDGE_MODELS = {
    "actionplan": ["focusarea", "action", "priority"],
    "projects": ["relatedproject"],
    "benchmark": ["criterion", "sciencepark"],
    # Not knowledge, but kept by the same people: the newsletter's digests.
    "newsletter": ["digest"],
}

# On their own organisation's collection editors upload, edit and choose; on the shared
# collection they only choose. Wagtail checks these against its base image/document models.
OWN_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
SHARED_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
]


# Wagtail's install creates a group "Editors" that may edit every page. Listed beside the
# organisations' "Editors: <organisation>" groups, one wrong tick would give a partner the
# whole site; set_up_roles removes it while it has no members, else renames it to say so.
WAGTAIL_EDITORS = "Editors"
SITE_WIDE_EDITORS = "Site-wide editors (every page)"


@dataclass
class RolesReport:
    organisations: int = 0
    groups_created: int = 0
    wagtail_editors: str = ""  # what became of Wagtail's "Editors" group, if anything

    def __str__(self) -> str:
        report = (
            f"{self.organisations} partner organisations have an editors' group "
            f"({self.groups_created} new); moderation workflow '{WORKFLOW}' in place."
        )
        return f"{report} {self.wagtail_editors}" if self.wagtail_editors else report


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(codename: str) -> Permission:
    return permission("wagtailcore", codename)


def shared_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SHARED_COLLECTION).first()
    return existing or root.add_child(name=SHARED_COLLECTION)


def original_of(page: Page) -> Page:
    """The page in the default language: the one an organisation's group is set up for."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    default = Locale.get_default()
    return page.get_translation_or_none(default) or page


def editors_group_name(organisation: OrganisationPage) -> str:
    return f"Editors: {organisation.title}"[:150]


@transaction.atomic
def set_up_organisation_editors(organisation: OrganisationPage) -> tuple[PartnerAccess, bool]:
    """The organisation's editors' group, private collection and permissions.

    Editors may change their organisation's page and the pages below it, in every language
    it has been translated into, add news and events in every language (and so edit the
    drafts they create and their translations, which keep their owner), translate what they
    may edit (baltmet/languages/admin_access.py keeps them to that), and use their
    collection and the shared one. They have no publish permission: what they write and
    translate goes through the moderation workflow.
    """
    organisation = original_of(organisation).specific
    access = PartnerAccess.objects.filter(organisation=organisation).first()
    created = access is None
    if created:
        group, _ = Group.objects.get_or_create(name=editors_group_name(organisation))
        collection = Collection.get_first_root_node().add_child(name=organisation.title)
        access = PartnerAccess.objects.create(
            organisation=organisation, group=group, collection=collection
        )
    group, collection = access.group, access.collection
    # Follow renames of the organisation, so administrators see which group is whose.
    if group.name != editors_group_name(organisation):
        group.name = editors_group_name(organisation)
        group.save(update_fields=["name"])
    if collection.name != organisation.title:
        collection.name = organisation.title
        collection.save(update_fields=["name"])

    group.permissions.add(
        permission("wagtailadmin", "access_admin"),
        permission("wagtail_localize", "submit_translation"),
    )
    grant_pages(group, organisation.get_translations(inclusive=True), "change_page")
    grant_pages(
        group,
        [*NewsIndexPage.objects.all(), *EventIndexPage.objects.all()],
        "add_page",
    )
    grant_collection(group, collection, OWN_COLLECTION_PERMISSIONS)
    grant_collection(group, shared_collection(), SHARED_COLLECTION_PERMISSIONS)
    return access, created


def grant_pages(group: Group, pages, codename: str) -> None:
    for page in pages:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=page_permission(codename)
        )


def grant_collection(group: Group, collection: Collection, codenames) -> None:
    for app_label, codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission(app_label, codename)
        )


def moderation_task(moderators: Group) -> Task:
    """The moderators' task (roles/models.py), in place of Wagtail's in every workflow.

    Wagtail's install creates a group approval task, "Moderators approval", in its default
    workflow on the whole tree. It is replaced once no page waits for a decision on it: while
    some do, or one sent back for changes is still to be resubmitted, it stays in use (run
    set_up_roles again when they are decided).
    """
    wagtails = GroupApprovalTask.objects.filter(name=APPROVAL_TASK, active=True)
    waiting = TaskState.objects.filter(task__in=wagtails, status=TaskState.STATUS_IN_PROGRESS)
    # A page sent back for changes resumes on the task that sent it back.
    sent_back = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_NEEDS_CHANGES, current_task_state__task__in=wagtails
    )
    if waiting.exists() or sent_back.exists():
        task = wagtails.first()
        task.groups.add(moderators)
        return task
    task = ModerationTask.objects.filter(name=APPROVAL_TASK).first()
    if task is None:
        task = ModerationTask.objects.create(name=APPROVAL_TASK)
    task.groups.add(moderators)
    for old in wagtails:
        # Each workflow gets the new task where it had the old one, in the same position.
        WorkflowTask.objects.filter(task=old).exclude(workflow__workflow_tasks__task=task).update(
            task=task
        )
        WorkflowTask.objects.filter(task=old).delete()
        old.name = f"{APPROVAL_TASK} (Wagtail's, replaced)"
        old.active = False
        old.save(update_fields=["name", "active"])
    return task


@transaction.atomic
def set_up_moderation() -> Workflow:
    """One workflow, approved by the Moderators group, on news, events and partner pages.

    (Wagtail's default workflow on the tree root still covers the other pages.)
    """
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    # Moderators also choose the pages promoted at the top of site search results.
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtailsearchpromotions",
            codename__in=PROMOTION_PERMISSIONS,
        )
    )
    # ...and keep the Action Plan's focus areas, actions and priorities, and the related
    # projects (baltmet/actionplan, baltmet/projects).
    for app_label, models in KNOWLEDGE_MODELS.items():
        moderators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model__in=models,
                codename__regex=r"^(add|change|delete|view)_",
            )
        )
    task = moderation_task(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    sections = [
        *NewsIndexPage.objects.all(),
        *EventIndexPage.objects.all(),
        *PartnersIndexPage.objects.all(),
    ]
    for page in sections:  # in every language
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    grant_pages(moderators, [Page.get_first_root_node()], "publish_page")
    return workflow


def retire_wagtail_editors_group() -> str:
    """Remove Wagtail's all-pages "Editors" group, or rename it where someone belongs to it."""
    group = Group.objects.filter(name=WAGTAIL_EDITORS).first()
    if group is None:
        return ""
    if not group.user_set.exists():
        group.delete()
        return f"Wagtail's '{WAGTAIL_EDITORS}' group (every page, no members) was removed."
    group.name = SITE_WIDE_EDITORS
    group.save(update_fields=["name"])
    return f"Wagtail's '{WAGTAIL_EDITORS}' group has members: renamed '{SITE_WIDE_EDITORS}'."


def set_up_roles() -> RolesReport:
    report = RolesReport()
    report.wagtail_editors = retire_wagtail_editors_group()
    set_up_moderation()
    originals = OrganisationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    for organisation in originals.order_by("path"):
        _, created = set_up_organisation_editors(organisation)
        report.organisations += 1
        report.groups_created += created
    return report


@transaction.atomic
def extend_roles_to_translation(page: Page) -> None:
    """A page new in another language (a translation, or an alias of a translated page's
    parent) gets what its original has: an organisation's page its editors' permission, a
    news or events section the partners' permission to add, and a section the moderation."""
    page = page.specific
    if isinstance(page, OrganisationPage):
        access = PartnerAccess.objects.filter(organisation=original_of(page)).first()
        if access is not None:
            grant_pages(access.group, [page], "change_page")
    if isinstance(page, NewsIndexPage | EventIndexPage):
        for access in PartnerAccess.objects.select_related("group"):
            grant_pages(access.group, [page], "add_page")
    if isinstance(page, NewsIndexPage | EventIndexPage | PartnersIndexPage):
        workflow = Workflow.objects.filter(name=WORKFLOW, active=True).first()
        if workflow is not None:
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
