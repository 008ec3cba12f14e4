"""Add an editor to a partner organisation and invite them to set a password."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from baltmet.roles.groups import set_up_organisation_editors
from partners.models import OrganisationPage

INVITATION = """Hello{name},

you have been given an editor's account on the BaltMet Inno portal for {organisation}.

Set your password here (the link works once, for a limited time):
{link}

Then log in at {login} with the username {username}.
Pages and news you write are published after a moderator approves them.
"""


class Command(BaseCommand):
    help = (
        "Add an editor to a partner organisation's editors' group and send them (or, in "
        "development, print) an invitation to set their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation page's slug, e.g. city-of-riga")
        parser.add_argument("email", help="The editor's e-mail address; also their username")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, organisation, email, first_name, last_name, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"'{email}' is not a valid e-mail address.") from None
        page = OrganisationPage.objects.filter(slug=organisation).first()
        if page is None:
            known = ", ".join(
                OrganisationPage.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"No partner organisation '{organisation}'. Known: {known or 'none'}."
            )

        with transaction.atomic():
            access, _ = set_up_organisation_editors(page)
            user, created = get_user_model().objects.get_or_create(
                username=email,
                defaults={"email": email, "first_name": first_name, "last_name": last_name},
            )
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.add(access.group)

        self.send_invitation(user, page)
        verb = "Invited" if created else "Added the existing account"
        self.stdout.write(self.style.SUCCESS(f"{verb} {email} to {access.group.name}."))

    def send_invitation(self, user, organisation) -> None:
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
