"""Data safety: backup_portal and restore_portal, and media in an S3 bucket in production.

pg_dump and pg_restore see only committed data, so these tests commit (transaction=True);
the serialized rollback puts back what migrations created for the tests after them.
"""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage
from wagtail.models import Page, Revision

from baltmet.models import CustomDocument, CustomImage, StandardPage

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-password-1"
PDF = b"%PDF-1.4\n% A report of the network\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Real files on disk: the test settings keep media in memory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


@pytest.fixture
def content_type_cache_in_step():
    """Restoring replaces the content types under this process. The serialized rollback
    after a test re-creates pages, and the search index handlers it sets off look their
    content types up: from the cache, or else they would create rows of their own that
    collide with the ones the rollback brings back. So the cache ends the test full and
    right (the restored ids are the ones the rollback restores)."""
    yield
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def snapshot() -> dict:
    return {
        "pages": sorted(Page.objects.values_list("id", "title", "live", "url_path")),
        "revisions": sorted(Revision.objects.values_list("id", "object_id", "created_at")),
        "users": sorted(get_user_model().objects.values_list("username", "email", "password")),
        "images": sorted(CustomImage.objects.values_list("title", "file", "description")),
        "documents": sorted(CustomDocument.objects.values_list("title", "file")),
    }


def backup(folder: Path) -> dict:
    call_command("backup_portal", str(folder), verbosity=0)
    return json.loads((folder / "manifest.json").read_text())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wiped_portal_comes_back_whole_from_its_backup(
    media_root, tmp_path, content_type_cache_in_step
):
    call_command("load_seed_content", verbosity=0)
    get_user_model().objects.create_user("carol", email="carol@example.org", password=PASSWORD)
    image = CustomImage.objects.create(
        title="Harbour at dusk",
        description="Cranes in the harbour at dusk",
        file=ImageFile(io.BytesIO(png_bytes()), name="harbour.png"),
    )
    document = CustomDocument.objects.create(
        title="Annual report", file=ContentFile(PDF, name="annual-report.pdf")
    )
    page = StandardPage.objects.live().first()
    page.title = "A draft title, not yet published"
    page.save_revision()
    before = snapshot()
    assert len(before["pages"]) > 20

    manifest = backup(tmp_path / "backup")

    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}
    for name, file in manifest["files"].items():
        content = (tmp_path / "backup" / name).read_bytes()
        assert file["sha256"] == hashlib.sha256(content).hexdigest()
    assert manifest["media_files"] == 2
    assert manifest["versions"]["django"].startswith("5.2")
    assert manifest["versions"]["wagtail"] == "8.0.1"
    assert "0001_user" in manifest["migrations"]["baltmet"]
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o700
    for name in ("manifest.json", "database.dump", "media.tar.gz"):
        assert (tmp_path / "backup" / name).stat().st_mode & 0o777 == 0o600

    # Everything is lost: every table emptied, every file deleted.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    assert Page.objects.count() == 0

    call_command("restore_portal", str(tmp_path / "backup"), verbosity=0)

    assert snapshot() == before
    assert get_user_model().objects.get(username="carol").check_password(PASSWORD)
    with CustomImage.objects.get(pk=image.pk).file.open("rb") as file:
        assert file.read() == png_bytes()
    with CustomDocument.objects.get(pk=document.pk).file.open("rb") as file:
        assert file.read() == PDF
    latest = StandardPage.objects.get(pk=page.pk).get_latest_revision()
    assert latest.content["title"] == "A draft title, not yet published"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restoring_over_pages_needs_force(
    media_root, tmp_path, site_tree, content_type_cache_in_step
):
    backup(tmp_path / "backup")
    before = snapshot()
    site_tree.news.delete()
    get_user_model().objects.create_user("mallory", password=PASSWORD)

    with pytest.raises(CommandError, match=r"already has pages.*run again with --force"):
        call_command("restore_portal", str(tmp_path / "backup"))
    assert get_user_model().objects.filter(username="mallory").exists()

    call_command("restore_portal", str(tmp_path / "backup"), force=True, verbosity=0)

    assert snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_changed_backup_is_refused_and_nothing_is_restored(media_root, tmp_path, site_tree):
    backup(tmp_path / "backup")
    dump = tmp_path / "backup" / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    get_user_model().objects.create_user("after-the-backup", password=PASSWORD)

    with pytest.raises(CommandError, match=re.escape("database.dump does not match its checksum")):
        call_command("restore_portal", str(tmp_path / "backup"), force=True)
    assert get_user_model().objects.filter(username="after-the-backup").exists()


@pytest.mark.django_db
def test_a_folder_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match=re.escape("manifest.json does not exist")):
        call_command("restore_portal", str(tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "manifest", ["not json", "[]", '{"format": 1}', '{"format": 1, "files": {"a": 1}}']
)
def test_a_broken_manifest_is_refused(tmp_path, manifest):
    (tmp_path / "manifest.json").write_text(manifest)

    with pytest.raises(CommandError, match="is not a valid manifest"):
        call_command("restore_portal", str(tmp_path))


@pytest.mark.django_db
def test_a_backup_file_missing_from_its_folder_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format": 1, "files": {"database.dump": {"sha256": "0" * 64}}})
    )

    with pytest.raises(CommandError, match=re.escape("database.dump is missing from the backup")):
        call_command("restore_portal", str(tmp_path))


@pytest.mark.django_db
def test_a_backup_never_overwrites_another(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")

    with pytest.raises(CommandError, match="is not an empty folder"):
        call_command("backup_portal", str(tmp_path))


@pytest.mark.parametrize("command", ["backup_portal", "restore_portal"])
def test_sqlite_is_refused_with_a_clear_message(tmp_path, command):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="baltmet.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", command, str(tmp_path / "backup")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Backups need PostgreSQL (pg_dump and pg_restore); this database is sqlite" in (
        result.stderr
    )


# Media in an S3-compatible bucket (production settings)

PRINT_STORAGE = """
import json
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "default": settings.STORAGES["default"],
    "class": type(default_storage._wrapped if default_storage._wrapped else default_storage)
        .__name__,
    "url": default_storage.url("images/harbour.png"),
}))
"""


def production_shell(**environment) -> dict:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="baltmet.settings.production",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY="k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
        **environment,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_STORAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_media_on_disk_without_a_bucket():
    storage = production_shell()

    assert storage["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage["url"] == "/media/images/harbour.png"


def test_production_stores_media_in_the_named_bucket():
    storage = production_shell(
        AWS_STORAGE_BUCKET_NAME="baltmet-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="eu-north-1",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )

    assert storage["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "baltmet-media",
            "endpoint_url": "https://s3.example.org",
            "region_name": "eu-north-1",
            "custom_domain": "media.example.org",
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    assert storage["class"] == "S3Storage"
    # Public media: a plain address, no signature in a query string.
    assert storage["url"] == "https://media.example.org/images/harbour.png"


def test_production_media_urls_point_into_the_bucket_without_a_custom_domain():
    storage = production_shell(
        AWS_STORAGE_BUCKET_NAME="baltmet-media", AWS_S3_ENDPOINT_URL="https://s3.example.org"
    )

    assert storage["default"]["OPTIONS"]["custom_domain"] is None
    assert storage["url"] == "https://s3.example.org/baltmet-media/images/harbour.png"
