"""The library of documents and results: its entries from the seeds, its filters, and a search
that reads the text of uploaded PDFs."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from baltmet.actionplan.models import Action, ActionPlanPage
from baltmet.factories import DocumentFactory
from baltmet.library.factories import LibraryEntryPageFactory, LibraryPageFactory
from baltmet.library.models import EntryKind, LibraryEntryPage, LibraryPage
from baltmet.models import CustomDocument
from baltmet.pdf_text import pdf_text
from baltmet.seeding.loader import load_seed_content
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from tests.helpers import BUDGET, queries
from workpackages.factories import WorkPackagePageFactory
from workpackages.models import WorkPackagePage

pytestmark = pytest.mark.django_db


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose page shows `text` (ASCII) in Helvetica."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def listed(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [title.get_text(" ", strip=True) for title in soup.select(".card--library-entry h2")]


def titles(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {title.split(": ", 1)[1] for title in listed(response.content.decode())}


# The entries from the seeds ---------------------------------------------------------------------


def test_every_result_of_the_work_packages_and_both_presentations_are_entries(client):
    load_seed_content()
    entries = LibraryEntryPage.objects.live()
    per_work_package = {
        wp.number: entries.filter(work_package=wp).count() for wp in WorkPackagePage.objects.all()
    }
    # The brochure lists 4, 5, 4 and 3 results for the four work packages.
    assert per_work_package == {1: 4, 2: 5, 3: 4, 4: 3}
    for wp in WorkPackagePage.objects.all():
        assert entries.filter(work_package=wp).count() == len(wp.results)
    presentations = entries.filter(kind=EntryKind.PRESENTATION)
    assert {(p.title, p.event.slug, p.date) for p in presentations} == {
        (
            "Recommendations for Political Action",
            "transnational-cluster-alliances-berlin-2007",
            dt.date(2007, 11, 13),
        ),
        (
            "BaltMet Network – Perspectives for Innovation Promotion",
            "european-presidency-conference-stockholm-2008",
            dt.date(2008, 1, 23),
        ),
    }
    speakers = {p.title: [person.name for person in p.people.all()] for p in presentations}
    assert speakers["Recommendations for Political Action"] == ["Riikka Lahdensuo"]
    # No source document is published as a file: nothing pretends to be one.
    assert not entries.exclude(document=None).exists()


def test_an_entry_page_shows_its_facts_and_marks_an_inferred_year(client):
    load_seed_content()
    entry = LibraryEntryPage.objects.get(slug="local-marketing-councils")
    html = client.get(entry.url).content.decode()
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert "Permanent body" in text
    assert "Work package 2: Community Building and Marketing Strategies" in text
    assert "Riga , Tallinn" in text or "Riga, Tallinn" in text
    assert "2007 (year inferred from the source's context)" in text
    assert "No file of this has been published." in text
    assert "Source: The Baltic Sea Archipelago of Innovation" in text

    talk = LibraryEntryPage.objects.get(slug="recommendations-for-political-action")
    text = BeautifulSoup(client.get(talk.url).content, "html.parser").get_text(" ", strip=True)
    assert "Speakers Riikka Lahdensuo (City of Helsinki)" in text
    assert "13 November 2007" in text
    assert "inferred" not in text.split("Source:")[0]


def test_the_work_package_and_event_pages_list_their_entries(client):
    load_seed_content()
    wp = WorkPackagePage.objects.get(number=3)
    html = client.get(wp.url).content.decode()
    assert "Benchmark tool and study of six science parks" in html
    talk = LibraryEntryPage.objects.get(slug="recommendations-for-political-action")
    html = client.get(talk.event.url).content.decode()
    assert f'href="{talk.url}"' in html


# Filters --------------------------------------------------------------------------------------


@pytest.fixture
def library(site_tree):
    """Entries of two work packages, in two cities, of three years and types."""
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga", slug="riga")
    tallinn = MetropolisPageFactory(parent=site_tree.partners, title="Tallinn", slug="tallinn")
    riga_city = OrganisationPageFactory(parent=riga, title="City of Riga")
    tallinn_city = OrganisationPageFactory(parent=tallinn, title="City of Tallinn")
    wp1 = WorkPackagePageFactory(
        parent=site_tree.work_packages, number=1, lead_organisation=riga_city, slug="wp-one"
    )
    wp2 = WorkPackagePageFactory(
        parent=site_tree.work_packages, number=2, lead_organisation=tallinn_city, slug="wp-two"
    )
    library = LibraryPageFactory(parent=site_tree.home)

    def entry(title, kind, year, work_package, organisations=(), pilot_cities=()):
        page = LibraryEntryPageFactory(
            parent=library, title=title, kind=kind, year=year, work_package=work_package
        )
        page.organisations.set(organisations)
        page.pilot_cities.set(pilot_cities)
        page.save_revision().publish()
        return page

    entry("Strategy draft", EntryKind.STRATEGY, 2007, wp1, pilot_cities=[riga, tallinn])
    entry("Handbook", EntryKind.HANDBOOK, 2008, wp1, organisations=[riga_city])
    entry("Marketing framework", EntryKind.FRAMEWORK, 2008, wp2, organisations=[tallinn_city])
    entry("Undated analysis", EntryKind.ANALYSIS, None, None)
    return library


def test_each_filter_narrows_the_listing(client, library):
    url = library.url
    assert len(titles(client, url)) == 4
    assert titles(client, f"{url}?kind=handbook") == {"Handbook"}
    assert titles(client, f"{url}?work_package=wp-one") == {"Strategy draft", "Handbook"}
    assert titles(client, f"{url}?year=2008") == {"Handbook", "Marketing framework"}
    # A city: entries piloted there, and those of its organisations.
    assert titles(client, f"{url}?city=riga") == {"Strategy draft", "Handbook"}
    assert titles(client, f"{url}?city=tallinn") == {"Strategy draft", "Marketing framework"}
    assert titles(client, f"{url}?city=tallinn&year=2008&kind=framework") == {"Marketing framework"}


def test_the_filters_offer_only_what_the_entries_use(client, library):
    soup = BeautifulSoup(client.get(library.url).content, "html.parser")
    options = {
        select["name"]: [o["value"] for o in select.select("option") if o["value"]]
        for select in soup.select("form.filters select")
    }
    assert options == {
        "kind": ["strategy", "handbook", "analysis", "framework"],
        "work_package": ["wp-one", "wp-two"],
        "city": ["riga", "tallinn"],
        "year": ["2008", "2007"],
    }


@pytest.mark.parametrize(
    "query",
    [
        "kind=poem",
        "work_package=nothing",
        "city=%00",
        "year=1e9",
        "year=2008&year=2007",
        "page=-3",
        "q=" + "handbook+" * 600,
        "q=%22%22%22",
    ],
)
def test_a_bad_filter_is_ignored_with_a_notice(client, library, query):
    response = client.get(f"{library.url}?{query}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select(".filters__notices .notice")
    assert listed(response.content.decode())


# Search, also in the files' text --------------------------------------------------------------


def test_the_text_of_an_uploaded_pdf_is_read():
    document = DocumentFactory(
        file=ContentFile(pdf_with_text("Triple helix cooperation in Vilnius"), name="plan.pdf")
    )
    assert "Triple helix cooperation in Vilnius" in document.text


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.4 not really", b"\x00" * 100, pdf_with_text("x")[:200], b"%PDF-" + b"[" * 5000],
)
def test_a_damaged_pdf_still_uploads_without_text(data):
    document = DocumentFactory(file=ContentFile(data, name="damaged.pdf"))
    assert CustomDocument.objects.get(pk=document.pk).text == ""


def test_pdf_text_has_no_nul_characters():
    assert "\x00" not in pdf_text(ContentFile(pdf_with_text("a\\000b"), name="x.pdf"))


def test_the_library_search_finds_an_entry_by_its_files_text(client, library):
    document = DocumentFactory(
        title="Report",
        file=ContentFile(pdf_with_text("Gulf of Finland triangle"), name="report.pdf"),
    )
    entry = LibraryEntryPage.objects.get(title="Handbook")
    entry.document = document
    entry.save_revision().publish()
    assert titles(client, f"{library.url}?q=triangle") == {"Handbook"}
    # With another filter, both apply.
    assert titles(client, f"{library.url}?q=triangle&year=2007") == set()
    assert titles(client, f"{library.url}?q=nowhere-at-all") == set()


def test_a_new_version_of_the_file_is_searched_at_once(client, library):
    document = DocumentFactory(file=ContentFile(pdf_with_text("first words"), name="a.pdf"))
    entry = LibraryEntryPage.objects.get(title="Handbook")
    entry.document = document
    entry.save_revision().publish()
    assert titles(client, f"{library.url}?q=first") == {"Handbook"}

    document.file = ContentFile(pdf_with_text("second thoughts"), name="b.pdf")
    document.save()
    assert titles(client, f"{library.url}?q=second") == {"Handbook"}
    assert titles(client, f"{library.url}?q=first") == set()


# Rules and costs ------------------------------------------------------------------------------


def test_a_date_sets_the_year_and_a_different_year_is_refused(library):
    entry = LibraryEntryPage.objects.get(title="Handbook")
    entry.date = dt.date(2009, 3, 1)
    entry.year = None
    entry.full_clean()
    assert entry.year == 2009
    entry.year = 2007
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "year" in error.value.error_dict


def test_an_inferred_year_needs_a_year(library):
    entry = LibraryEntryPage.objects.get(title="Undated analysis")
    entry.year_inferred = True
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "year_inferred" in error.value.error_dict


def test_the_library_costs_the_same_with_more_entries(client, library, site_tree, settings):
    settings.PAGE_CACHE = False
    entry = LibraryEntryPage.objects.get(title="Handbook")
    before = queries(client, library.url), queries(client, entry.url)
    city = MetropolisPageFactory(parent=site_tree.partners)
    for number in range(6):
        page = LibraryEntryPageFactory(parent=library, year=2000 + number)
        page.pilot_cities.set([city])
        page.save_revision().publish()
    after = queries(client, library.url), queries(client, entry.url)
    assert after == before
    assert max(after) <= BUDGET


def test_only_one_library_goes_under_the_home_page(library):
    assert not LibraryPage.can_create_at(library.get_parent())


def test_the_api_gives_an_entrys_people_without_their_addresses(client):
    load_seed_content()
    talk = LibraryEntryPage.objects.get(slug="recommendations-for-political-action")
    body = client.get(f"/api/v2/pages/{talk.pk}/").content.decode()
    assert "Riikka Lahdensuo" in body
    assert "@" not in body.replace("@context", "")


def test_an_entry_linked_to_an_action_is_listed_under_it_on_the_action_plan(client):
    load_seed_content()
    entry = LibraryEntryPage.objects.get(slug="local-marketing-councils")
    action = Action.objects.get(focus_area__number=2, position=1)
    entry.action_plan_actions.set([action])
    entry.save_revision().publish()
    soup = BeautifulSoup(client.get(ActionPlanPage.objects.get().url).content, "html.parser")
    item = soup.select_one(f"#{action.anchor}")
    assert item.find("a", href=entry.url)
    html = client.get(entry.url).content.decode()
    assert f'#{action.anchor}">2.1</a>' in html
