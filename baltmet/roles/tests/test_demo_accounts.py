"""Demo accounts exist in development only, one per role, with passwords kept out of git."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import GroupPagePermission

from baltmet.seeding.loader import load_seed_content

pytestmark = pytest.mark.django_db


def test_refused_when_debug_is_off(settings, tmp_path):
    settings.DEBUG = False
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "accounts.txt"

    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")

    assert not get_user_model().objects.exists()
    assert not (tmp_path / "accounts.txt").exists()


def test_refused_before_the_seed_content_exists(settings, tmp_path):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "accounts.txt"

    with pytest.raises(CommandError, match="load_seed_content"):
        call_command("create_demo_accounts")


def test_one_account_per_role_and_a_second_run_keeps_them(settings, tmp_path, client):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS_FILE = credentials = tmp_path / "accounts.txt"
    load_seed_content()

    call_command("create_demo_accounts", stdout=StringIO())
    first = credentials.read_text()
    call_command("create_demo_accounts", stdout=StringIO())

    assert credentials.read_text() == first
    assert oct(credentials.stat().st_mode & 0o777) == "0o600"
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert set(users) == {"admin", "moderator", "riga-editor"}
    assert users["admin"].is_superuser
    assert [g.name for g in users["moderator"].groups.all()] == ["Moderators"]
    assert [g.name for g in users["riga-editor"].groups.all()] == ["Editors: City of Riga"]
    riga_pages = GroupPagePermission.objects.filter(group__name="Editors: City of Riga")
    assert {p.page.slug for p in riga_pages} == {"city-of-riga", "news", "events"}
    # The printed password logs the editor in to the admin.
    line = next(line for line in first.splitlines() if "riga-editor" in line)
    password = line.split("password: ")[1].strip()
    assert client.login(username="riga-editor", password=password)
    assert client.get("/admin/").status_code == 200
