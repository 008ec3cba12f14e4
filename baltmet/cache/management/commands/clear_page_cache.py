from django.core.management.base import BaseCommand
from django.db import transaction

from baltmet.cache import generation


class Command(BaseCommand):
    help = (
        "Make every page in the page cache stale (and in the reverse proxy, if PROXY_BAN_URL "
        "is set). Changes do this by themselves; this is for a deployment that changed templates."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            generation.bump()
        self.stdout.write(f"Every cached page is stale now (generation {generation.current()}).")
