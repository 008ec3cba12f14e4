"""The seed loader: the documented tree, idempotence, respect for editors, bad data."""

import copy
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision, Site

from baltmet.actionplan.models import Action, ActionPlanPage
from baltmet.benchmark.models import BenchmarkPage
from baltmet.home.models import HomePage
from baltmet.library.models import LibraryEntryPage, LibraryPage
from baltmet.models import FigureSource, SiteSettings, StandardPage
from baltmet.projects.models import RelatedProject, RelatedProjectsPage
from baltmet.seeding.loader import DEFAULT_SEED_FILE, SeedError, SeedLoader, read_seed_file
from baltmet.seeding.models import SeedRecord
from events.models import EventPage
from news.models import NewsPage
from partners.models import MetropolisPage, OrganisationPage, PeoplePage, ProjectRole
from workpackages.models import WorkPackagePage

pytestmark = pytest.mark.django_db


# The pages outside the menu, linked from the footer, in the order of the file: the contact
# forms and the portal's notices.
NOTICES = ["contact", "accessibility", "privacy", "imprint"]


@pytest.fixture
def seed_data():
    return read_seed_file(DEFAULT_SEED_FILE)


def load(data):
    return SeedLoader(copy.deepcopy(data)).run()


def page_fingerprint():
    """What a second load must leave exactly as it was."""
    return (
        list(Page.objects.order_by("path").values_list("path", "slug", "latest_revision_id")),
        Revision.objects.count(),
        FigureSource.objects.count(),
    )


def test_builds_the_documented_tree(seed_data):
    report = load(seed_data)

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert [p.slug for p in home.get_children()] == [
        "about",
        "partners",
        "work-packages",
        "news",
        "events",
        "library",
        *NOTICES,  # linked from the footer, not in the menu
    ]
    assert [p.slug for p in home.get_children() if not p.show_in_menus] == NOTICES
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    # In the footer's order.
    assert [page.slug for page in settings.notice_pages()] == [
        "privacy",
        "accessibility",
        "imprint",
    ]
    assert settings.live_contact_page().slug == "contact"
    assert [link.value["url"] for link in settings.footer_links] == ["http://www.inno.baltmet.org/"]
    counts = {
        MetropolisPage: 11,
        OrganisationPage: 9,
        WorkPackagePage: 4,
        EventPage: 5,
        NewsPage: 4,
        StandardPage: 7,  # four from the documents, and the three notices
        ActionPlanPage: 1,
        RelatedProjectsPage: 1,
        PeoplePage: 1,
        BenchmarkPage: 1,
        LibraryPage: 1,
        LibraryEntryPage: 19,  # 16 results of the work packages, the brochure, 2 presentations
    }
    for model, expected in counts.items():
        assert model.objects.live().count() == expected, model.__name__
    sources = 6
    assert report.counts["created"] == Page.objects.filter(depth__gt=1).count() + sources
    assert not Page.objects.filter(slug="home", content_type__model="page").exists()


def test_metropolises_and_partners(seed_data):
    load(seed_data)

    observers = MetropolisPage.objects.filter(status="observer").order_by("title")
    assert [m.title for m in observers] == ["Oslo", "Vilnius", "Warsaw"]
    helsinki = MetropolisPage.objects.get(slug="helsinki")
    assert helsinki.latitude == Decimal("60.16990")
    assert [o.slug for o in helsinki.organisations()] == ["city-of-helsinki", "culminatum"]
    assert OrganisationPage.objects.get(project_role=ProjectRole.LEAD_PARTNER).title == (
        "City of Helsinki"
    )
    assert OrganisationPage.objects.get(project_role=ProjectRole.COORDINATOR).title == (
        "Culminatum Ltd Oy"
    )


def test_work_packages_link_leader_and_contact(seed_data):
    load(seed_data)

    leaders = {
        wp.number: (wp.lead_organisation.slug, wp.contact.name, wp.contact.email)
        for wp in WorkPackagePage.objects.select_related("lead_organisation", "contact")
    }
    assert leaders == {
        1: ("culminatum", "Kimmo Heinonen", "kimmo.heinonen@culminatum.fi"),
        2: ("city-of-riga", "Linda Pukite", "linda.pukite@riga.lv"),
        3: ("wista-management", "Helge Neumann", "helge@wista.de"),
        4: (
            "county-administrative-board-of-stockholm",
            "Claudia Hakanen",
            "claudia.hakanen@sses.se",
        ),
    }
    wp3 = WorkPackagePage.objects.get(number=3)
    assert len(wp3.goals) == 2 and len(wp3.results) == 4
    assert [e.slug for e in wp3.events.all()] == ["transnational-cluster-alliances-berlin-2007"]
    assert [n.slug for n in wp3.news_pages.all()] == ["wp3-cluster-development-final-conference"]


def test_key_figures_keep_source_and_year(seed_data):
    load(seed_data)

    home = HomePage.objects.get()
    by_year = {}
    for figure in home.key_figures.select_related("source"):
        by_year.setdefault(figure.source.year, {})[figure.measure] = figure.display_value
    assert by_year[2007]["Inhabitants"] == "21 million"
    assert by_year[2008]["Inhabitants"] == "almost 25 million"
    assert by_year[2007]["Universities"] == "92"
    assert by_year[2008]["Universities"] == "more than 130"
    helsinki = MetropolisPage.objects.get(slug="helsinki")
    assert helsinki.key_figures.count() == 19
    assert {f.source.title for f in helsinki.key_figures.all()} == {"Helsinki Region profile"}


def test_events_are_all_day_in_their_own_time_zone(seed_data):
    load(seed_data)

    workshops = EventPage.objects.get(slug="workshops-st-petersburg-2007")
    assert workshops.is_all_day
    # Moscow time was UTC+4 in the summer of 2007.
    assert workshops.starts_at.isoformat() == "2007-06-12T20:00:00+00:00"
    assert workshops.ends_at.isoformat() == "2007-06-15T20:00:00+00:00"
    conference = EventPage.objects.get(slug="transnational-cluster-alliances-berlin-2007")
    assert [p.speaker for p in conference.presentations.all()] == ["Riikka Lahdensuo"]
    assert [o.slug for o in conference.organising_partners.all()] == ["wista-management"]


def test_site_settings_are_filled(seed_data):
    load(seed_data)

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.funding_statement == "Project part-financed by the European Union"
    assert "Baltic Metropolises" in settings.footer_text


def test_second_run_changes_nothing(seed_data):
    load(seed_data)
    before = page_fingerprint()

    report = load(seed_data)

    assert page_fingerprint() == before
    assert report.counts["created"] == 0
    assert report.counts["updated"] == 0
    assert report.counts["unchanged"] == Page.objects.filter(depth__gt=1).count()


def test_a_changed_entry_updates_a_page_nobody_edited(seed_data):
    load(seed_data)
    changed = copy.deepcopy(seed_data)
    changed["news"]["items"][0]["intro"] = "A corrected lead."

    report = load(changed)

    assert report.counts["updated"] == 1
    page = NewsPage.objects.get(slug="workshops-in-st-petersburg")
    assert page.intro == "A corrected lead."
    assert page.live and not page.has_unpublished_changes


def test_pages_changed_by_an_editor_are_skipped(seed_data, django_user_model):
    load(seed_data)
    editor = django_user_model.objects.create_superuser("editor", password="x" * 16)
    page = NewsPage.objects.get(slug="workshops-in-st-petersburg")
    page.intro = "Written by an editor."
    page.save_revision(user=editor).publish(user=editor)
    changed = copy.deepcopy(seed_data)
    changed["news"]["items"][0]["intro"] = "The loader's new text."

    report = load(changed)

    page.refresh_from_db()
    assert page.intro == "Written by an editor."
    assert report.counts["skipped"] == 1
    assert any("news/workshops-in-st-petersburg" in line for line in report.lines)


def test_a_draft_by_an_editor_also_protects_the_page(seed_data, django_user_model):
    load(seed_data)
    editor = django_user_model.objects.create_superuser("editor", password="x" * 16)
    page = StandardPage.objects.get(slug="bridge-bsr")
    page.intro = "Draft in progress."
    page.save_revision(user=editor)
    changed = copy.deepcopy(seed_data)
    changed["pages"][0]["children"][3]["intro"] = "Loader text."

    load(changed)

    page = StandardPage.objects.get(slug="bridge-bsr")
    assert page.get_latest_revision_as_object().intro == "Draft in progress."


def test_contacts_keep_their_identity_when_an_organisation_is_updated(seed_data):
    load(seed_data)
    contact_id = WorkPackagePage.objects.get(number=2).contact_id
    changed = copy.deepcopy(seed_data)
    riga = next(m for m in changed["partners"]["metropolises"] if m["slug"] == "riga")
    riga["organisations"][0]["intro"] = "Updated."

    load(changed)

    assert WorkPackagePage.objects.get(number=2).contact_id == contact_id


def about_child(data, slug):
    about = next(entry for entry in data["pages"] if entry["slug"] == "about")
    return next(child for child in about["children"] if child["slug"] == slug)


BAD_DATA_CASES = [
    # (what is wrong, how to break the data, words the error must contain)
    (
        "missing field",
        lambda d: d["news"]["items"][3].pop("date"),
        "news.items[3]: missing date",
    ),
    (
        "unknown key",
        lambda d: d["events"]["items"][0].update(colour="blue"),
        "events.items[0]: unknown key(s) colour",
    ),
    (
        "unknown reference",
        lambda d: d["news"]["items"][3].update(events=["no-such-event"]),
        "news.items[3]: unknown event 'no-such-event'",
    ),
    (
        "invalid choice",
        lambda d: d["partners"]["metropolises"][10].update(status="member"),
        "partners.metropolises[10]: status",
    ),
    (
        "event ending before it starts",
        lambda d: d["events"]["items"][4].update(end_date="2008-01-01"),
        "events.items[4]: end_date: The event cannot end before it starts.",
    ),
    (
        "contact of another organisation",
        lambda d: d["work_packages"]["items"][0].update(contact="Linda Pukite"),
        "'Linda Pukite' is not a contact person of Culminatum Ltd Oy",
    ),
    (
        "unknown figure source",
        lambda d: d["home"]["key_figures"][0].update(source="nowhere"),
        "home.key_figures[0]: unknown source 'nowhere'",
    ),
    (
        "project serving a missing action",
        lambda d: about_child(d, "related-projects")["items"][2].update(actions=["9.9"]),
        "pages[0].children[6].items[2]: unknown Action Plan action '9.9'",
    ),
    (
        "project of an unknown kind",
        lambda d: about_child(d, "related-projects")["items"][0].update(kind="castle"),
        "pages[0].children[6].items[0]: kind",
    ),
    (
        "focus area without a number",
        lambda d: about_child(d, "action-plan-2008-2010")["focus_areas"][0].update(number="one"),
        "pages[0].children[2].focus_areas[0]:",
    ),
    (
        "menu naming a missing page",
        lambda d: d["menu"].append("no-such-page"),
        "menu: no page with slug no-such-page",
    ),
    (
        "block without its value",
        lambda d: d["pages"][0]["body"][0].pop("value"),
        "pages[0].body[0]: missing value.",
    ),
    (
        "footer notice naming a missing page",
        lambda d: d["site"].update(imprint_page="nowhere"),
        "site.imprint_page: no page with slug 'nowhere'",
    ),
]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [(case[1], case[2]) for case in BAD_DATA_CASES],
    ids=[case[0] for case in BAD_DATA_CASES],
)
def test_bad_data_names_the_entry_and_writes_nothing(seed_data, breakage, message):
    before = page_fingerprint()
    broken = copy.deepcopy(seed_data)
    breakage(broken)

    with pytest.raises(SeedError) as error:
        load(broken)

    assert message in str(error.value)
    assert page_fingerprint() == before
    assert not SeedRecord.objects.exists()
    assert not Action.objects.exists() and not RelatedProject.objects.exists()


def test_command_reports_progress_and_summary(seed_data, capsys):
    call_command("load_seed_content")
    output = capsys.readouterr().out

    assert "created   partners/helsinki/culminatum" in output
    assert (
        "Seed content loaded: 76 created, 0 updated, 0 unchanged, 0 skipped, 0 not restored."
        in output
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("menu: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("home: {title: Home}\n", "home: missing mission"),
    ],
)
def test_command_rejects_bad_files(tmp_path, content, message):
    seed_file = tmp_path / "seed.yaml"
    seed_file.write_text(content)

    with pytest.raises(CommandError) as error:
        call_command("load_seed_content", file=seed_file)

    assert message in str(error.value)
    assert "Nothing was changed." in str(error.value)
    assert not HomePage.objects.exists()


def test_command_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Seed file not found"):
        call_command("load_seed_content", file=tmp_path / "absent.yaml")


def test_the_seed_file_names_its_sources_for_every_page_entry():
    data = yaml.safe_load(DEFAULT_SEED_FILE.read_text())
    sections = [data["home"], data["partners"], data["work_packages"], data["events"], data["news"]]
    pages = list(data["pages"])
    while pages:
        page = pages.pop()
        sections.append(page)
        pages.extend(page.get("children", []))
    assert all(section.get("from") for section in sections)


@pytest.mark.parametrize(
    ("base_url", "hostname", "port"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
        ("https://inno.example.org", "inno.example.org", 443),
        ("http://portal.example.org/", "portal.example.org", 80),
    ],
)
def test_the_default_site_takes_the_portals_address(seed_data, settings, base_url, hostname, port):
    settings.WAGTAILADMIN_BASE_URL = base_url

    load(seed_data)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (hostname, port)


def test_an_address_set_by_an_administrator_is_kept(seed_data):
    load(seed_data)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "inno.example.org", 443
    site.save()

    load(seed_data)

    site.refresh_from_db()
    assert (site.hostname, site.port) == ("inno.example.org", 443)


# Pages an administrator deleted or moved


def test_pages_an_administrator_deleted_are_not_brought_back(seed_data):
    load(seed_data)
    news = NewsPage.objects.order_by("path").first()
    # An organisation that leads no work package (those are protected from deletion).
    organisation = (
        OrganisationPage.objects.filter(led_work_packages__isnull=True).order_by("path").first()
    )
    about = StandardPage.objects.get(slug="about")
    children_of_about = list(about.get_children().values_list("slug", flat=True))
    deleted = {news.slug, organisation.slug, "about", *children_of_about}
    for page in (news, organisation, about):
        page.delete()

    report = load(seed_data)

    assert not Page.objects.filter(slug__in=deleted).exists()
    assert report.counts["not restored"] == len(deleted)
    assert f"{report.counts['not restored']} not restored" in report.summary()
    lines = "\n".join(report.lines)
    assert "deleted in the admin" in lines
    assert "its parent page was deleted in the admin" in lines  # the children of about
    # The rest of the site is as it was, and a third run changes nothing more.
    assert report.counts["created"] == 0
    before = page_fingerprint()
    load(seed_data)
    assert page_fingerprint() == before


def test_relations_to_a_deleted_page_are_left_out_when_an_entry_changes(seed_data):
    load(seed_data)
    news_entry = next(e for e in seed_data["news"]["items"] if e.get("events"))
    news = NewsPage.objects.get(slug=news_entry["slug"])
    event = EventPage.objects.get(slug=news_entry["events"][0])
    assert event in news.related_events.all()
    event.delete()
    changed = copy.deepcopy(seed_data)
    entry = next(e for e in changed["news"]["items"] if e["slug"] == news_entry["slug"])
    entry["intro"] += " Updated."

    report = load(changed)

    news.refresh_from_db()
    assert news.intro.endswith("Updated.")
    assert list(news.related_events.all()) == []
    assert report.counts["updated"] == 1
    assert report.counts["not restored"] == 1


def test_a_page_an_administrator_moved_is_left_where_it_is(seed_data):
    load(seed_data)
    moved = StandardPage.objects.get(slug="prospects-for-the-future")
    moved.move(StandardPage.objects.get(slug="archipelago-of-innovation"), pos="last-child")

    report = load(seed_data)

    assert StandardPage.objects.filter(slug="prospects-for-the-future").count() == 1
    assert "moved in the admin" in "\n".join(report.lines)
    assert report.counts["created"] == 0


def test_a_deleted_section_and_a_deleted_responsible_partner_are_left_out(seed_data):
    load(seed_data)
    events_index = Page.objects.get(slug="events", depth=3)
    event_slugs = list(events_index.get_children().values_list("slug", flat=True))
    # Named in a "responsible partner" block of a page's body; it leads no work package.
    copenhagen = OrganisationPage.objects.get(slug="city-of-copenhagen")
    assert not copenhagen.led_work_packages.exists()
    events_index.delete()
    copenhagen.delete()

    report = load(seed_data)

    assert not Page.objects.filter(slug__in=["events", *event_slugs]).exists()
    assert not OrganisationPage.objects.filter(slug="city-of-copenhagen").exists()
    assert report.counts["not restored"] == 1 + len(event_slugs) + 1
    assert report.counts["created"] == 0
    # The menu keeps the sections that are left, in their order.
    home = HomePage.objects.get()
    assert [p.slug for p in home.get_children()] == [
        "about",
        "partners",
        "work-packages",
        "news",
        "library",
        *NOTICES,
    ]


def untyped_action_plan(data):
    """The content as earlier versions had it: the Action Plan as a standard page, and no
    related projects."""
    data = copy.deepcopy(data)
    about = next(entry for entry in data["pages"] if entry["slug"] == "about")
    children = []
    for child in about["children"]:
        if child.get("type") == "action_plan":
            children.append({"slug": child["slug"], "title": child["title"]})
        elif child.get("type") != "related_projects":
            children.append(child)
    about["children"] = children
    return data


def test_the_action_plan_standard_page_of_an_earlier_load_becomes_the_typed_page(seed_data):
    load(untyped_action_plan(seed_data))
    old = StandardPage.objects.get(slug="action-plan-2008-2010")
    load(seed_data)
    assert not StandardPage.objects.filter(pk=old.pk).exists()
    assert ActionPlanPage.objects.get().url == old.url


def test_an_edited_action_plan_standard_page_is_left_alone(seed_data):
    load(untyped_action_plan(seed_data))
    old = StandardPage.objects.get(slug="action-plan-2008-2010")
    old.intro = "An editor's words."
    old.save_revision().publish()
    report = load(seed_data)
    assert StandardPage.objects.get(pk=old.pk).intro == "An editor's words."
    assert not ActionPlanPage.objects.exists()
    assert any("skipped" in line and "about/action-plan-2008-2010" in line for line in report.lines)
