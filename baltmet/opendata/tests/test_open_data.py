"""Open data: the datasets as CSV and JSON, and the import of organisations and events, which
round-trips their exports and writes nothing when a row is wrong."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from baltmet.opendata.datasets import DATASETS
from baltmet.opendata.importers import EventImporter, OrganisationImporter, UnreadableFile
from baltmet.seeding.loader import load_seed_content
from events.models import EventPage
from partners.models import OrganisationPage
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def rows_of(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def export(client, slug: str) -> bytes:
    response = client.get(f"/data/{slug}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content


@pytest.fixture
def seeded():
    load_seed_content()


def test_every_dataset_is_served_as_csv_and_json_with_its_columns(client, seeded):
    for slug, dataset in DATASETS.items():
        rows = rows_of(export(client, slug))
        assert rows, slug
        assert list(rows[0]) == list(dataset.columns)
        data = json.loads(client.get(f"/data/{slug}.json").content)
        assert data["dataset"] == slug
        assert len(data["items"]) == len(rows)
        assert list(data["items"][0]) == list(dataset.columns)


def test_the_organisations_have_the_fields_keep_eu_lists(client, seeded):
    rows = {row["name"]: row for row in rows_of(export(client, "organisations"))}
    assert len(rows) == OrganisationPage.objects.live().count()
    helsinki = rows["City of Helsinki"]
    assert (helsinki["role"], helsinki["city"], helsinki["country"], helsinki["type"]) == (
        "lead_partner",
        "Helsinki",
        "Finland",
        "city",
    )
    assert helsinki["type_inferred"] == "true"


def test_no_export_holds_an_email_address(client, seeded):
    for slug in DATASETS:
        for suffix in ("csv", "json"):
            body = client.get(f"/data/{slug}.{suffix}").content.decode()
            assert not EMAIL.search(body), (slug, suffix)


def test_key_figures_carry_their_source_and_year(client, seeded):
    rows = rows_of(export(client, "key-figures"))
    inhabitants = [
        row for row in rows if row["page"] == "BaltMet Inno" and row["measure"] == "Inhabitants"
    ]
    assert {
        (row["value"], row["source_year"], row["source_year_inferred"]) for row in inhabitants
    } == {
        ("21", "2007", "true"),
        ("25", "2008", "false"),
    }


def test_news_of_the_former_portal_have_no_publication_date(client, seeded):
    rows = rows_of(export(client, "news"))
    assert rows and all(row["date"] == "" and row["from_former_portal"] == "true" for row in rows)


def test_the_actions_list_what_is_linked_to_them(client, seeded):
    rows = {row["number"]: row for row in rows_of(export(client, "actions"))}
    assert sorted(rows) == [
        f"{a}.{b}"
        for a, b in [
            (1, 1),
            (1, 2),
            (1, 3),
            (1, 4),
            (2, 1),
            (2, 2),
            (3, 1),
            (3, 2),
            (3, 3),
            (3, 4),
            (4, 1),
            (4, 2),
            (4, 3),
        ]
    ]
    assert rows["4.1"]["related_projects"] == "BaltMet InfoForum"


def test_an_unknown_dataset_is_a_404(client):
    assert client.get("/data/passwords.csv").status_code == 404
    assert client.get("/data/organisations.xml").status_code == 404


def test_a_cell_that_a_spreadsheet_would_run_is_escaped_and_imported_back(client, seeded):
    event = EventPage.objects.first()
    event.other_organisers = '=HYPERLINK("http://example.com")'
    event.save_revision().publish()
    content = export(client, "events")
    assert b"'=HYPERLINK" in content
    report = EventImporter().run(content, dry_run=True)
    assert report.errors == []
    assert report.count("unchanged") == len(report.rows)


# Import ---------------------------------------------------------------------------------------


def test_the_exports_round_trip_through_the_import(client, seeded):
    organisations, events = export(client, "organisations"), export(client, "events")
    # Lose data: change organisations, delete every event.
    for page in OrganisationPage.objects.all():
        page.website = "https://changed.example.org/"
        page.organisation_type = "other"
        page.save_revision().publish()
    EventPage.objects.all().delete()

    report = OrganisationImporter().run(organisations, dry_run=False)
    assert report.errors == [] and report.written
    assert report.count("update") == OrganisationPage.objects.count()
    report = EventImporter().run(events, dry_run=False)
    assert report.errors == [] and report.written
    assert report.count("create") == EventPage.objects.count() == len(rows_of(events))

    assert export(client, "organisations") == organisations
    assert export(client, "events") == events
    # A second import changes nothing.
    report = EventImporter().run(events, dry_run=False)
    assert report.count("unchanged") == len(report.rows)


def test_a_dry_run_reports_and_writes_nothing(client, seeded):
    events = export(client, "events")
    EventPage.objects.all().delete()
    report = EventImporter().run(events, dry_run=True)
    assert report.errors == []
    assert report.count("create") == len(report.rows) > 0
    assert not report.written
    assert EventPage.objects.count() == 0


BAD_EVENTS = (
    "title,kind,start_date,end_date,city,country,metropolis,organisers,work_packages,intro\n"
    "Good event,seminar,2009-05-04,,Riga,Latvia,Riga,City of Riga,2,A seminar.\n"
    "Bad kind,party,2009-05-04,,Riga,Latvia,,,,A party.\n"
    "Bad date,seminar,4 May 2009,,Riga,Latvia,,,,A seminar.\n"
    "Ends early,seminar,2009-05-04,2009-05-01,Riga,Latvia,,,,A seminar.\n"
    ",seminar,2009-05-04,,Riga,Latvia,Atlantis,Nobody Ltd,9,\n"
    "No zone,workshop,2009-05-04,,Lima,Peru,,,,A workshop.\n"
)


def test_an_import_with_errors_reports_each_row_and_writes_nothing(seeded):
    before = EventPage.objects.count()
    report = EventImporter().run(BAD_EVENTS.encode(), dry_run=False)
    assert not report.written
    assert EventPage.objects.count() == before
    errors = {row.line: row.errors for row in report.rows}
    assert errors[2] == []
    assert any(e.startswith("kind:") for e in errors[3])
    assert any(e.startswith("start_date:") for e in errors[4])
    assert any(e.startswith("end_date:") for e in errors[5])
    assert {e.split(":")[0] for e in errors[6]} >= {
        "title",
        "metropolis",
        "organisers",
        "work_packages",
    }
    assert any(e.startswith("time_zone:") for e in errors[7])


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00n\x00a", "not UTF-8"),
        (b"name,role,city,type,password\nA,partner,Riga,city,x\n", "Unknown column"),
        (b"name,role,city\nA,partner,Riga\n", "Missing column"),
        (b"name,role,city,type\n", "no rows"),
        (b"name,role,city,type\nA,partner,Riga,city,extra\n", "more cells"),
        (b"\x00\x01\x02PK", "binary"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(data, message):
    with pytest.raises(UnreadableFile, match=message):
        OrganisationImporter().run(data, dry_run=False)


def test_the_command_imports_and_its_dry_run_writes_nothing(client, seeded, tmp_path):
    events = export(client, "events")
    EventPage.objects.all().delete()
    path = tmp_path / "events.csv"
    path.write_bytes(events)
    out = io.StringIO()
    call_command("import_open_data", "events", str(path), "--dry-run", stdout=out)
    assert "Dry run, nothing was changed" in out.getvalue()
    assert EventPage.objects.count() == 0
    call_command("import_open_data", "events", str(path), stdout=io.StringIO())
    assert EventPage.objects.count() == len(rows_of(events))


def test_the_command_lists_every_error_and_fails(seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_EVENTS)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_open_data", "events", str(path), stdout=out)
    assert out.getvalue().count("line ") >= 5
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_open_data", "events", str(tmp_path / "missing.csv"))


def test_only_administrators_may_import_in_the_admin(client, world):
    url = "/admin/import-open-data/"
    log_in(client, world.editor)
    assert client.get(url).status_code in (302, 403)
    log_in(client, world.moderator)
    assert client.get(url).status_code in (302, 403)

    log_in(client, world.administrator)
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("events.csv", BAD_EVENTS.encode(), content_type="text/csv")
    before = EventPage.objects.count()
    response = client.post(url, {"dataset": "events", "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Errors: nothing was changed" in html
    assert "kind: “party” is not one of" in html
    assert EventPage.objects.count() == before

    good = (
        "title,kind,start_date,city,country,intro\n"
        "A new seminar,seminar,2009-05-04,Riga,Latvia,Seminar on clusters.\n"
    )
    upload = SimpleUploadedFile("events.csv", good.encode(), content_type="text/csv")
    response = client.post(url, {"dataset": "events", "file": upload, "dry_run": "on"})
    assert "Dry run: what the import would do" in response.content.decode()
    assert not EventPage.objects.filter(title="A new seminar").exists()
    upload = SimpleUploadedFile("events.csv", good.encode(), content_type="text/csv")
    response = client.post(url, {"dataset": "events", "file": upload})
    assert "Imported" in response.content.decode()
    assert EventPage.objects.live().filter(title="A new seminar").exists()


def test_the_data_page_and_the_listings_link_the_files(client, seeded):
    html = client.get("/data/").content.decode()
    for slug in DATASETS:
        assert f'href="/data/{slug}.csv"' in html
    assert 'href="/data/organisations.csv"' in client.get("/partners/").content.decode()
    assert 'href="/data/library.json"' in client.get("/library/").content.decode()
