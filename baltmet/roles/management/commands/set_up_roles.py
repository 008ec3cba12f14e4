from django.core.management.base import BaseCommand

from baltmet.roles.groups import set_up_roles


class Command(BaseCommand):
    help = (
        "Create or update the editors' group and collection of every partner organisation and "
        "the moderation workflow on news, events and partner pages. Safe to run again."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(str(set_up_roles())))
