"""A partner translates their organisation's page, the moderators approve it, it is live; a
partner cannot translate what they may not edit, nor publish a translation themselves."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from partners.models import OrganisationPage
from tests.helpers import log_in

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def translate(client, page, language: str):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    return client.post(url, {"locales": [Locale.objects.get(language_code=language).pk]})


def latvian_riga(world) -> OrganisationPage:
    return world.riga.get_translation(Locale.objects.get(language_code="lv")).specific


def translate_title(page, text: str, language: str) -> None:
    """What the editor types in wagtail-localize's editor for the title's string."""
    locale = Locale.objects.get(language_code=language)
    translation = Translation.objects.get(source__object_id=page.translation_key)
    segment = StringSegment.objects.get(source=translation.source, context__path="title")
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=locale,
        context=segment.context,
        data=text,
    )
    return translation


def test_partner_translates_own_page_and_moderators_approve(
    world, django_capture_on_commit_callbacks
):
    editor = client_for(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = translate(editor, world.riga, "lv")
    assert response.status_code == 302
    riga_lv = latvian_riga(world)
    assert not riga_lv.live, "a translation starts as a draft"
    # Its parents became aliases in the Latvian tree; the page is the partner's to edit.
    assert riga_lv.get_parent().alias_of_id is not None
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[riga_lv.pk])).status_code == 200

    translation = translate_title(world.riga, "Rīgas pilsēta", "lv")
    submit = reverse("submit_translation_for_moderation", args=[translation.pk])
    assert editor.post(submit).status_code == 302
    riga_lv = latvian_riga(world)
    assert riga_lv.workflow_in_progress and not riga_lv.live

    visitor = Client()
    assert "Rīgas pilsēta" not in visitor.get(f"/lv{world.riga.url}").content.decode()

    moderator = client_for(world.moderator)
    task_state = riga_lv.current_workflow_task_state
    approve = f"/admin/pages/workflow/action/{riga_lv.pk}/approve/{task_state.pk}/"
    assert moderator.post(approve, {"comment": ""}).status_code in (200, 302)

    riga_lv = latvian_riga(world)
    assert riga_lv.live and riga_lv.title == "Rīgas pilsēta"
    page = visitor.get(riga_lv.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="lv">' in html and "Rīgas pilsēta" in html
    english = visitor.get(world.riga.url).content.decode()
    assert f'hreflang="lv" href="http://localhost{riga_lv.url}"' in english
    assert f'hreflang="en" href="http://localhost{world.riga.url}"' in html


def test_partner_cannot_translate_another_organisation(world):
    editor = client_for(world.editor)
    assert translate(editor, world.helsinki, "lv").status_code == 403
    assert not OrganisationPage.objects.filter(locale__language_code="lv").exists()


def test_partner_cannot_publish_through_sync(world, django_capture_on_commit_callbacks):
    editor = client_for(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate(editor, world.riga, "lv")
    translation = Translation.objects.get(source__object_id=world.riga.translation_key)
    sync = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    response = editor.post(sync, {"publish_translations": "on"})
    assert response.status_code == 403
    assert not latvian_riga(world).live


def test_submitting_needs_the_right_to_edit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        translate(client_for(world.editor), world.riga, "lv")
    translation = Translation.objects.get(source__object_id=world.riga.translation_key)
    other = client_for(world.other_editor)
    response = other.post(reverse("submit_translation_for_moderation", args=[translation.pk]))
    # Wagtail's admin turns a refusal into its dashboard with a message.
    assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    assert not latvian_riga(world).workflow_in_progress


def test_news_translation_is_its_authors(world, django_capture_on_commit_callbacks):
    """The Latvian news section gets the partners' right to add; the translation of an
    editor's news keeps them as its owner, so they may edit it."""
    from tests.helpers import create_news

    editor = client_for(world.editor)
    news = create_news(editor, world, "Innovation week")
    news = Page.objects.get(pk=news.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert translate(editor, news, "lv").status_code == 302
    news_lv = news.get_translation(Locale.objects.get(language_code="lv"))
    assert news_lv.owner == world.editor
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[news_lv.pk])).status_code == 200
    other = client_for(world.other_editor)
    assert other.get(reverse("wagtailadmin_pages:edit", args=[news_lv.pk])).status_code in (
        302,
        403,
        404,
    )


def test_only_a_publisher_may_convert_a_translation_back_to_an_alias(
    world, django_capture_on_commit_callbacks
):
    """Converting replaces the translation's content with the English original's, at once:
    partners may not, a moderator may. wagtail-localize's editor links the action for all;
    once a translation is no longer synced, Wagtail's own editor offers it only to those who
    may publish (wagtail_hooks)."""
    editor = client_for(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate(editor, world.riga, "lv")
    riga_lv = latvian_riga(world)
    convert = reverse("wagtail_localize:convert_to_alias", args=[riga_lv.pk])

    for method in (editor.get, editor.post):
        # Wagtail's admin turns a refusal into its dashboard with a message.
        response = method(convert)
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    assert latvian_riga(world).alias_of_id is None

    Translation.objects.filter(source__object_id=world.riga.translation_key).update(enabled=False)
    edit = reverse("wagtailadmin_pages:edit", args=[riga_lv.pk])
    moderator = client_for(world.moderator)
    assert 'name="localize-convert-to-alias"' not in editor.get(edit).content.decode()
    assert 'name="localize-convert-to-alias"' in moderator.get(edit).content.decode()

    assert moderator.get(convert).status_code == 200
    assert moderator.post(convert).status_code == 302
    assert latvian_riga(world).alias_of_id == world.riga.pk
