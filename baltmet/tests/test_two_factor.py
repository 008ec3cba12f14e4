"""Two-factor authentication (baltmet/two_factor.py) through real requests.

Administrators must set up a TOTP device and enter a code after their password; other users
may enrol and must then do the same. Codes are computed from the device's key, as an
authenticator app would, at instants fixed with time_machine.
"""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from baltmet import two_factor

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETUP = "/admin/two-factor/setup/"
VERIFY = "/admin/two-factor/verify/"
REMOVE = "/admin/two-factor/remove/"
OVERVIEW = "/admin/two-factor/"
WRONG_CODE = "That code is not right, or it was already used."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", password=PASSWORD)


@pytest.fixture
def editor(world):
    """A partner editor: admin access through their organisation's group, not a superuser."""
    return world.editor


def password_login(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password login failed"
    return response


def code_for(device, shift_steps=0) -> str:
    """The code an authenticator app shows now (or `shift_steps` time steps away)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + shift_steps)
    return f"{value:0{device.digits}d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def enrol(client, user) -> TOTPDevice:
    """Set up a device through the setup page, as the user would."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device


def log_out(client):
    client.post("/admin/logout/")


def errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.get("code", []))


# Administrators


def test_an_administrator_is_sent_to_set_up_from_every_admin_page(client, admin, clock):
    response = password_login(client, admin)
    assert response["Location"] == "/admin/"

    for url in ["/admin/", "/admin/pages/", "/admin/users/", "/admin/account/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{SETUP}?next={quote(url, safe='')}"
    assert client.post("/admin/pages/").status_code == 302


def test_an_administrator_sets_up_a_device_with_a_real_code_then_reaches_the_admin(
    client, admin, clock
):
    password_login(client, admin)

    response = client.get(f"{SETUP}?next=/admin/pages/")

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    html = response.content.decode()
    assert "Administrators and moderators must use two-factor authentication" in html
    secret = response.context["secret"].replace(" ", "")
    assert len(secret) == 32
    assert secret in html.replace(" ", "")
    assert "otpauth://totp/BaltMet%20Inno%3Aroot?secret=" + secret in html
    assert "<svg" in html
    # Reloading shows the same key: the app the user has just scanned stays right.
    assert client.get(SETUP).context["secret"] == response.context["secret"]
    assert TOTPDevice.objects.filter(user=admin).count() == 1

    response = client.post(SETUP, {"code": code_for(device), "next": "/admin/pages/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
    overview = client.get(OVERVIEW)
    assert "Two-factor authentication is <strong>on</strong>" in overview.content.decode()


def test_a_wrong_code_does_not_confirm_the_device(client, admin, clock):
    password_login(client, admin)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=admin)

    response = client.post(SETUP, {"code": code_for(device, shift_steps=5)})

    assert response.status_code == 200
    assert WRONG_CODE in errors(response)
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.get(user=admin).confirmed
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_an_administrator_with_a_device_must_verify_at_every_login(client, admin, clock):
    password_login(client, admin)
    device = enrol(client, admin)
    log_out(client)
    clock.shift(timedelta(minutes=5))

    password_login(client, admin)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    # The setup page offers no second device to someone who has only the password.
    assert client.get(SETUP)["Location"] == OVERVIEW
    assert client.get(OVERVIEW)["Location"].startswith(VERIFY)
    assert client.get(REMOVE)["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=admin, confirmed=False).exists()

    response = client.post(VERIFY, {"code": code_for(device, shift_steps=-3)})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get("/admin/").status_code == 302

    clock.shift(timedelta(seconds=2))  # the wait after one wrong code
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client, admin, clock):
    password_login(client, admin)
    device = enrol(client, admin)
    used = code_for(device)
    log_out(client)

    password_login(client, admin)
    response = client.post(VERIFY, {"code": used})

    assert WRONG_CODE in errors(response)
    clock.shift(timedelta(seconds=31))
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


def test_wrong_codes_are_throttled(client, admin, clock):
    device = confirmed_device(admin)
    password_login(client, admin)

    assert WRONG_CODE in errors(client.post(VERIFY, {"code": "000000"}))
    # Straight after a wrong code, even the right one is refused, with the wait to expect.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "Too many wrong codes. Wait 1 second," in errors(response)
    assert client.get("/admin/").status_code == 302

    clock.shift(timedelta(seconds=1))
    assert WRONG_CODE in errors(client.post(VERIFY, {"code": "000000"}))
    clock.shift(timedelta(seconds=1))
    assert "Too many wrong codes. Wait 1 second," in errors(
        client.post(VERIFY, {"code": code_for(device)})
    )
    device.refresh_from_db()
    assert device.throttling_failure_count == 2

    clock.shift(timedelta(seconds=1))
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_verified_session_lasts_until_it_ends(client, admin, clock):
    device = confirmed_device(admin)
    password_login(client, admin)
    client.post(VERIFY, {"code": code_for(device)})

    for _ in range(3):
        clock.shift(timedelta(hours=7, minutes=59))
        assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(hours=8, seconds=1))

    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_verifying_gives_the_session_a_new_key(client, admin, clock):
    device = confirmed_device(admin)
    password_login(client, admin)
    before = client.cookies["sessionid"].value

    client.post(VERIFY, {"code": code_for(device)})

    assert client.cookies["sessionid"].value != before
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_the_page_after_verifying_stays_on_the_site(client, admin, clock, next_url):
    device = confirmed_device(admin)
    password_login(client, admin)

    response = client.post(VERIFY, {"code": code_for(device), "next": next_url})

    assert response["Location"] == "/admin/"


def test_an_administrator_who_removes_the_device_sets_up_a_new_one(client, admin, clock):
    password_login(client, admin)
    device = enrol(client, admin)
    clock.shift(timedelta(seconds=30))

    response = client.post(REMOVE, {"code": code_for(device)})

    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_requirement_can_be_turned_off(client, admin, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = False
    password_login(client, admin)

    assert client.get("/admin/").status_code == 200


def test_the_requirement_comes_from_the_environment():
    root = Path(__file__).resolve().parents[2]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REQUIRE_2FA_FOR_ADMINS"}
    }
    env["SECRET_KEY"] = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
    code = (
        "import importlib; print(*(importlib.import_module(f'baltmet.settings.{m}')"
        ".REQUIRE_2FA_FOR_ADMINS for m in ('base', 'production', 'test', 'dev')))"
    )

    def run(**extra):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run() == "True True True False"
    assert run(REQUIRE_2FA_FOR_ADMINS="false") == "False False False False"
    assert run(REQUIRE_2FA_FOR_ADMINS="true") == "True True True True"


# Moderators


def test_a_moderator_who_can_publish_must_set_up_a_device_too(client, world, clock):
    """A moderator publishes any page: a password alone must not be enough."""
    moderator = world.moderator
    moderator.set_password(PASSWORD)
    moderator.save()
    password_login(client, moderator)

    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    enrol(client, moderator)
    assert client.get("/admin/pages/").status_code == 200


def test_only_groups_that_can_publish_make_it_required(world):
    assert two_factor.is_required(world.moderator)
    assert two_factor.is_required(world.administrator)
    assert not two_factor.is_required(world.editor)
    assert not two_factor.is_required(world.other_editor)


# Partner editors


def test_a_partner_editor_reaches_the_admin_without_a_device(client, editor):
    password_login(client, editor)

    assert client.get("/admin/").status_code == 200
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert "Two-factor authentication is <strong>off</strong>" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_a_partner_editor_can_enrol_and_must_then_verify(client, editor, clock):
    password_login(client, editor)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "Administrators and moderators must use" not in response.content.decode()
    device = enrol(client, editor)
    assert client.get("/admin/").status_code == 200
    log_out(client)
    clock.shift(timedelta(minutes=1))

    password_login(client, editor)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_partner_editor_can_remove_the_device_with_a_current_code(client, editor, clock):
    password_login(client, editor)
    device = enrol(client, editor)
    clock.shift(timedelta(seconds=30))
    assert client.get(REMOVE).status_code == 200

    response = client.post(REMOVE, {"code": "123456"})
    assert WRONG_CODE in errors(response)
    assert TOTPDevice.objects.filter(user=editor).exists()

    clock.shift(timedelta(seconds=2))
    response = client.post(REMOVE, {"code": code_for(device)})

    assert response["Location"] == OVERVIEW
    assert not TOTPDevice.objects.filter(user=editor).exists()
    log_out(client)
    password_login(client, editor)
    assert client.get("/admin/").status_code == 200


def test_the_account_page_links_to_two_factor_authentication(client, editor):
    password_login(client, editor)

    html = client.get("/admin/account/").content.decode()

    assert f'href="{OVERVIEW}"' in html
    assert "Two-factor authentication" in html


# Outside the admin and without a login


def test_a_password_alone_opens_no_private_page(client, admin, site_tree):
    confirmed_device(admin)
    PageViewRestriction.objects.create(page=site_tree.news, restriction_type="login")
    url = site_tree.news.url

    password_login(client, admin)

    assert client.get("/").status_code == 200
    assert client.get(url).status_code == 302
    device = TOTPDevice.objects.get(user=admin)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [SETUP, VERIFY, REMOVE, OVERVIEW])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Bad input

BAD_CODES = [
    "",
    "   ",
    "abcdef",
    "12345",
    "1234567",
    "١٢٣٤٥٦",  # Arabic-Indic digits: not the app's code, and no 500
    "12-34-56",
    "<script>alert(1)</script>",
    "9" * 10_000,
    "1" * 5000,
    "\x00\x01",
]


@pytest.mark.parametrize("code", BAD_CODES, ids=range(len(BAD_CODES)))
def test_bad_codes_are_refused_with_a_message_never_a_500(client, admin, editor, clock, code):
    password_login(client, admin)
    client.get(SETUP)
    setup = client.post(SETUP, {"code": code})
    missing = client.post(SETUP, {})
    log_out(client)

    device = confirmed_device(editor)
    password_login(client, editor)
    verify = client.post(VERIFY, {"code": code, "next": code})
    client.post(VERIFY, {"code": code_for(device)})
    remove = client.post(REMOVE, {"code": code})

    for response in [setup, missing, verify, remove]:
        assert response.status_code == 200
        assert errors(response)
        assert response.context["form"].errors
    assert not TOTPDevice.objects.get(user=admin).confirmed
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_a_code_with_spaces_is_accepted(client, editor, clock):
    device = confirmed_device(editor)
    password_login(client, editor)
    code = code_for(device)

    response = client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 302


def test_pages_that_do_not_apply_lead_on(client, editor, clock):
    password_login(client, editor)
    assert client.get(VERIFY)["Location"] == SETUP
    assert client.get(REMOVE)["Location"] == OVERVIEW

    device = enrol(client, editor)

    assert client.get(f"{VERIFY}?next=/admin/pages/")["Location"] == "/admin/pages/"
    assert client.get(SETUP)["Location"] == OVERVIEW
    assert device.confirmed
