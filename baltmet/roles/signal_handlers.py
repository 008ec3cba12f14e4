from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published

from baltmet.roles.groups import extend_roles_to_translation, set_up_organisation_editors
from partners.models import OrganisationPage


@receiver(page_published, sender=OrganisationPage)
def set_up_editors_of_published_organisation(sender, instance, **kwargs):
    """A new organisation gets its editors' group and collection when first published;
    later publications keep the group's and collection's names in step with its title.
    (A translation's publication sets up its original's, which covers the translation.)"""
    set_up_organisation_editors(instance)


@receiver(post_save)
def extend_roles_to_new_translation(sender, instance, created, raw=False, **kwargs):
    """A page created in another language than the default gets its original's roles."""
    if raw or not created or not isinstance(instance, Page):
        return
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        return
    page_id = instance.pk
    transaction.on_commit(
        lambda: extend_roles_to_translation(Page.objects.get(pk=page_id)), robust=True
    )
