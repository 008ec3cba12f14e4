from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baltmet.ops import backup


class Command(BaseCommand):
    help = (
        "Back up the portal into a new folder: the PostgreSQL database (pg_dump), the media "
        "files and a manifest with checksums. Restore it with restore_portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new or empty folder for this backup")

    def handle(self, *args, destination: str, **options):
        backup.require_postgresql()
        folder = Path(destination)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommandError(f"{folder} is not an empty folder: give each backup its own.")
        folder.mkdir(parents=True, exist_ok=True)

        backup.dump_database(folder / backup.DATABASE_FILE)
        media_root = backup.local_media_root()
        media_files = None
        if media_root is not None:
            media_files = backup.archive_media(media_root, folder / backup.MEDIA_FILE)
        else:
            self.stderr.write(
                self.style.WARNING(
                    "Media are not stored on this machine (S3): back up the bucket separately."
                )
            )
        manifest = backup.write_manifest(folder, media_files)

        migrations = sum(len(names) for names in manifest["migrations"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {folder}: database ({migrations} migrations applied), "
                f"{media_files if media_files is not None else 'no'} media files."
            )
        )
