from pathlib import Path

import django
import wagtail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from baltmet.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal: checks every file against the manifest, "
        "then replaces the database and puts the media files back."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder (with manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already has pages (they are lost)",
        )

    def handle(self, *args, source: str, force: bool, **options):
        backup.require_postgresql()
        folder = Path(source)
        manifest = backup.read_manifest(folder)
        if backup.database_has_pages() and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']!r} already has pages. "
                "Restoring replaces everything in it: run again with --force if that is "
                "what you want, or restore into an empty database."
            )
        self.warn_about_versions(manifest.get("versions", {}))

        backup.restore_database(folder / backup.DATABASE_FILE)
        media_root = backup.local_media_root()
        media_files = 0
        if backup.MEDIA_FILE in manifest["files"]:
            if media_root is not None:
                media_files = backup.extract_media(folder / backup.MEDIA_FILE, media_root)
            else:
                self.stderr.write(
                    self.style.WARNING(
                        f"Media are stored in S3 here: copy the files in {backup.MEDIA_FILE} "
                        "to the bucket yourself."
                    )
                )

        made = manifest.get("created", "at an unknown time")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder} (made {made}): the database and {media_files} media files."
            )
        )
        self.report_migrations()
        self.stdout.write(
            "Pages cached before the restore may still be served: run `manage.py clear_page_cache`."
        )

    def warn_about_versions(self, versions: dict) -> None:
        here = {"django": django.get_version(), "wagtail": wagtail.__version__}
        for name, version in here.items():
            if versions.get(name) != version:
                self.stderr.write(
                    self.style.WARNING(
                        f"The backup was made with {name} {versions.get(name)}; "
                        f"this is {name} {version}."
                    )
                )

    def report_migrations(self) -> None:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"The code has {len(pending)} migrations the backup has not: run "
                "`manage.py migrate` now."
            )
        loader = executor.loader
        unknown = {
            key
            for key in loader.applied_migrations
            if key[0] in loader.migrated_apps and key not in loader.disk_migrations
        }
        if unknown:
            self.stderr.write(
                self.style.WARNING(
                    f"The backup has {len(unknown)} migrations this code does not know "
                    "(it was made by a newer version): update the code before serving it."
                )
            )
