from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baltmet.opendata.importers import IMPORTERS, UnreadableFile


class Command(BaseCommand):
    help = (
        "Import partner organisations or events from a CSV file in the columns of their export "
        "(/data/organisations.csv, /data/events.csv). All or nothing: a file with any error "
        "changes nothing, and every error is listed. --dry-run reports what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(IMPORTERS), help="What the file holds.")
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing."
        )

    def handle(self, *args, dataset: str, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = IMPORTERS[dataset]().run(data, dry_run=dry_run)
        except UnreadableFile as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        for row in report.rows:
            if row.errors:
                for error in row.errors:
                    self.stdout.write(f"  line {row.line} ({row.title or 'no title'}): {error}")
            elif options["verbosity"] >= 1:
                self.stdout.write(f"  line {row.line}: {row.action:<9} {row.title}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} error(s): nothing was changed. {report.summary()}"
            )
        prefix = "Dry run, nothing was changed: " if dry_run else "Imported: "
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
