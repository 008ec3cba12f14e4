from django.core.management.base import BaseCommand

from baltmet.cache.signals import invalidate_everything


class Command(BaseCommand):
    help = (
        "Make every page in the page cache (and the reverse proxy, if PROXY_BAN_URL is set) "
        "stale, e.g. after the cache was unreachable while content changed."
    )

    def handle(self, *args, **options):
        invalidate_everything()
        self.stdout.write("Every cached page is stale now.")
