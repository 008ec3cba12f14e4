from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baltmet.roles.groups import set_up_roles
from baltmet.seeding.loader import DEFAULT_SEED_FILE, SeedError, load_seed_content


class Command(BaseCommand):
    help = (
        "Load the portal's initial content from a YAML file. Safe to run again: it creates what "
        "is missing, updates what it wrote itself, and skips pages changed in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_SEED_FILE,
            help=f"The seed file to load (default: {DEFAULT_SEED_FILE.name} in the repository).",
        )

    def handle(self, *args, file: Path, verbosity: int, **options):
        self.stdout.write(f"Loading seed content from {file}")
        log = self.stdout.write if verbosity >= 1 else (lambda line: None)
        try:
            report = load_seed_content(file, log)
        except SeedError as error:
            raise CommandError(f"{error}\nNothing was changed.") from error
        if verbosity >= 2:
            for line in report.lines:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Seed content loaded: {report.summary()}."))
        self.stdout.write(f"Roles: {set_up_roles()}")
