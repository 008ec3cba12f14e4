"""Who reads, exports and deletes contact messages in the admin, through real requests."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from baltmet.contact.factories import ContactMessageFactory
from baltmet.contact.models import ContactMessage
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

INDEX = "contact_messages:index"


@pytest.fixture
def messages(world):
    return {
        "riga": ContactMessageFactory(organisation=world.riga, subject="For Riga"),
        "helsinki": ContactMessageFactory(organisation=world.helsinki, subject="For Helsinki"),
        "network": ContactMessageFactory(organisation=None, subject="For the network"),
    }


def listed_subjects(client, user) -> set[str]:
    log_in(client, user)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    return {
        subject for subject in ("For Riga", "For Helsinki", "For the network") if subject in html
    }


def test_each_reads_the_messages_written_to_them(client, world, messages):
    assert listed_subjects(client, world.editor) == {"For Riga"}
    assert listed_subjects(client, world.other_editor) == {"For Helsinki"}
    assert listed_subjects(client, world.moderator) == {"For the network"}
    assert listed_subjects(client, world.administrator) == {
        "For Riga",
        "For Helsinki",
        "For the network",
    }


def test_a_message_to_another_organisation_cannot_be_read_or_deleted(client, world, messages):
    log_in(client, world.editor)
    other = messages["helsinki"]

    inspect = client.get(reverse("contact_messages:inspect", args=[other.pk]))
    delete = client.post(reverse("contact_messages:delete", args=[other.pk]))

    assert inspect.status_code == 404
    assert delete.status_code == 404
    assert ContactMessage.objects.filter(pk=other.pk).exists()


def test_an_editor_reads_and_deletes_their_organisations_message(client, world, messages):
    log_in(client, world.editor)
    own = messages["riga"]

    inspect = client.get(reverse("contact_messages:inspect", args=[own.pk]))
    assert inspect.status_code == 200
    assert own.message in inspect.content.decode()

    client.post(reverse("contact_messages:delete", args=[own.pk]))
    assert not ContactMessage.objects.filter(pk=own.pk).exists()


def test_nobody_adds_or_changes_a_message(client, world, messages):
    log_in(client, world.administrator)
    message = messages["network"]

    client.post(reverse("contact_messages:add"), {"subject": "Forged"})
    client.post(reverse("contact_messages:edit", args=[message.pk]), {"subject": "Changed"})

    assert not ContactMessage.objects.filter(subject="Forged").exists()
    message.refresh_from_db()
    assert message.subject == "For the network"


def test_the_menu_shows_messages_to_those_who_read_them(client, world, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="a-long-password-1")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, outsider)
    assert client.get(reverse(INDEX)).status_code in (302, 403)

    log_in(client, world.editor)
    assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_csv_export_has_only_their_messages_and_no_formulas(client, world, messages):
    ContactMessageFactory(organisation=world.riga, subject='=HYPERLINK("http://x")')
    log_in(client, world.editor)

    response = client.get(reverse(INDEX) + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response.status_code == 200
    assert {row["Subject"] for row in rows} == {"For Riga", '\'=HYPERLINK("http://x")'}
    assert {row["Written to"] for row in rows} == {world.riga.title}
    assert "E-mail address" in rows[0]


def test_the_retention_command_deletes_old_messages_only(world, settings):
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 30
    now = timezone.now()
    old = ContactMessageFactory(sent_at=now - timedelta(days=31))
    recent = ContactMessageFactory(sent_at=now - timedelta(days=29))
    out = io.StringIO()

    call_command("delete_expired_personal_data", "--dry-run", stdout=out)
    assert ContactMessage.objects.count() == 2
    assert "Contact form: 1 would be deleted" in out.getvalue()

    call_command("delete_expired_personal_data", stdout=out)
    assert list(ContactMessage.objects.all()) == [recent]
    assert not ContactMessage.objects.filter(pk=old.pk).exists()
