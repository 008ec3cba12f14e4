"""Demo accounts for development: one per role, with passwords generated on first run."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baltmet.roles.groups import MODERATORS, set_up_moderation, set_up_organisation_editors
from partners.models import OrganisationPage


class Command(BaseCommand):
    help = (
        "Create one demo account per role (administrator, moderator, editor of the City of Riga) "
        "for local development. Refuses to run unless DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG or not settings.DEMO_ACCOUNTS_FILE:
            raise CommandError("Demo accounts are for development only; DEBUG is off here.")
        self.credentials_file = Path(settings.DEMO_ACCOUNTS_FILE)
        if not OrganisationPage.objects.filter(slug="city-of-riga").exists():
            raise CommandError("Load the seed content first: manage.py load_seed_content")
        with transaction.atomic():
            set_up_moderation()
            accounts = [
                ("admin", "Administrator", {"is_superuser": True, "is_staff": True}, None),
                ("moderator", "Moderator", {}, Group.objects.get(name=MODERATORS)),
                ("riga-editor", "Editor, City of Riga", {}, self.riga_editors_group()),
            ]
            created = [self.ensure_user(*account) for account in accounts]
        if any(created):
            self.stdout.write(f"New demo passwords were written to {self.credentials_file}")
        self.stdout.write(
            self.credentials_file.read_text() if self.credentials_file.exists() else ""
        )

    def riga_editors_group(self) -> Group:
        """The City of Riga's editors' group (see baltmet.roles.groups)."""
        riga = OrganisationPage.objects.get(slug="city-of-riga")
        access, _ = set_up_organisation_editors(riga)
        return access.group

    def ensure_user(self, username, role, flags, group) -> bool:
        """Create the account, or give it a new password if its password was not kept."""
        known = self.credentials_file.read_text() if self.credentials_file.exists() else ""
        if f" username: {username} " in known:
            return False
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.update_or_create(
            username=username, defaults={"email": f"{username}@example.org", **flags}
        )
        user.set_password(password)
        user.save()
        if group is not None:
            user.groups.add(group)
        self.credentials_file.parent.mkdir(parents=True, exist_ok=True)
        with self.credentials_file.open("a") as credentials:
            credentials.write(f"{role:<22} username: {username:<12} password: {password}\n")
        self.credentials_file.chmod(0o600)
        return True
