"""Inviting an editor for a partner organisation: the account, the group, the e-mail with a
one-time link to set a password, and an entry in the site history.

Used by the admin's "Invite an editor" form (views.py) and the `invite_editor` command.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.log_actions import log

from baltmet.roles.groups import set_up_organisation_editors
from partners.models import OrganisationPage

INVITE_ACTION = "baltmet.invite_editor"

INVITATION = """Hello{name},

you have been given an editor's account on the BaltMet Inno portal for {organisation}.

Set your password here (the link works once, for a limited time):
{link}

Then log in at {login} with the username {username}.
Pages and news you write are published after a moderator approves them.
"""


def invite_editor(
    organisation: OrganisationPage,
    email: str,
    first_name: str = "",
    last_name: str = "",
    invited_by=None,
):
    """Add the editor (a new account, username = e-mail, without a password, or an existing
    one) to the organisation's editors' group, and mail the invitation. Returns (user,
    created). The group is the organisation's own: an invitation never grants more."""
    email = email.strip().lower()
    with transaction.atomic():
        access, _ = set_up_organisation_editors(organisation)
        user, created = get_user_model().objects.get_or_create(
            username=email,
            defaults={"email": email, "first_name": first_name, "last_name": last_name},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(access.group)
        log(
            instance=user,
            action=INVITE_ACTION,
            user=invited_by,
            title=user.get_username(),
            data={"organisation": organisation.title, "group": access.group.name},
        )
    send_invitation(user, organisation)
    return user, created


def send_invitation(user, organisation: OrganisationPage) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", args=(uid, token))
    message = INVITATION.format(
        name=f" {user.first_name}" if user.first_name else "",
        organisation=organisation.title,
        link=f"{base}{path}",
        login=f"{base}{reverse('wagtailadmin_login')}",
        username=user.username,
    )
    send_mail(
        "Your editor's account on the BaltMet Inno portal",
        message,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
