"""No partner group reaches another partner's pages, drafts, documents or collections.

Every partner organisation (Riga and Helsinki from the `world` fixture, and a third set up as
`set_up_roles` would) gets an editor and, through the admin, a news draft and an unpublished
change to its organisation page, plus a document and an image in its own collection. Then,
for every ordered pair of organisations, the one's editor tries the other's work through the
admin: every attempt must fail, while the owner's own attempts succeed.
"""

from dataclasses import dataclass
from itertools import permutations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Revision

from baltmet.factories import DocumentFactory, ImageFactory
from baltmet.roles.groups import set_up_organisation_editors
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import PartnerAccess
from tests.helpers import create_news, log_in, organisation_form, png

pytestmark = pytest.mark.django_db


@dataclass
class Partner:
    access: PartnerAccess
    client: Client
    word: str  # in this partner's unpublished work only
    draft: Page
    document: object
    image: object

    @property
    def organisation(self):
        return self.access.organisation


@pytest.fixture
def partners(world, django_user_model) -> list[Partner]:
    partners_index = world.riga.get_parent().get_parent()
    tallinn = OrganisationPageFactory(
        parent=MetropolisPageFactory(parent=partners_index, title="Tallinn"),
        title="Tallinn Science Park",
    )
    set_up_organisation_editors(tallinn)
    found = []
    for number, access in enumerate(PartnerAccess.objects.select_related("organisation")):
        word = f"Unpublished{'ABCDEFGH'[number]}work"
        editor = django_user_model.objects.create_user(f"editor-{number}", password="x" * 16)
        editor.groups.add(access.group)
        client = Client()
        log_in(client, editor)
        draft = create_news(client, world, f"{word} news", intro=f"The {word} lead.")
        organisation = access.organisation
        client.post(f"/admin/pages/{organisation.pk}/edit/", organisation_form(organisation, word))
        organisation.refresh_from_db()
        assert word in organisation.get_latest_revision_as_object().intro
        found.append(
            Partner(
                access=access,
                client=client,
                word=word,
                draft=draft,
                document=DocumentFactory(title=f"{word} document", collection=access.collection),
                image=ImageFactory(title=f"{word} image", collection=access.collection),
            )
        )
    assert len(found) == 3
    return found


def pairs(partners):
    return list(permutations(partners, 2))


def assert_not_shown(response, owner: Partner):
    assert owner.word not in response.content.decode()


def revisions_of(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def upload(client, kind, collection, file):
    model = get_image_model() if kind == "images" else get_document_model()
    before = model.objects.filter(collection=collection).count()
    client.post(
        f"/admin/{kind}/multiple/add/",
        {"files[]": file, "collection": collection.pk},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    return model.objects.filter(collection=collection).count() > before


def test_no_partner_group_holds_a_permission_on_another_partners_pages_or_collections(
    partners,
):
    for owner, other in pairs(partners):
        group = other.access.group
        owner_pages = Page.objects.descendant_of(owner.organisation, inclusive=True)
        assert not GroupPagePermission.objects.filter(group=group, page__in=owner_pages).exists()
        owner_collections = owner.access.collection.get_descendants(inclusive=True)
        assert not GroupCollectionPermission.objects.filter(
            group=group, collection__in=owner_collections
        ).exists()


def test_no_partner_reaches_another_partners_pages_or_drafts(partners, world):
    for owner, other in pairs(partners):
        client, organisation, draft = other.client, owner.organisation, owner.draft
        context = f"{other.organisation} -> {organisation}"

        # The organisation page: not editable, nor its unpublished change visible.
        before = revisions_of(organisation)
        client.post(f"/admin/pages/{organisation.pk}/edit/", organisation_form(organisation, "x"))
        assert revisions_of(organisation) == before, context
        for url in (
            f"/admin/pages/{organisation.pk}/",
            f"/admin/pages/{organisation.pk}/edit/",
            f"/admin/pages/{organisation.pk}/view_draft/",
            f"/admin/pages/{organisation.pk}/history/",
            f"/admin/pages/{organisation.pk}/revisions/compare/live...latest/",
        ):
            response = client.get(url)
            assert response.status_code == 302, (context, url)
            assert_not_shown(response, owner)
        # Outside the sections a partner may add to, Wagtail lets them explore nothing.
        assert client.get(f"/admin/api/main/pages/{organisation.pk}/").status_code == 404

        # The news draft: as if it did not exist.
        for url in (
            f"/admin/pages/{draft.pk}/",
            f"/admin/api/main/pages/{draft.pk}/",
            f"/admin/choose-page/{draft.pk}/",
        ):
            assert client.get(url).status_code == 404, (context, url)
        for url in (
            f"/admin/pages/{world.news_index.pk}/",
            f"/admin/pages/search/?q={owner.word}",
            f"/admin/api/main/pages/?child_of={world.news_index.pk}",
            f"/admin/api/main/pages/?search={owner.word}",
            f"/admin/choose-page/{world.news_index.pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, (context, url)
            assert f'"id": {draft.pk},' not in response.content.decode(), (context, url)
            if "search" not in url:  # a search page repeats the words searched for
                assert_not_shown(response, owner)

        # The owner does reach them.
        assert owner.client.get(f"/admin/pages/{draft.pk}/edit/").status_code == 200
        assert owner.client.get(f"/admin/api/main/pages/{organisation.pk}/").status_code == 200
        assert owner.client.get(f"/admin/pages/{organisation.pk}/").status_code == 200


@pytest.mark.parametrize("kind", ["documents", "images"])
def test_no_partner_reaches_another_partners_files_or_collections(partners, kind):
    for owner, other in pairs(partners):
        client = other.client
        item = owner.document if kind == "documents" else owner.image
        context = f"{other.organisation} -> {owner.organisation}"
        edit = (
            f"/admin/documents/edit/{item.pk}/"
            if kind == "documents"
            else f"/admin/images/{item.pk}/"
        )
        for url in (edit, f"/admin/{kind}/usage/{item.pk}/", f"/admin/{kind}/delete/{item.pk}/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), (context, url)
            assert_not_shown(response, owner)
        for url in (f"/admin/{kind}/", f"/admin/{kind}/chooser/", f"/admin/api/main/{kind}/"):
            response = client.get(url)
            assert response.status_code == 200, (context, url)
            assert_not_shown(response, owner)
        assert client.get(f"/admin/api/main/{kind}/{item.pk}/").status_code == 404, context

        collection = owner.access.collection
        for url in ("/admin/collections/", f"/admin/collections/{collection.pk}/"):
            assert client.get(url).status_code == 302, (context, url)
        file = png() if kind == "images" else SimpleUploadedFile("notes.txt", b"Plain notes.\n")
        assert not upload(client, kind, collection, file), context

        # The owner reaches their own.
        assert owner.client.get(edit).status_code == 200
        assert owner.word in owner.client.get(f"/admin/api/main/{kind}/").content.decode()
        own_file = png() if kind == "images" else SimpleUploadedFile("own.txt", b"Own notes.\n")
        assert upload(owner.client, kind, collection, own_file), context
