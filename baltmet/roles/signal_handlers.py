from django.dispatch import receiver
from wagtail.signals import page_published

from baltmet.roles.groups import set_up_organisation_editors
from partners.models import OrganisationPage


@receiver(page_published, sender=OrganisationPage)
def set_up_editors_of_published_organisation(sender, instance, **kwargs):
    """A new organisation gets its editors' group and collection when first published;
    later publications keep the group's and collection's names in step with its title."""
    set_up_organisation_editors(instance)
