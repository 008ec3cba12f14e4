"""The README's table of what each role may do, tried row by row through real requests.

Each row of the table names a capability; `CAPABILITIES` holds how to try it. The test runs
every row for every role and compares what happened with the table's "yes" or "no", so the
table and the portal cannot drift apart: a row without a way to try it fails too.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Site

from news.models import NewsPage
from tests.helpers import ROOT, create_news, log_in, png

pytestmark = pytest.mark.django_db

ROLES = {"Administrator": "administrator", "Moderator": "moderator", "Partner editor": "editor"}
TABLE_HEADER = "| may | Administrator | Moderator | Partner editor |"


def roles_table() -> dict[str, dict[str, bool]]:
    """{capability: {role: may}} from the README."""
    readme = (ROOT / "README.md").read_text()
    lines = readme[readme.index(TABLE_HEADER) :].splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert all(cell in ("yes", "no") for cell in cells[1:]), line
        table[cells[0]] = {
            role: cell == "yes" for role, cell in zip(header[1:], cells[1:], strict=True)
        }
    return table


def opens(client, url) -> bool:
    """Whether the admin shows the page (200) rather than refusing it (redirect, 403, 404)."""
    status = client.get(url).status_code
    assert status in (200, 302, 403, 404), f"{url} answered {status}"
    return status == 200


def manages_users(client, world):
    return opens(client, reverse("wagtailusers_users:index"))


def invites_editors(client, world):
    return opens(client, reverse("baltmet_invite_editor"))


def changes_site_settings(client, world):
    site = Site.objects.get(is_default_site=True)
    return opens(client, reverse("wagtailsettings:edit", args=["baltmet", "sitesettings", site.pk]))


def edits_own_organisation(client, world):
    return opens(client, reverse("wagtailadmin_pages:edit", args=[world.riga.pk]))


def edits_another_organisation(client, world):
    return opens(client, reverse("wagtailadmin_pages:edit", args=[world.helsinki.pk]))


def keeps_the_action_plan_and_projects(client, world):
    from baltmet.actionplan.factories import ActionFactory
    from baltmet.projects.factories import RelatedProjectFactory

    action, project = ActionFactory(), RelatedProjectFactory()
    plan = opens(client, reverse("wagtailsnippets_actionplan_action:edit", args=[action.pk]))
    projects = opens(
        client, reverse("wagtailsnippets_projects_relatedproject:edit", args=[project.pk])
    )
    assert plan == projects, "the Action Plan and the projects are kept by the same roles"
    return plan


def keeps_the_benchmark(client, world):
    from baltmet.benchmark.factories import CriterionFactory, ScienceParkFactory

    criterion, park = CriterionFactory(), ScienceParkFactory()
    criteria = opens(
        client, reverse("wagtailsnippets_benchmark_criterion:edit", args=[criterion.pk])
    )
    parks = opens(client, reverse("wagtailsnippets_benchmark_sciencepark:edit", args=[park.pk]))
    assert criteria == parks, "the criteria and the parks are kept by the same roles"
    return parks


def imports_open_data(client, world):
    return opens(client, reverse("opendata_import"))


def reads_own_organisations_messages(client, world):
    from baltmet.contact.factories import ContactMessageFactory

    message = ContactMessageFactory(organisation=world.riga)
    return opens(client, reverse("contact_messages:inspect", args=[message.pk]))


def reads_another_organisations_messages(client, world):
    from baltmet.contact.factories import ContactMessageFactory

    message = ContactMessageFactory(organisation=world.helsinki)
    return opens(client, reverse("contact_messages:inspect", args=[message.pk]))


def reads_messages_to_the_network(client, world):
    from baltmet.contact.factories import ContactMessageFactory

    message = ContactMessageFactory(organisation=None)
    return opens(client, reverse("contact_messages:inspect", args=[message.pk]))


def registration_for(organisation):
    from events.factories import EventPageFactory
    from events.models import Registration

    event = EventPageFactory(organising_partners=[organisation])
    return Registration.objects.create(event=event, name="Anna", email="anna@example.org")


def reads_own_events_registrations(client, world):
    registration = registration_for(world.riga)
    url = reverse("event_registrations:inspect", args=[registration.pk])
    return opens(client, url) and opens(
        client, reverse("event_registrations:index") + "?export=csv"
    )


def reads_another_organisations_registrations(client, world):
    registration = registration_for(world.helsinki)
    return opens(client, reverse("event_registrations:inspect", args=[registration.pk]))


def sends_newsletter_digests(client, world):
    from baltmet.newsletter.models import Digest

    digest = Digest.objects.create(subject="Digest")
    client.post(reverse("newsletter_send_digest", args=[digest.pk]))
    digest.refresh_from_db()
    previews = opens(client, reverse("newsletter_digests:inspect", args=[digest.pk]))
    assert previews == (digest.queued_at is not None), "those who preview send"
    return previews


def adds_news_and_events(client, world):
    news = reverse("wagtailadmin_pages:add", args=["news", "newspage", world.news_index.pk])
    event = reverse("wagtailadmin_pages:add", args=["events", "eventpage", world.events_index.pk])
    may_add_news, may_add_event = opens(client, news), opens(client, event)
    assert may_add_news == may_add_event, "news and events go together in the table"
    return may_add_news


def publishes_without_moderation(client, world):
    page = create_news(client, world, "Published at once", **{"action-publish": "publish"})
    return page is not None and page.live


def submitted_by_the_other_partner(world) -> NewsPage:
    other = Client()
    log_in(other, world.other_editor)
    return create_news(other, world, "From Helsinki", **{"action-submit": "submit"})


def decides_on_submissions(client, world):
    page = submitted_by_the_other_partner(world)
    task_state = page.current_workflow_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    reject = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    may_approve, may_reject = opens(client, approve), opens(client, reject)
    assert may_approve == may_reject
    return may_approve


def sees_other_partners_drafts(client, world):
    other = Client()
    log_in(other, world.other_editor)
    draft = create_news(other, world, "A Helsinki draft")
    listing = client.get(reverse("wagtailadmin_explore", args=[world.news_index.pk]))
    return opens(client, reverse("wagtailadmin_pages:edit", args=[draft.pk])) or (
        draft.title in listing.content.decode()
    )


def sees_site_history(client, world):
    return opens(client, reverse("wagtailadmin_reports:site_history"))


def uploads_to_own_collection(client, world):
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Riga's photo",
            "file": png(),
            "collection": world.riga.access.collection.pk,
            "description": "The Riga waterfront",
        },
    )
    return (
        get_image_model()
        .objects.filter(title="Riga's photo", collection=world.riga.access.collection)
        .exists()
    )


CAPABILITIES = {
    "manage users and groups": manages_users,
    "invite an editor for an organisation": invites_editors,
    "change the site settings (footer, contact)": changes_site_settings,
    "edit their organisation's page": edits_own_organisation,
    "edit another organisation's page": edits_another_organisation,
    "add news and events": adds_news_and_events,
    "publish without moderation": publishes_without_moderation,
    "approve or request changes on what is submitted": decides_on_submissions,
    "see another partner's drafts": sees_other_partners_drafts,
    "see the site history": sees_site_history,
    "upload images to their organisation's collection": uploads_to_own_collection,
    "keep the Action Plan and the related projects": keeps_the_action_plan_and_projects,
    "keep the science-park benchmark": keeps_the_benchmark,
    "import organisations and events (open data)": imports_open_data,
    "read the contact messages to their organisation": reads_own_organisations_messages,
    "read the contact messages to another organisation": reads_another_organisations_messages,
    "read the contact messages to the network": reads_messages_to_the_network,
    "read and export who registered for their organisation's events": (
        reads_own_events_registrations
    ),
    "read who registered for another organisation's events": (
        reads_another_organisations_registrations
    ),
    "review and send the newsletter digests": sends_newsletter_digests,
}


def test_every_row_of_the_table_is_tried():
    assert set(roles_table()) == set(CAPABILITIES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("capability", CAPABILITIES)
def test_each_role_may_do_what_the_readme_says(world, role, capability):
    client = Client()
    log_in(client, getattr(world, ROLES[role]))

    may = CAPABILITIES[capability](client, world)

    said = roles_table()[capability][role]
    assert may == said, f"README says a {role} {'may' if said else 'may not'} {capability}"


def test_the_table_is_about_the_roles_that_exist():
    header = [cell.strip() for cell in TABLE_HEADER.strip("|").split("|")]
    assert header[1:] == list(ROLES)
    assert re.search(
        r"\| Partner editor \| `Editors: <organisation>`", (ROOT / "README.md").read_text()
    )
