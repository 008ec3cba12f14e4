"""Logs: a request ID on every record and response, JSON lines, an access log without
personal data, and server errors mailed to ADMINS."""

import io
import json
import logging
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from wagtail.models import Site

from baltmet.ops.logging import JSONFormatter, RequestIDFilter, SecretPathFilter, parse_admins
from tests.helpers import STRONG_KEY, manage_in_production

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log():
    """What the production console handler writes, one JSON object a line, as a list."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIDFilter())
    handler.addFilter(SecretPathFilter())
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def access_lines(records):
    return [record for record in records if record["logger"] == "baltmet.access"]


# The request ID


def test_every_response_gets_a_new_request_id(client, site_tree):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "from_proxy",
    ["4f1c2a0e9b7d4c1e8a5f3b2d6c9e0a17", "0d9c4b1a-6a0e-4d5b-9b44-1f2e3d4c5b6a", "lb-1:req.42"],
)
def test_the_proxys_request_id_is_kept(client, site_tree, from_proxy):
    response = client.get("/", HTTP_X_REQUEST_ID=from_proxy)

    assert response["X-Request-ID"] == from_proxy


@pytest.mark.parametrize(
    "from_client",
    ["", "has spaces", "line\nbreak", '"quoted"', "a" * 200, "<script>", "-leading-dash"],
)
def test_an_odd_request_id_is_replaced(client, site_tree, from_client):
    response = client.get("/", HTTP_X_REQUEST_ID=from_client)

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_every_record_of_a_request_carries_its_id(client, site_tree, json_log):
    response = client.get("/no-such-page/")

    records = json_log()
    # Django's own "Not Found" warning and the access-log line, both with the ID.
    assert {record["logger"] for record in records} >= {"django.request", "baltmet.access"}
    assert {record["request_id"] for record in records} == {response["X-Request-ID"]}


def test_records_outside_a_request_say_so(json_log):
    logging.getLogger("baltmet.test").warning("From a management command")

    assert json_log()[-1]["request_id"] == "-"


# JSON lines


def test_a_record_is_one_json_object_with_the_usual_fields(client, site_tree, json_log):
    client.get("/", HTTP_X_REQUEST_ID="abc123")

    (line,) = access_lines(json_log())
    assert line["level"] == "INFO"
    assert line["logger"] == "baltmet.access"
    assert line["request_id"] == "abc123"
    assert line["message"].startswith("GET / 200 ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", line["time"])
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)


def test_an_exception_is_written_into_its_json_line(json_log):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("baltmet.test").exception("It failed")

    line = json_log()[-1]
    assert line["message"] == "It failed"
    assert "ValueError: broken" in line["exc_info"]


LOG_SOMETHING = "import logging; logging.getLogger('baltmet.test').warning('Hello from %s', 'x')"


def test_production_logs_json_lines_by_default():
    result = manage_in_production("shell", "-c", LOG_SOMETHING, SECRET_KEY=STRONG_KEY)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "Hello from x"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"


def test_production_logs_text_when_asked():
    result = manage_in_production(
        "shell", "-c", LOG_SOMETHING, SECRET_KEY=STRONG_KEY, LOG_FORMAT="text"
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING baltmet.test [-] Hello from x")


def test_an_unknown_log_format_is_refused_with_a_clear_message():
    result = manage_in_production("check", SECRET_KEY=STRONG_KEY, LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be one of json, text, not 'xml'" in result.stderr


# No personal data in the access log


def test_the_access_log_holds_no_personal_data(client, site_tree, json_log, django_user_model):
    client.force_login(
        django_user_model.objects.create_user(
            "alice.private", email="alice@example.org", password="x" * 16
        )
    )

    client.get(
        "/news/?email=alice@example.org&token=s3cret",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Alice's laptop)",
    )

    (line,) = access_lines(json_log())
    assert line["path"] == "/news/"
    written = json.dumps(line)
    for personal in ("alice", "s3cret", "203.0.113.9", "198.51.100.7", "Mozilla", "?"):
        assert personal not in written


def test_no_log_record_holds_a_password_reset_token(client, site_tree, json_log, django_user_model):
    """A reset or invitation link sets a password once: whoever reads the log must not be
    able to use it."""
    django_user_model.objects.create_user("editor", email="editor@example.org", password="x" * 16)
    client.post("/admin/password_reset/", {"email": "editor@example.org"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/[^\s]+/)", message.body)
    uid, token = link.group(1).rstrip("/").split("/")[-2:]

    response = client.get(link.group(1))

    assert response.status_code == 302  # on to the form that sets the password
    lines = access_lines(json_log())
    assert lines[-1]["path"] == "/admin/password_reset/confirm/[redacted]/"
    written = "\n".join(json.dumps(record) for record in json_log())
    assert token not in written and uid not in written


def test_a_server_error_on_a_reset_link_neither_logs_nor_mails_its_token(
    site_tree, json_log, settings, django_user_model
):
    settings.ADMINS = [("Operations", "ops@example.org")]
    django_user_model.objects.create_user("editor", email="editor@example.org", password="x" * 16)
    Client().post("/admin/password_reset/", {"email": "editor@example.org"})
    link = re.search(
        r"https?://[^/\s]+(/admin/password_reset/confirm/[^\s]+/)", mail.outbox[0].body
    )
    token = link.group(1).rstrip("/").split("/")[-1]
    client = Client(raise_request_exception=False)

    view = "wagtail.admin.views.account.PasswordResetConfirmView.dispatch"
    with mock.patch(view, side_effect=RuntimeError("a bug in the view")):
        response = client.get(link.group(1))

    assert response.status_code == 500
    written = "\n".join(json.dumps(record) for record in json_log())
    assert "Internal Server Error: /admin/password_reset/confirm/[redacted]/" in written
    assert token not in written
    (report,) = [message for message in mail.outbox if "ops@example.org" in message.to]
    assert "a bug in the view" in report.body
    everything = report.subject + report.body + "".join(str(a[0]) for a in report.alternatives)
    assert token not in everything


def test_django_request_records_do_not_write_the_query_string(client, site_tree, json_log):
    client.get("/no-such-page/?email=alice@example.org")

    written = "\n".join(json.dumps(record) for record in json_log())
    assert "Not Found: /no-such-page/" in written
    assert "alice" not in written


def test_health_probes_are_logged_at_debug_level_only(client, json_log):
    client.get("/healthz")
    assert access_lines(json_log()) == []

    access_logger = logging.getLogger("baltmet.access")
    level = access_logger.level
    access_logger.setLevel(logging.DEBUG)
    try:
        client.get("/healthz")
    finally:
        access_logger.setLevel(level)
    (line,) = access_lines(json_log())
    assert line["level"] == "DEBUG"
    assert line["path"] == "/healthz"


# Error reports


def test_admins_are_read_from_the_environment():
    assert parse_admins("Ops Team <ops@example.org>, dev@example.org") == [
        ("Ops Team", "ops@example.org"),
        ("dev@example.org", "dev@example.org"),
    ]
    assert parse_admins("") == []


def test_an_admins_entry_that_is_no_address_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'ops-team' is not an e-mail address"):
        parse_admins("ops-team")


def test_a_server_error_is_mailed_to_the_admins(settings, site_tree):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client = Client(raise_request_exception=False)

    with mock.patch.object(Site, "find_for_request", side_effect=ValueError("a bug")):
        response = client.get("/")

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "ValueError" in mail.outbox[0].body
