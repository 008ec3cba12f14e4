"""Who reads the contact messages: each organisation's editors read the messages written to
their organisation; moderators read those written to the network; administrators read all.
Messages are read and deleted, never added or changed, in the admin."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baltmet.contact.models import ContactMessage
from baltmet.roles.groups import MODERATORS


def readable_messages(user) -> QuerySet[ContactMessage]:
    if not (user.is_authenticated and user.is_active):
        return ContactMessage.objects.none()
    if user.is_superuser:
        return ContactMessage.objects.all()
    groups = user.groups.all()
    readable = Q(organisation__access__group__in=groups)
    if user.groups.filter(name=MODERATORS).exists():
        readable |= Q(organisation__isnull=True)
    return ContactMessage.objects.filter(readable)


def reads_messages(user) -> bool:
    """Whether the user may read any message: an administrator, a moderator, or an editor of
    an organisation (whether or not a message has come yet)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or user.groups.filter(Q(name=MODERATORS) | Q(partner_access__isnull=False)).exists()
    )
