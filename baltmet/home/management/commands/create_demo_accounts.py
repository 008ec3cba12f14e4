"""Demo accounts for development: one per role, with passwords generated on first run."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import GroupPagePermission

from events.models import EventIndexPage
from news.models import NewsIndexPage
from partners.models import OrganisationPage

RIGA_EDITORS = "Editors: City of Riga"


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
            riga_editors = self.riga_editors_group()
            accounts = [
                ("admin", "Administrator", {"is_superuser": True, "is_staff": True}, None),
                ("moderator", "Moderator", {}, Group.objects.get(name="Moderators")),
                ("riga-editor", "Editor, City of Riga", {}, riga_editors),
            ]
            created = [self.ensure_user(*account) for account in accounts]
        if any(created):
            self.stdout.write(f"New demo passwords were written to {self.credentials_file}")
        self.stdout.write(
            self.credentials_file.read_text() if self.credentials_file.exists() else ""
        )

    def riga_editors_group(self) -> Group:
        """Edit the City of Riga's page; draft news and events (publishing needs a moderator)."""
        group, _ = Group.objects.get_or_create(name=RIGA_EDITORS)
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        grants = [
            (OrganisationPage.objects.get(slug="city-of-riga"), ["change_page"]),
            (NewsIndexPage.objects.first(), ["add_page"]),
            (EventIndexPage.objects.first(), ["add_page"]),
        ]
        for page, codenames in grants:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        return group

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
