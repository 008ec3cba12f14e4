"""Cards in listings are written once per process for what they show (card_tags)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Site

from baltmet.cache import tags as cache_tags
from baltmet.queries import as_cards
from baltmet.templatetags import card_tags
from baltmet.templatetags.card_tags import written_card
from news.factories import NewsPageFactory
from news.models import NewsPage
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisPage, OrganisationPage
from workpackages.factories import WorkPackagePageFactory
from workpackages.models import WorkPackagePage

pytestmark = pytest.mark.django_db

CARD = Template('{% load card_tags %}{% card page level="2" %}')


@pytest.fixture
def writings(monkeypatch):
    """The pages whose card a template wrote, by title; no card kept beforehand."""
    written_card.cache_clear()
    titles = []
    write = card_tags.render_to_string

    def counting(name, context):
        titles.append(next(value.title for key, value in context.items() if key != "level"))
        return write(name, context)

    monkeypatch.setattr(card_tags, "render_to_string", counting)
    return titles


def card_of(page, host="localhost") -> str:
    request = RequestFactory().get("/", HTTP_HOST=host)
    return CARD.render(Context({"page": page, "request": request}))


def news_card(pk) -> NewsPage:
    return as_cards(NewsPage.objects.filter(pk=pk)).get()


def test_a_card_is_written_once_and_again_when_its_page_changes(site_tree, writings):
    news = NewsPageFactory(parent=site_tree.news, title="Harbour news", slug="harbour")
    first = card_of(news_card(news.pk))

    assert card_of(news_card(news.pk)) == first
    assert '<h2 class="card__title"><a href="/news/harbour/">Harbour news</a></h2>' in first
    assert writings == ["Harbour news"]

    news.title = "Harbour & ferry news"
    news.save_revision().publish()

    assert "Harbour &amp; ferry news" in card_of(news_card(news.pk))
    assert writings == ["Harbour news", "Harbour & ferry news"]


def test_a_card_links_its_page_as_the_site_asked_links_it(site_tree, writings, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    news = NewsPageFactory(parent=site_tree.news, slug="harbour")
    Site.objects.create(hostname="news.example.org", port=80, root_page=site_tree.news)

    assert 'href="/news/harbour/"' in card_of(news_card(news.pk))
    assert 'href="/harbour/"' in card_of(news_card(news.pk), host="news.example.org")
    assert 'href="/news/harbour/"' in card_of(news_card(news.pk))
    assert len(writings) == 2


def test_a_card_follows_the_page_given_to_it(site_tree, writings):
    """The partners index gives each organisation its metropolis, which its card shows."""
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    organisation = OrganisationPageFactory(parent=riga)

    def card():
        shown = as_cards(OrganisationPage.objects.filter(pk=organisation.pk)).get()
        shown.metropolis = MetropolisPage.objects.get(pk=riga.pk)
        return card_of(shown)

    assert "Riga, " in card()
    riga.title = "Rīga"
    riga.save_revision().publish()

    assert "Rīga, " in card()
    assert len(writings) == 2


def test_a_card_follows_the_page_selected_with_its_own(site_tree, writings):
    """A work package's card shows its lead organisation's name, selected with it."""
    work_package = WorkPackagePageFactory(parent=site_tree.work_packages)
    lead = work_package.lead_organisation

    def card():
        shown = as_cards(WorkPackagePage.objects.filter(pk=work_package.pk))
        return card_of(shown.select_related("lead_organisation").get())

    assert f"Led by {lead.title}" in card()
    lead.title = "Another organisation"
    lead.save_revision().publish()

    assert "Led by Another organisation" in card()
    assert len(writings) == 2


def test_a_page_loaded_whole_has_its_card_written_each_time(site_tree, writings):
    """Its StreamFields' values cannot be a key: the card is written, not kept."""
    news = NewsPageFactory(parent=site_tree.news, title="Whole news")
    whole = NewsPage.objects.get(pk=news.pk)
    whole.body  # noqa: B018 - loaded as a page is for its own view

    assert card_of(whole) == card_of(whole)
    assert "Whole news" in card_of(whole)
    assert writings == ["Whole news"] * 3
    assert written_card.cache_info().currsize == 0


def test_a_kept_card_holds_neither_its_page_nor_the_request(site_tree, writings, monkeypatch):
    news = NewsPageFactory(parent=site_tree.news)
    shown_cards = []
    write = card_tags.ShownCard.write

    def recording(shown, level):
        shown_cards.append(shown)
        return write(shown, level)

    monkeypatch.setattr(card_tags.ShownCard, "write", recording)
    card_of(news_card(news.pk))

    (kept,) = shown_cards
    assert kept.page is None and kept.request is None
    assert written_card.cache_info().currsize == 1


def test_a_card_that_loads_what_it_shows_is_not_kept(site_tree, writings):
    """Its key could not say what it shows; the response depends on what it loaded."""
    work_package = WorkPackagePageFactory(parent=site_tree.work_packages)
    lead = work_package.lead_organisation

    def card():
        shown = as_cards(WorkPackagePage.objects.filter(pk=work_package.pk)).get()
        with cache_tags.collecting() as collector:
            html = card_of(shown)  # the lead organisation is read when the card is written
        return html, collector.tags

    (first, first_tags), (again, again_tags) = card(), card()

    assert first == again
    assert f"Led by {lead.title}" in first
    assert f"page:{lead.pk}" in first_tags and f"page:{lead.pk}" in again_tags
    assert len(writings) == 2
    assert written_card.cache_info().currsize == 0


@pytest.mark.parametrize("listing", ["metropolis", "partners index"])
def test_the_organisation_cards_of_a_listing_are_kept(
    site_tree, writings, client, settings, listing
):
    """Organisations are listed as cards, not loaded whole: a second visit writes none."""
    settings.PAGE_CACHE = False
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    OrganisationPageFactory(parent=riga, title="Riga Technical University")
    OrganisationPageFactory(parent=riga, title="City of Riga")
    url = riga.url if listing == "metropolis" else site_tree.partners.url

    first = client.get(url)
    assert client.get(url).content == first.content

    assert "Riga Technical University" in first.content.decode()
    organisations = [title for title in writings if title != "Riga"]  # the index's city card
    assert sorted(organisations) == ["City of Riga", "Riga Technical University"]
