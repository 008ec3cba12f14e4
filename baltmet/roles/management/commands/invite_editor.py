"""Add an editor to a partner organisation and invite them to set a password."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from baltmet.roles.invitations import invite_editor
from partners.models import OrganisationPage


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

        _, created = invite_editor(page, email, first_name, last_name)
        verb = "Invited" if created else "Added the existing account"
        self.stdout.write(self.style.SUCCESS(f"{verb} {email} to {page.access.group.name}."))
