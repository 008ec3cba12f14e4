"""Deletes the personal data past its retention period (baltmet/personal_data.py): run it
daily, e.g. from a systemd timer (README, "Contact, event registration and the newsletter")."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from baltmet.personal_data import registry


class Command(BaseCommand):
    help = (
        "Delete the forms' personal data older than the privacy notice says it is kept "
        "(contact messages, ...). --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted; delete nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        with transaction.atomic():
            for entry in registry():
                expired = entry.expired_records(now)
                count = expired.count()
                if not dry_run and count:
                    expired.delete()
                verb = "would be deleted" if dry_run else "deleted"
                self.stdout.write(f"{entry.form}: {count} {verb} (older than {entry.days_text()})")
