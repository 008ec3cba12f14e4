"""The read-only JSON API at /api/v2/: what it lists, what it hides, how it refuses."""

import datetime as dt
from dataclasses import dataclass

import pytest
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
)

from baltmet.actionplan.factories import ActionPlanPageFactory
from baltmet.benchmark.factories import BenchmarkPageFactory
from baltmet.factories import DocumentFactory, ImageFactory, StandardPageFactory
from baltmet.library.factories import LibraryEntryPageFactory, LibraryPageFactory
from baltmet.models import CustomDocument, CustomImage
from baltmet.projects.factories import RelatedProjectsPageFactory
from baltmet.roles.groups import set_up_organisation_editors, shared_collection
from baltmet.seeding.loader import load_seed_content
from events.factories import EventPageFactory, EventPresentationFactory
from news.factories import NewsPageFactory
from partners.factories import (
    MetropolisKeyFigureFactory,
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
    PeoplePageFactory,
)
from partners.models import OrganisationContact
from workpackages.factories import WorkPackageDeliverableFactory, WorkPackagePageFactory

pytestmark = pytest.mark.django_db

API = "/api/v2"


@dataclass
class Content:
    metropolis: Page
    organisation: Page
    draft_organisation: Page
    contact: OrganisationContact
    work_package: Page
    work_package_of_draft: Page
    event: Page
    draft_event: Page
    news: Page
    draft_news: Page
    private_page: Page
    page_under_private: Page
    logo: CustomImage
    image: CustomImage
    private_image: CustomImage
    document: CustomDocument
    private_document: CustomDocument
    restricted_document: CustomDocument


@pytest.fixture
def content(site_tree) -> Content:
    """One published page of each type with its relations, and what must stay hidden:
    drafts, a section behind a login, media in a partner's own collection and in a
    collection with a view restriction."""
    metropolis = MetropolisPageFactory(parent=site_tree.partners, title="Tallinn")
    MetropolisKeyFigureFactory(page=metropolis, measure="Inhabitants")
    logo = ImageFactory(title="Agency logo", description="Agency logo: a blue wave")
    organisation = OrganisationPageFactory(parent=metropolis, title="Harbour Agency", logo=logo)
    contact = OrganisationContactFactory(page=organisation, email="ada@agency.example.org")
    draft_organisation = OrganisationPageFactory(
        parent=metropolis, title="Unannounced Agency", live=False
    )
    partner_collection = set_up_organisation_editors(organisation)[0].collection
    ActionPlanPageFactory(parent=site_tree.home)
    RelatedProjectsPageFactory(parent=site_tree.home)
    PeoplePageFactory(parent=site_tree.home)
    BenchmarkPageFactory(parent=site_tree.home)
    LibraryEntryPageFactory(parent=LibraryPageFactory(parent=site_tree.home), year=2007)

    document = DocumentFactory(title="Final report", collection=shared_collection())
    private_document = DocumentFactory(title="Partner draft report", collection=partner_collection)
    restricted = Collection.get_first_root_node().add_child(name="Board only")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.LOGIN
    )
    restricted_document = DocumentFactory(title="Board minutes", collection=restricted)
    image = ImageFactory(title="Harbour at dawn", credit="Photo: A. Photographer")
    private_image = ImageFactory(title="Partner snapshot", collection=partner_collection)

    work_package = WorkPackagePageFactory(
        parent=site_tree.work_packages,
        number=1,
        lead_organisation=organisation,
        contact=contact,
        lead_unit="Innovation unit",
    )
    WorkPackageDeliverableFactory(page=work_package, document=document)
    work_package_of_draft = WorkPackagePageFactory(
        parent=site_tree.work_packages, number=2, lead_organisation=draft_organisation
    )

    event = EventPageFactory(
        parent=site_tree.events,
        title="Harbour Innovation Day",
        start_date=dt.date(2030, 1, 15),
        start_time=dt.time(10, 0),
        end_time=dt.time(16, 0),
        time_zone="Europe/Tallinn",
        city="Tallinn",
        metropolis=metropolis,
    )
    event.organising_partners = [organisation, draft_organisation]
    event.related_work_packages = [work_package]
    event.save()
    EventPresentationFactory(page=event, title="Ports as testbeds", document=document)
    draft_event = EventPageFactory(parent=site_tree.events, title="Secret summit", live=False)

    news = NewsPageFactory(parent=site_tree.news, title="Harbour agency joins the network")
    news.tags.add("harbours", "clusters")
    news.related_metropolises = [metropolis]
    news.related_organisations = [organisation, draft_organisation]
    news.related_work_packages = [work_package]
    news.related_events = [event, draft_event]
    news.save()
    draft_news = NewsPageFactory(parent=site_tree.news, title="Harbour merger draft", live=False)

    StandardPageFactory(parent=site_tree.home, title="About the harbours")
    private_page = StandardPageFactory(parent=site_tree.home, title="Harbour board room")
    PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.LOGIN
    )
    page_under_private = StandardPageFactory(parent=private_page, title="Harbour board minutes")

    return Content(
        metropolis=metropolis,
        organisation=organisation,
        draft_organisation=draft_organisation,
        contact=contact,
        work_package=work_package,
        work_package_of_draft=work_package_of_draft,
        event=event,
        draft_event=draft_event,
        news=news,
        draft_news=draft_news,
        private_page=private_page,
        page_under_private=page_under_private,
        logo=logo,
        image=image,
        private_image=private_image,
        document=document,
        private_document=private_document,
        restricted_document=restricted_document,
    )


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def listed_ids(client, url: str) -> set[int]:
    return {item["id"] for item in get_json(client, url)["items"]}


def hidden_pages(content: Content) -> list[Page]:
    return [
        content.draft_organisation,
        content.draft_event,
        content.draft_news,
        content.private_page,
        content.page_under_private,
    ]


# Pages: only live, public ones ------------------------------------------------------------


def test_pages_lists_the_live_public_pages_and_nothing_else(client, content):
    ids = listed_ids(client, f"{API}/pages/?limit=100")

    live = set(Page.objects.filter(depth__gt=1).live().values_list("pk", flat=True))
    assert ids == live - {content.private_page.pk, content.page_under_private.pk}
    assert not ids & {page.pk for page in hidden_pages(content)}
    assert {content.news.pk, content.event.pk, content.work_package.pk} <= ids


def test_a_logged_in_editor_sees_no_more_than_anyone(client, content, django_user_model):
    # Wagtail's default API would show a login-restricted page to a logged-in user.
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-12345678")
    client.force_login(admin)

    ids = listed_ids(client, f"{API}/pages/?limit=100")

    assert content.news.pk in ids
    assert not ids & {page.pk for page in hidden_pages(content)}


def test_a_hidden_page_has_no_detail(client, content):
    for page in hidden_pages(content):
        assert get_json(client, f"{API}/pages/{page.pk}/", status=404) == {
            "message": "No Page matches the given query."
        }


def test_a_hidden_page_cannot_be_found_by_its_path_or_used_as_a_parent(client, content):
    response = client.get(f"{API}/pages/find/?html_path={content.private_page.url}")
    assert response.status_code == 404

    error = get_json(client, f"{API}/pages/?child_of={content.private_page.pk}", status=400)
    assert error == {"message": "parent page doesn't exist"}


def test_search_on_postgresql_finds_public_pages_only(client, content):
    ids = listed_ids(client, f"{API}/pages/?search=harbour")

    assert content.news.pk in ids
    assert content.organisation.pk in ids
    assert not ids & {page.pk for page in hidden_pages(content)}


def test_search_combines_with_a_type_and_an_order(client, content):
    url = f"{API}/pages/?search=harbour&type=news.NewsPage&order=-date"

    assert listed_ids(client, url) == {content.news.pk}


# Pages: the documented fields -------------------------------------------------------------

PAGE_META = {
    "type",
    "detail_url",
    "html_url",
    "slug",
    "show_in_menus",
    "seo_title",
    "search_description",
    "first_published_at",
    "alias_of",
    "parent",
    "locale",
}

FIELDS = {
    "partners.MetropolisPage": {
        "country",
        "status",
        "latitude",
        "longitude",
        "intro",
        "profile_title",
        "profile",
        "key_figures",
    },
    "partners.OrganisationPage": {
        "organisation_type",
        "organisation_type_inferred",
        "project_role",
        "website",
        "logo",
        "intro",
        "description",
        "contacts",
        "led_work_packages",
    },
    "workpackages.WorkPackagePage": {
        "number",
        "headline",
        "lead_organisation",
        "lead_unit",
        "contact",
        "summary",
        "goals_intro",
        "goals",
        "results_intro",
        "results",
        "deliverables",
    },
    "news.NewsPage": {
        "date",
        "from_former_portal",
        "intro",
        "body",
        "tags",
        "related_metropolises",
        "related_organisations",
        "related_work_packages",
        "related_events",
        "action_plan_actions",
    },
    "events.EventPage": {
        "kind",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "date_note",
        "time_zone",
        "starts_at",
        "ends_at",
        "venue",
        "city",
        "country",
        "metropolis",
        "organising_partners",
        "other_organisers",
        "related_work_packages",
        "action_plan_actions",
        "intro",
        "body",
        "programme",
        "presentations",
    },
    "baltmet.StandardPage": {"intro", "body"},
    "actionplan.ActionPlanPage": {"intro", "approval", "priorities", "focus_areas"},
    "projects.RelatedProjectsPage": {"intro", "projects"},
    "partners.PeoplePage": {"intro", "people"},
    "library.LibraryPage": {"intro"},
    "library.LibraryEntryPage": {
        "kind",
        "summary",
        "body",
        "date",
        "year",
        "year_inferred",
        "work_package",
        "organisations",
        "pilot_cities",
        "people",
        "event",
        "language",
        "document",
        "action_plan_actions",
    },
    "benchmark.BenchmarkPage": {"intro", "empty_text", "benchmark"},
    "home.HomePage": {"tagline", "mission", "body", "key_figures"},
}


def test_each_page_type_has_its_documented_fields(client, content):
    for page_type, fields in FIELDS.items():
        items = get_json(client, f"{API}/pages/?type={page_type}&fields=*")["items"]

        assert items, page_type
        for item in items:
            assert set(item) == {"id", "meta", "title", *fields}
            assert set(item["meta"]) == PAGE_META
            assert item["meta"]["type"] == page_type


def test_a_detail_shows_every_field_and_the_parent(client, content):
    page = get_json(client, f"{API}/pages/{content.organisation.pk}/")

    assert set(page) == {"id", "meta", "title", *FIELDS["partners.OrganisationPage"]}
    assert set(page["meta"]) == PAGE_META
    # An organisation's metropolis is its parent, in listings too.
    assert page["meta"]["parent"]["title"] == "Tallinn"
    listing = get_json(client, f"{API}/pages/?type=partners.OrganisationPage&fields=parent")
    assert [item["meta"]["parent"]["id"] for item in listing["items"]] == [content.metropolis.pk]


def test_a_listing_shows_the_basic_fields_unless_asked(client, content):
    item = get_json(client, f"{API}/pages/?type=news.NewsPage")["items"][0]

    assert set(item) == {"id", "meta", "title"}
    basic = {"type", "detail_url", "html_url", "slug", "first_published_at", "locale"}
    assert set(item["meta"]) == basic
    assert item["meta"]["html_url"] == "http://localhost/news/harbour-agency-joins-the-network/"
    assert item["meta"]["locale"] == "en"


def test_an_unknown_locale_is_a_400(client, content):
    response = client.get(f"{API}/pages/?locale=xx")
    assert response.status_code == 400
    assert "locale must be one of" in response.json()["message"]
    for value in ("abc", "-1", "٣", str(2**70)):
        response = client.get(f"{API}/pages/?translation_of={value}")
        assert response.status_code == 400, value


def test_pages_of_one_language_and_no_aliases(client, content):
    """?locale=lv lists the Latvian translations; an alias (an untranslated parent in the
    Latvian tree) is never listed: it would repeat its source."""
    latvian = Locale.objects.get(language_code="lv")
    news = content.news.specific
    translation = news.copy_for_translation(latvian, copy_parents=True)
    translation.title = "Ostas aģentūra pievienojas tīklam"
    translation.save_revision().publish()

    items = get_json(client, f"{API}/pages/?locale=lv")["items"]
    assert [item["title"] for item in items] == ["Ostas aģentūra pievienojas tīklam"]
    everything = get_json(client, f"{API}/pages/?limit=100")["items"]
    assert not any(item["id"] == translation.get_parent().pk for item in everything)
    english = get_json(client, f"{API}/pages/?locale=en&type=news.NewsPage")["items"]
    assert [item["id"] for item in english] == [news.pk]
    versions = get_json(client, f"{API}/pages/?translation_of={news.pk}")["items"]
    assert [(item["id"], item["meta"]["locale"]) for item in versions] == [(translation.pk, "lv")]


def page_link(page: Page) -> dict:
    return {
        "id": page.pk,
        "meta": {
            "type": f"{page._meta.app_label}.{type(page).__name__}",
            "detail_url": f"http://localhost{API}/pages/{page.pk}/",
            "html_url": f"http://localhost{page.url}",
        },
        "title": page.title,
    }


def test_a_news_item_shows_its_tags_and_only_its_published_relations(client, content):
    news = get_json(client, f"{API}/pages/{content.news.pk}/")

    assert news["tags"] == ["clusters", "harbours"]
    assert news["related_metropolises"] == [page_link(content.metropolis)]
    assert news["related_organisations"] == [page_link(content.organisation)]
    assert news["related_work_packages"] == [page_link(content.work_package)]
    assert news["related_events"] == [page_link(content.event)]


def test_an_event_shows_its_instants_in_utc_and_its_place_and_organisers(client, content):
    event = get_json(client, f"{API}/pages/{content.event.pk}/")

    # 10:00 to 16:00 in Tallinn in January (UTC+2).
    assert (event["starts_at"], event["ends_at"]) == (
        "2030-01-15T08:00:00Z",
        "2030-01-15T14:00:00Z",
    )
    assert (event["start_date"], event["start_time"]) == ("2030-01-15", "10:00:00")
    assert (event["time_zone"], event["kind"], event["city"]) == (
        "Europe/Tallinn",
        "seminar",
        "Tallinn",
    )
    assert event["metropolis"] == page_link(content.metropolis)
    assert event["organising_partners"] == [page_link(content.organisation)]
    assert event["related_work_packages"] == [page_link(content.work_package)]
    [presentation] = event["presentations"]
    assert presentation["title"] == "Ports as testbeds"
    assert presentation["document"]["title"] == "Final report"
    assert presentation["document"]["meta"]["download_url"].startswith(
        f"http://localhost/documents/{content.document.pk}/"
    )


def test_a_work_package_shows_its_lead_and_contact(client, content):
    work_package = get_json(client, f"{API}/pages/{content.work_package.pk}/")

    assert work_package["lead_organisation"] == page_link(content.organisation)
    assert work_package["lead_unit"] == "Innovation unit"
    assert work_package["contact"] == {
        "id": content.contact.pk,
        "meta": {"type": "partners.OrganisationContact"},
        "name": content.contact.name,
        "job_title": content.contact.job_title,
        "phone": content.contact.phone,
    }
    [deliverable] = work_package["deliverables"]
    assert deliverable["document"]["id"] == content.document.pk


@pytest.mark.parametrize("parameter", ["child_of", "descendant_of"])
def test_root_is_still_a_parent_the_api_takes(client, content, parameter):
    response = client.get(f"{API}/pages/?{parameter}=root")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] >= 1


def test_no_answer_holds_a_contact_e_mail_address(client, content):
    """The pages write addresses so that harvesters miss them; the API leaves them out."""
    urls = [
        f"{API}/pages/{content.organisation.pk}/",
        f"{API}/pages/{content.work_package.pk}/",
        f"{API}/pages/?type=partners.OrganisationPage&fields=contacts",
        f"{API}/pages/?type=workpackages.WorkPackagePage&fields=contact",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"ada@agency.example.org" not in response.content, url
        assert b'"email"' not in response.content, url


def test_a_lead_organisation_that_is_not_published_is_null(client, content):
    work_package = get_json(client, f"{API}/pages/{content.work_package_of_draft.pk}/")

    assert work_package["lead_organisation"] is None


def test_an_organisation_shows_its_logo_as_a_rendition_with_alt_text(client, content):
    organisation = get_json(client, f"{API}/pages/{content.organisation.pk}/")

    logo = organisation["logo"]
    assert logo["id"] == content.logo.pk
    assert logo["alt"] == "Agency logo: a blue wave"
    assert ".max-1000x1000" in logo["url"]
    assert {"full_url", "width", "height", "credit"} <= set(logo)
    assert organisation["contacts"][0]["name"] == content.contact.name
    assert organisation["led_work_packages"] == [page_link(content.work_package)]


def test_a_metropolis_shows_its_key_figures_with_their_source(client, content):
    metropolis = get_json(client, f"{API}/pages/{content.metropolis.pk}/")

    [figure] = metropolis["key_figures"]
    assert figure["measure"] == "Inhabitants"
    assert figure["display_value"] == "100 million"
    assert set(figure["source"]) == {
        "id",
        "meta",
        "title",
        "publisher",
        "year",
        "year_inferred",
        "date",
        "document",
    }
    assert isinstance(metropolis["latitude"], float)


def test_no_owner_or_revision_data_is_exposed(client, content):
    text = client.get(f"{API}/pages/?fields=*&limit=100").content.decode()

    for private in ("owner", "latest_revision", "locked", "password", "live_revision"):
        assert private not in text


# Images and documents: public collections only ----------------------------------------------


def test_images_lists_the_public_collections_only(client, content):
    assert listed_ids(client, f"{API}/images/") == {content.logo.pk, content.image.pk}
    get_json(client, f"{API}/images/{content.private_image.pk}/", status=404)


def test_an_image_has_alt_text_credit_and_a_rendition(client, content):
    image = get_json(client, f"{API}/images/{content.image.pk}/")

    assert set(image) == {
        "id",
        "meta",
        "title",
        "width",
        "height",
        "alt_text",
        "credit",
        "rendition",
    }
    assert image["alt_text"] == content.image.description
    assert image["credit"] == "Photo: A. Photographer"
    assert image["rendition"]["alt"] == content.image.description
    assert ".max-1000x1000" in image["rendition"]["url"]


def test_documents_lists_the_public_collections_only(client, content):
    assert listed_ids(client, f"{API}/documents/") == {content.document.pk}
    for hidden in (content.private_document, content.restricted_document):
        get_json(client, f"{API}/documents/{hidden.pk}/", status=404)


def test_a_document_has_its_description_type_and_download_address(client, content):
    document = get_json(client, f"{API}/documents/{content.document.pk}/")

    assert set(document) == {"id", "meta", "title", "description", "file_extension"}
    assert document["description"] == content.document.description
    assert document["file_extension"] == "pdf"
    assert document["meta"]["download_url"].startswith(
        f"http://localhost/documents/{content.document.pk}/"
    )


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_media_search_leaves_out_private_collections(client, content, endpoint):
    # "report" is in both documents' titles, "partner" in the private image's.
    for word in ("report", "partner", "board"):
        ids = listed_ids(client, f"{API}/{endpoint}/?search={word}")
        private = {content.private_image.pk} if endpoint == "images" else set()
        if endpoint == "documents":
            private = {content.private_document.pk, content.restricted_document.pk}
        assert not ids & private
    if endpoint == "documents":
        assert listed_ids(client, f"{API}/documents/?search=report") == {content.document.pk}


# Read-only, JSON only -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_are_refused(client, site_tree, django_user_model, method):
    # Even for an administrator: the API has no session, so no CSRF error stands in for it.
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-12345678")
    client.force_login(admin)
    document = DocumentFactory()
    paths = ["pages/", f"pages/{site_tree.news.pk}/", "images/", f"documents/{document.pk}/"]

    for path in paths:
        response = getattr(client, method)(f"{API}/{path}", data={"title": "Changed"})

        assert response.status_code == 405, path
        assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert not Page.objects.filter(title="Changed").exists()
    assert CustomDocument.objects.get().title == document.title


def test_head_and_options_are_answered(client, site_tree):
    assert client.head(f"{API}/pages/").status_code == 200
    options = client.options(f"{API}/pages/")
    assert options.status_code == 200
    assert options.json()["renders"] == ["application/json"]
    assert options.json()["parses"] == []


def test_answers_are_json_even_for_a_browser(client, site_tree):
    response = client.get(f"{API}/pages/", HTTP_ACCEPT="text/html,*/*;q=0.8")

    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content
    assert client.get(f"{API}/pages/?format=api").status_code == 404


# Bad parameters: a 400 with a message, never a 500 ------------------------------------------

BAD_PARAMETERS = {
    "pages/?limit=abc": "limit must be a positive integer",
    "pages/?limit=": "limit must be a positive integer",
    "pages/?limit=101": "limit cannot be higher than 100",
    "pages/?limit=99999999999999999999999": "limit cannot be higher than 9223372036854775807",
    "pages/?limit=%C2%B2": "limit must be a positive integer",
    "pages/?offset=-1": "offset must be a positive integer",
    "pages/?offset=99999999999999999999999": "offset cannot be higher than 9223372036854775807",
    "pages/?offset=%C2%B2": "offset must be a positive integer",
    "pages/?offset=%D9%A3": "offset must be a positive integer",
    "pages/?descendant_of=%C2%B2": "descendant_of must be a positive integer",
    "pages/?type=nope.Nope": "type doesn't exist",
    "pages/?type=nope": "type doesn't exist",
    "pages/?type=baltmet.CustomImage": "type doesn't exist",
    "pages/?fields=doesnotexist": "unknown fields: doesnotexist",
    "pages/?fields=title(x)": "'title' does not support nested fields",
    "pages/?fields=((": "fields error: unexpected char '(' at position 0",
    "pages/?order=x": "cannot order by 'x' (unknown field)",
    "pages/?order=random&offset=1": "random ordering with offset is not supported",
    "pages/?search=cluster&order=random": (
        "cannot order by '?' while searching (field is not indexed)"
    ),
    "pages/?search=a%00b": "query parameters cannot contain null characters",
    "pages/?search=" + "harbour " * 13: "search cannot be longer than 100 characters",
    "pages/?search=a&search=%00": "query parameters cannot contain null characters",
    "pages/?search=cluster&search_operator=xor": "search_operator must be 'and' or 'or'",
    "pages/?type=news.NewsPage&tags=x&search=y": (
        "filtering by tag with a search query is not supported"
    ),
    "pages/?type=news.NewsPage&date=yesterday": (
        "field filter error. “yesterday” value has an invalid date format. "
        "It must be in YYYY-MM-DD format."
    ),
    "pages/?type=partners.MetropolisPage&latitude=north": (
        "field filter error. “north” value must be a decimal number."
    ),
    "pages/?type=workpackages.WorkPackagePage&number=two": (
        "field filter error. 'two' is not a valid value for number "
        "(invalid literal for int() with base 10: 'two')"
    ),
    "pages/?type=news.NewsPage&related_events=abc": (
        "field filter error. Field 'id' expected a number but got 'abc'."
    ),
    "pages/?type=partners.OrganisationPage&contacts=abc": (
        "field filter error. Field 'id' expected a number but got 'abc'."
    ),
    "pages/?type=news.NewsPage&search=x&related_events=1": (
        "cannot filter by 'eventpage_id' while searching (field is not indexed)"
    ),
    "pages/?child_of=abc": "child_of must be a positive integer",
    "pages/?child_of=99999999999999999999": "child_of cannot be higher than 9223372036854775807",
    "pages/?descendant_of=-5": "descendant_of must be a positive integer",
    "pages/?unknown=1": "query parameter is not an operation or a recognised field: unknown",
    "pages/?rich_text_format=pdf": (
        "rich_text_format must be one of 'db_html', 'db_markdown', 'html', 'markdown', got 'pdf'"
    ),
    "pages/find/?id=abc": "id must be a positive integer",
    "images/?width=wide": (
        "field filter error. 'wide' is not a valid value for width "
        "(invalid literal for int() with base 10: 'wide')"
    ),
    "images/?order=alt_text": "cannot order by 'alt_text' (unknown field)",
    "documents/?search=%00": "query parameters cannot contain null characters",
    "documents/find/?id=x": "id must be a positive integer",
}


def test_a_bad_parameter_is_a_400_with_a_message(client, site_tree):
    answers = {}
    for query in BAD_PARAMETERS:
        response = client.get(f"{API}/{query}")
        assert response["Content-Type"] == "application/json", query
        answers[query] = (response.status_code, response.json().get("message"))

    assert answers == {query: (400, message) for query, message in BAD_PARAMETERS.items()}


def test_odd_but_valid_parameters_give_an_answer(client, site_tree):
    for query in [
        "pages/?search=%26%7C!():*'\"\\",
        "pages/?search=" + "harbour " * 12,
        "pages/?search=",
        "pages/?id=99999999999999999999",
        "pages/?type=workpackages.WorkPackagePage&number=99999999999999999999",
        "pages/?offset=9223372036854775807",
        "pages/?limit=100",
        "images/?search=%E2%80%94",
    ]:
        assert "items" in get_json(client, f"{API}/{query}")


# The seed content ---------------------------------------------------------------------------


def test_every_seeded_page_is_listed_and_has_a_detail(client):
    load_seed_content()
    pages = Page.objects.filter(depth__gt=1).live().order_by("path")

    listing = get_json(client, f"{API}/pages/?limit=100")
    assert listing["meta"]["total_count"] == pages.count() == 70
    assert [item["id"] for item in listing["items"]] == [page.pk for page in pages]
    for page in pages:
        detail = get_json(client, f"{API}/pages/{page.pk}/")
        assert detail["title"] == page.title
    helsinki_partners = get_json(
        client, f"{API}/pages/?type=partners.OrganisationPage&search=culminatum&fields=contacts"
    )["items"]
    assert [item["title"] for item in helsinki_partners] == ["Culminatum Ltd Oy"]

    # The examples in the README's "API" section, with how many items each finds.
    examples = {
        "pages/?type=news.NewsPage&fields=date,intro,tags,related_events&order=-date": 4,
        "pages/?type=events.EventPage&fields=kind,starts_at,ends_at,time_zone,city,metropolis"
        "&order=starts_at": 5,
        "pages/?type=partners.OrganisationPage&fields=organisation_type,project_role,contacts,"
        "parent": 9,
        "pages/?type=partners.MetropolisPage&status=observer&fields=country,latitude,longitude": 3,
        "pages/?type=workpackages.WorkPackagePage&fields=number,lead_organisation,contact"
        "&order=number": 4,
        "pages/?type=news.NewsPage&tags=workshops": 1,
        "pages/?search=cluster&type=news.NewsPage": 1,
        "images/?fields=alt_text,credit,rendition": 0,
        "documents/?search=report": 0,
    }
    found = {query: len(get_json(client, f"{API}/{query}")["items"]) for query in examples}
    assert found == examples
    helsinki = client.get(f"{API}/pages/find/?html_path=/partners/helsinki/")
    assert helsinki.status_code == 302
    assert get_json(client, helsinki["Location"])["title"] == "Helsinki"
