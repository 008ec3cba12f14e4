"""invite_editor: good and bad input, and the invitation that really lets an editor in."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.factories import OrganisationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def riga(site_tree):
    return OrganisationPageFactory(title="City of Riga", slug="city-of-riga")


def invite(*args, **options):
    call_command("invite_editor", *args, stdout=io.StringIO(), **options)


def test_invites_a_new_editor_who_can_then_set_a_password_and_log_in(client, riga):
    invite("city-of-riga", "Editor@Example.org", first_name="Ilze")

    user = get_user_model().objects.get(username="editor@example.org")
    assert not user.has_usable_password()
    assert [g.name for g in user.groups.all()] == ["Editors: City of Riga"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.org"]
    assert "Hello Ilze" in message.body and "City of Riga" in message.body
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", message.body)[1]

    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "a-new-long-password-7"
    done = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )

    assert done.status_code == 302
    assert client.login(username="editor@example.org", password=new_password)
    assert client.get("/admin/").status_code == 200


def test_an_existing_account_is_added_to_the_group(riga, django_user_model):
    django_user_model.objects.create_user(
        "ed@example.org", email="ed@example.org", password="x" * 16
    )
    output = io.StringIO()

    call_command("invite_editor", "city-of-riga", "ed@example.org", stdout=output)

    user = django_user_model.objects.get(username="ed@example.org")
    assert user.has_usable_password()  # their own password stays
    assert user.groups.filter(name="Editors: City of Riga").exists()
    assert "Added the existing account" in output.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("city-of-riga", "not-an-address"), "'not-an-address' is not a valid e-mail address."),
        (("city-of-riga", "two@@example.org"), "is not a valid e-mail address."),
        (("nowhere", "ed@example.org"), "No partner organisation 'nowhere'. Known: city-of-riga."),
        (("city-of-riga",), "the following arguments are required: email"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(riga, args, message):
    with pytest.raises(CommandError) as error:
        invite(*args)

    assert message in str(error.value)
    assert not get_user_model().objects.exists()
    assert mail.outbox == []
