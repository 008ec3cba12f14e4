"""Setting up roles is idempotent, and follows organisations as they are published."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowTask,
)

from baltmet.roles.groups import WORKFLOW, set_up_roles
from baltmet.roles.models import ModerationTask
from news.factories import NewsPageFactory
from partners.factories import OrganisationPageFactory
from partners.models import PartnerAccess

pytestmark = pytest.mark.django_db


def counts():
    return (
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_the_command_is_idempotent(world):
    before = counts()
    output = io.StringIO()

    call_command("set_up_roles", stdout=output)
    call_command("set_up_roles", stdout=io.StringIO())

    assert counts() == before
    assert "2 partner organisations have an editors' group (0 new)" in output.getvalue()


def test_publishing_a_new_organisation_sets_up_its_editors(site_tree):
    set_up_roles()
    organisation = OrganisationPageFactory(title="Example Science Park")
    assert not PartnerAccess.objects.filter(organisation=organisation).exists()

    organisation.save_revision().publish()

    access = PartnerAccess.objects.get(organisation=organisation)
    assert access.group.name == "Editors: Example Science Park"
    assert access.collection.name == "Example Science Park"
    assert GroupPagePermission.objects.filter(
        group=access.group, page=organisation, permission__codename="change_page"
    ).exists()
    assert not GroupPagePermission.objects.filter(
        group=access.group, permission__codename="publish_page"
    ).exists()


def test_a_renamed_organisation_renames_its_group_and_collection(world):
    world.riga.title = "Riga City Council"
    world.riga.save_revision().publish()

    access = PartnerAccess.objects.get(organisation=world.riga)
    assert access.group.name == "Editors: Riga City Council"
    assert access.collection.name == "Riga City Council"
    assert Group.objects.filter(name__startswith="Editors: ").count() == 2


def test_news_events_and_partner_pages_go_through_the_moderation_workflow(world, site_tree):
    news = NewsPageFactory(parent=site_tree.news)

    for page in (news, world.riga, site_tree.events):
        workflow = page.get_workflow()
        assert workflow is not None and workflow.name == WORKFLOW, page
        assert [t.name for t in workflow.tasks] == ["Moderators approval"]


def test_wagtails_all_pages_editors_group_is_removed_while_nobody_is_in_it(site_tree):
    assert Group.objects.filter(name="Editors").exists()  # as Wagtail installs it

    report = set_up_roles()

    assert not Group.objects.filter(name="Editors").exists()
    assert "'Editors' group (every page, no members) was removed" in str(report)
    # What is left are the portal's own roles, each named for what it reaches.
    assert set(Group.objects.values_list("name", flat=True)) == {"Moderators"}


def test_with_members_it_is_renamed_to_say_it_reaches_every_page(site_tree, django_user_model):
    editors = Group.objects.get(name="Editors")
    trusted = django_user_model.objects.create_user("staff", "staff@example.org", "x" * 16)
    trusted.groups.add(editors)

    set_up_roles()

    editors.refresh_from_db()
    assert editors.name == "Site-wide editors (every page)"
    assert list(trusted.groups.all()) == [editors]  # nobody loses access by surprise
    assert GroupPagePermission.objects.filter(group=editors).exists()


def test_every_workflow_asks_the_moderators_through_the_portals_task(world):
    """Wagtail's own approval task (with an unconfirmed "Approve") is replaced everywhere."""
    tasks = {
        task.specific.__class__
        for workflow in Workflow.objects.filter(active=True)
        for task in workflow.tasks.filter(active=True)
    }
    assert tasks == {ModerationTask}
    assert not GroupApprovalTask.objects.filter(active=True).exists()
    set_up_roles()
    assert ModerationTask.objects.count() == 1


def test_wagtails_task_stays_while_a_page_waits_for_a_decision_on_it(world, site_tree):
    """Replacing a task with pages in moderation would strand them: it waits for a re-run."""
    moderators = Group.objects.get(name="Moderators")
    wagtails = GroupApprovalTask.objects.create(name="Moderators approval")
    wagtails.groups.add(moderators)
    workflow = Workflow.objects.get(name=WORKFLOW)
    WorkflowTask.objects.filter(workflow=workflow).update(task=wagtails)
    page = NewsPageFactory(parent=world.news_index, live=False)
    page.save_revision(user=world.editor)
    workflow.start(page, world.editor)

    set_up_roles()

    assert list(workflow.tasks.all()) == [wagtails.task_ptr]
    # Sent back for changes, it would resume on the old task: that one stays too.
    page.current_workflow_task_state.task.specific.on_action(
        page.current_workflow_task_state, world.moderator, "reject"
    )
    set_up_roles()
    assert list(workflow.tasks.all()) == [wagtails.task_ptr]
    page.current_workflow_state.resume(world.editor)
    page.current_workflow_task_state.task.specific.on_action(
        page.current_workflow_task_state, world.moderator, "approve"
    )
    set_up_roles()
    assert [task.specific.__class__ for task in workflow.tasks.all()] == [ModerationTask]
