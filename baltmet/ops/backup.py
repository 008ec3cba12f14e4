"""Backups of the portal: the PostgreSQL database, the uploaded media and a manifest.

Used by `manage.py backup_portal` and `manage.py restore_portal`. A backup is a folder:

- `database.dump`: `pg_dump --format=custom` of the whole database;
- `media.tar.gz`: every file under the media folder (images, renditions, documents), when
  media are stored on this machine; a bucket (S3) is backed up by its own means;
- `manifest.json`: when and from what it was made (Django, Wagtail and PostgreSQL versions,
  the migrations applied) and the SHA-256 checksum of each file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.recorder import MigrationRecorder
from wagtail.models import Site

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FORMAT = 1


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise CommandError(
            f"Backups need PostgreSQL (pg_dump and pg_restore); this database is "
            f"{connection.vendor}. Copy the SQLite file and the media folder instead."
        )


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BINDIR, else PATH, else the newest Debian install.

    The tool must be at least as new as the server, or pg_dump refuses to run.
    """
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]) / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    candidates.extend(
        sorted(
            Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
            key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
            reverse=True,
        )
    )
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise CommandError(
        f"{name} was not found. Install the PostgreSQL client (Debian: apt-get install "
        f"postgresql-client) or set PG_BINDIR to the folder that holds it."
    )


def pg_environment() -> dict[str, str]:
    """The environment for pg_dump and pg_restore: where the database is, and how to log in.

    The password goes in PGPASSWORD, never on the command line where `ps` would show it.
    """
    settings = connection.settings_dict
    _, client_env = DatabaseClient.settings_to_cmd_args_env(settings, [])
    environment = {**os.environ, **(client_env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def run(command: list[str], action: str) -> None:
    result = subprocess.run(
        command, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{action} failed:\n{result.stderr.strip()}")


def dump_database(destination: Path) -> None:
    run(
        [
            pg_tool("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--file={destination}",
            f"--dbname={connection.settings_dict['NAME']}",
        ],
        "pg_dump",
    )


def restore_database(source: Path) -> None:
    # Our own connection might hold locks that DROP TABLE would wait for.
    connection.close()
    run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        "pg_restore",
    )
    # What this process remembers of the database it replaced (ids of content types, the
    # sites' root pages) is stale now.
    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()


def local_media_root() -> Path | None:
    """The media folder, or None when uploads live elsewhere (an S3 bucket)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def archive_media(root: Path, destination: Path) -> int:
    count = 0
    with tarfile.open(destination, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
    return count


def extract_media(source: Path, root: Path) -> int:
    """Puts the archived files back; files that are not in the backup are left alone."""
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        # The "data" filter refuses absolute paths, links and "..": nothing lands outside root.
        archive.extractall(root, members=members, filter="data")
    return len(members)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def write_manifest(folder: Path, media_files: int | None) -> dict:
    files = [DATABASE_FILE] + ([MEDIA_FILE] if media_files is not None else [])
    manifest = {
        "format": MANIFEST_FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "postgresql": server_version(),
        },
        "database": connection.settings_dict["NAME"],
        "media_files": media_files,
        "migrations": applied_migrations(),
        "files": {
            name: {"sha256": sha256(folder / name), "bytes": (folder / name).stat().st_size}
            for name in files
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    # Password hashes and e-mail addresses: for the owner's eyes only.
    folder.chmod(0o700)
    for path in folder.iterdir():
        path.chmod(0o600)
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, once every file it lists matches its checksum."""
    path = folder / MANIFEST
    if not path.is_file():
        raise CommandError(f"{path} does not exist: {folder} is not a backup of the portal.")
    try:
        manifest = json.loads(path.read_text())
        files = manifest["files"]
        format_ = manifest["format"]
        checksums = {name: file["sha256"] for name, file in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CommandError(f"{path} is not a valid manifest ({error!r}).") from error
    if format_ != MANIFEST_FORMAT or DATABASE_FILE not in files:
        raise CommandError(f"{path} is not a manifest this version of the portal can restore.")
    for name, checksum in checksums.items():
        file = folder / name
        if not file.is_file():
            raise CommandError(f"{file} is missing from the backup. Nothing was restored.")
        if sha256(file) != checksum:
            raise CommandError(
                f"{file} does not match its checksum in {MANIFEST}: the backup is damaged "
                f"or was changed. Nothing was restored."
            )
    return manifest


def database_has_pages() -> bool:
    """Whether the database holds any page of the portal (Wagtail's root and the welcome
    page that `migrate` makes are plain Pages and do not count)."""
    if "wagtailcore_page" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM wagtailcore_page page
                JOIN django_content_type type ON type.id = page.content_type_id
                WHERE NOT (type.app_label = 'wagtailcore' AND type.model = 'page')
            )
            """
        )
        return cursor.fetchone()[0]
