"""Admin actions that would break a work package are refused with a message, not a 500."""

import pytest
from wagtail.models import Page

from partners.factories import OrganisationPageFactory
from partners.models import OrganisationPage
from tests.helpers import log_in
from workpackages.factories import WorkPackagePageFactory


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="a-long-password-1")
    log_in(client, admin)
    return client


@pytest.fixture
def leader(site_tree, organisation):
    WorkPackagePageFactory(
        parent=site_tree.work_packages, number=3, title="Clusters", lead_organisation=organisation
    )
    return organisation


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_responsible_partner_is_refused_with_a_message(admin_client, leader, method):
    response = getattr(admin_client, method)(f"/admin/pages/{leader.pk}/delete/", follow=True)

    assert response.status_code == 200
    assert OrganisationPage.objects.filter(pk=leader.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Work package 3 (Clusters)" in m and "cannot be deleted" in m for m in messages)


def test_deleting_the_metropolis_above_it_is_refused_too(admin_client, leader):
    metropolis = leader.get_parent()

    admin_client.post(f"/admin/pages/{metropolis.pk}/delete/")

    assert Page.objects.filter(pk=metropolis.pk).exists()


def test_bulk_delete_is_refused(admin_client, leader):
    metropolis = leader.get_parent()
    url = f"/admin/bulk/wagtailcore/page/delete/?id={leader.pk}&childOf={metropolis.pk}"

    response = admin_client.post(url, follow=True)

    assert response.status_code == 200
    assert OrganisationPage.objects.filter(pk=leader.pk).exists()


def test_an_organisation_leading_nothing_can_be_deleted(admin_client, leader):
    other = OrganisationPageFactory(parent=leader.get_parent())

    response = admin_client.post(f"/admin/pages/{other.pk}/delete/")

    assert response.status_code == 302
    assert not OrganisationPage.objects.filter(pk=other.pk).exists()


def test_bulk_delete_of_an_organisation_leading_nothing_goes_through(admin_client, leader):
    metropolis = leader.get_parent()
    other = OrganisationPageFactory(parent=metropolis)
    url = f"/admin/bulk/wagtailcore/page/delete/?id={other.pk}&childOf={metropolis.pk}"

    admin_client.post(url)

    assert not OrganisationPage.objects.filter(pk=other.pk).exists()


def test_copying_a_work_package_is_refused_with_a_message(admin_client, site_tree, leader):
    work_package = site_tree.work_packages.get_children().get().specific
    url = f"/admin/pages/{work_package.pk}/copy/"

    response = admin_client.post(
        url,
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": site_tree.work_packages.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert site_tree.work_packages.get_children().count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("cannot be copied" in m for m in messages)


def test_copying_an_event_still_works(admin_client, site_tree):
    from events.factories import EventPageFactory

    event = EventPageFactory(parent=site_tree.events, slug="original")

    admin_client.post(
        f"/admin/pages/{event.pk}/copy/",
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": site_tree.events.pk},
    )

    assert sorted(p.slug for p in site_tree.events.get_children()) == ["copy", "original"]
