"""The site in the network's languages: addresses, the switcher and hreflang links, the
English fallback with its notice, the sitemap, feeds, and the cost of a page in each."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import dateformat, formats, translation
from wagtail.models import Locale, Page

from baltmet.seeding.loader import load_seed_content
from events.models import EventPage
from events.templatetags.event_tags import event_when
from news.models import NewsPage
from partners.models import MetropolisPage
from tests.helpers import BUDGET, TRANSLATED_TREE_COST, queries

pytestmark = pytest.mark.django_db

NOTICE = 'class="translation-notice"'


def translate(page, language: str, title: str) -> Page:
    """A published translation of `page` (its parents become aliases), as an editor's
    translation is once approved."""
    translation = page.specific.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    )
    translation.title = title
    translation.save_revision().publish()
    return translation


def hreflang_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)
    if nav is None:
        return {}
    return dict(
        re.findall(
            r'<a class="language-switcher__link" href="([^"]+)" hreflang="([^"]+)"', nav.group(0)
        )
    )


@pytest.fixture
def seeded():
    load_seed_content()
    return list(Page.objects.filter(depth__gt=1).live().specific().order_by("path"))


def test_every_english_address_still_answers(client, seeded):
    """Every English page keeps its address; each also answers below a language prefix (in
    English, with the notice, until it is translated)."""
    for page in seeded:
        assert not page.url.startswith(("/en/", "/de/")), page.url
        english = client.get(page.url)
        assert english.status_code == 200, page.url
        assert '<html lang="en">' in english.content.decode()
        assert NOTICE not in english.content.decode()
        latvian = client.get(f"/lv{page.url}")
        assert latvian.status_code == 200, f"/lv{page.url}"
        assert NOTICE in latvian.content.decode()
    for url in (
        "/news/feed/rss/",
        "/news/feed/atom/",
        "/events/feed/",
        "/events/calendar.ics",
        "/sitemap.xml",
        "/sitemap/",
        "/search/?q=riga",
        "/robots.txt",
    ):
        assert client.get(url).status_code == 200, url


def test_an_untranslated_page_in_latvian_is_english_with_a_notice(client, seeded):
    partners = next(page for page in seeded if page.url == "/partners/")
    response = client.get("/lv/partners/")
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Language"] == "lv"
    assert '<html lang="lv">' in html
    assert '<span lang="en">English</span>' in html
    # In Latvian (locale/lv), naming the original's language in that language.
    assert "Šī lapa vēl nav tulkota šajā valodā" in html
    assert f'<link rel="canonical" href="http://testserver{partners.url}">' in html
    # The page exists in English only: no alternates but English and x-default.
    assert hreflang_links(html) == {
        "en": "http://testserver/partners/",
        "x-default": "http://testserver/partners/",
    }
    # The menu and breadcrumbs keep the visitor in Latvian, and mark the English titles.
    assert 'class="main-nav__link" href="/lv/news/" lang="en">' in html
    assert '<a href="/lv/">' in html
    assert f'<span aria-current="page" lang="en">{partners.title}</span>' in html
    english = client.get("/partners/").content.decode()
    assert 'class="main-nav__link" href="/news/">' in english
    assert f'<span aria-current="page">{partners.title}</span>' in english
    assert client.get("/lv/no-such-page/").status_code == 404
    assert client.get("/xx/partners/").status_code == 404


def test_a_translated_page_links_its_languages_both_ways(client, seeded):
    berlin = MetropolisPage.objects.get(slug="berlin")
    german = translate(berlin, "de", "Berlin (Deutsch)")
    assert german.url == "/de/partners/berlin/"

    english_html = client.get(berlin.url).content.decode()
    german_response = client.get(german.url)
    german_html = german_response.content.decode()

    assert german_response.status_code == 200
    assert '<html lang="de">' in german_html and NOTICE not in german_html
    expected = {
        "en": "http://testserver/partners/berlin/",
        "de": "http://testserver/de/partners/berlin/",
        "x-default": "http://testserver/partners/berlin/",
    }
    assert hreflang_links(english_html) == expected
    assert hreflang_links(german_html) == expected
    assert switcher_links(english_html) == {berlin.url: "en", german.url: "de"}
    assert switcher_links(german_html) == {berlin.url: "en", german.url: "de"}
    # The switcher names each language in itself, marked with its language.
    assert 'hreflang="de" lang="de"' in english_html and ">Deutsch</a>" in english_html
    # Its breadcrumbs lead up its own tree: the German home and partners (aliases for now,
    # whose titles are English), to its own German title.
    assert '<a href="/de/partners/" lang="en">' in german_html
    assert '<span aria-current="page">Berlin (Deutsch)</span>' in german_html

    # Back in English, the page that has no German version says so.
    assert NOTICE in client.get("/de/partners/").content.decode()


def test_the_sitemap_lists_each_translation_with_its_alternates(client, seeded):
    berlin = MetropolisPage.objects.get(slug="berlin")
    german = translate(berlin, "de", "Berlin (Deutsch)")
    xml = client.get("/sitemap.xml").content.decode()

    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert "http://testserver/de/partners/berlin/" in locations
    assert "http://testserver/partners/berlin/" in locations
    # Aliases (the German home and partners section) repeat English pages: not listed.
    assert "http://testserver/de/" not in locations
    assert "http://testserver/de/partners/" not in locations
    assert len(locations) == len(set(locations))
    entry = re.search(r"<url><loc>http://testserver/de/partners/berlin/</loc>.*?</url>", xml, re.S)
    alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry.group(0)))
    assert alternates == hreflang_links(client.get(german.url).content.decode())


def test_feeds_in_each_language(client, seeded):
    news = NewsPage.objects.live().order_by("-date", "-pk").first()
    latvian = translate(news, "lv", "Ziņa latviski")

    english = client.get("/news/feed/rss/").content.decode()
    in_latvian = client.get("/lv/news/feed/rss/").content.decode()
    assert "Ziņa latviski" not in english and news.title in english
    assert "Ziņa latviski" in in_latvian and f"<title>{news.title}</title>" not in in_latvian
    assert latvian.url in in_latvian
    # The other news items are there in English.
    assert in_latvian.count("<item>") == english.count("<item>")


def test_pages_in_other_languages_keep_the_query_budget(seeded, settings):
    """English pages keep the budget; a page asked for in another language adds Wagtail's
    costs: its home page's lookup, and in a translated tree each ancestor still an alias.
    Once the ancestors are translated, only the first remains."""
    settings.PAGE_CACHE = False
    client = Client()
    berlin = MetropolisPage.objects.get(slug="berlin")
    german = translate(berlin, "de", "Berlin (Deutsch)")
    assert queries(client, berlin.url) <= BUDGET
    for url in ("/lv/partners/berlin/", "/lv/partners/", "/lv/"):  # English, with the notice
        assert queries(client, url) <= BUDGET + TRANSLATED_TREE_COST, url
    aliases = german.get_ancestors().filter(depth__gt=1, alias_of__isnull=False).count()
    assert aliases == 2  # the German home and partners section
    assert queries(client, german.url) <= BUDGET + TRANSLATED_TREE_COST + aliases
    for ancestor in german.get_ancestors().filter(depth__gt=1).specific():
        translated = Page.objects.get(pk=ancestor.pk).specific
        translated.alias_of = None  # as wagtail-localize converts an alias it translates
        translated.save_revision().publish()
    assert queries(client, german.url) <= BUDGET + TRANSLATED_TREE_COST


def test_prefixed_pages_are_cached_without_varying_on_the_language_header(client, seeded):
    first = client.get("/lv/partners/")
    second = client.get("/lv/partners/", HTTP_ACCEPT_LANGUAGE="de")
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert "Accept-Language" not in first.get("Vary", "")
    assert second.content == first.content


def test_dates_in_the_visitors_language(client, seeded):
    """Each language writes dates its own way (Django's formats); English as the portal
    always has, "14 May 2008". An event's range repeats the month outside English."""
    news = NewsPage.objects.live().order_by("-date", "-pk").first()
    english = dateformat.format(news.date, "j F Y")
    with translation.override("de"):
        german = formats.date_format(news.date, "DATE_FORMAT")
    with translation.override("pl"):
        polish = formats.date_format(news.date, "DATE_FORMAT")
    assert len({english, german, polish}) == 3
    assert english in client.get(news.url).content.decode()
    assert german in client.get(f"/de{news.url}").content.decode()
    assert polish in client.get(f"/pl{news.url}").content.decode()

    event = EventPage(start_date=dt.date(2007, 6, 13), end_date=dt.date(2007, 6, 15))
    event.start_time = None
    assert event_when(event) == "13–15 June 2007"
    with translation.override("de"):
        assert event_when(event) == "13. Juni 2007 – 15. Juni 2007"


def test_key_figures_use_the_languages_decimal_mark():
    from partners.models import MetropolisKeyFigure

    figure = MetropolisKeyFigure(measure="Area", value=Decimal("1234.5"), unit="km²")
    assert figure.display_number == "1\u202f234.5 km²"
    with translation.override("de"):
        assert figure.display_number == "1\u202f234,5 km²"


def test_key_figures_qualifiers_are_in_the_visitors_language():
    from partners.models import MetropolisKeyFigure

    figure = MetropolisKeyFigure(value=Decimal("21"), unit="%", qualifier="approximately")
    assert figure.display_value == "approximately 21%"
    with translation.override("de"):
        assert figure.display_value == "etwa 21%"
    with translation.override("pl"):
        assert figure.display_value == "w przybliżeniu 21%"
    assert MetropolisKeyFigure(value=Decimal("3"), unit="%").display_value == "3%"


def test_the_search_and_sitemap_pages_exist_in_every_language(client, seeded):
    html = client.get("/lv/search/?q=riga").content.decode()
    links = switcher_links(html)
    assert len(links) == 11
    assert links["/search/?q=riga"] == "en" and links["/de/search/?q=riga"] == "de"
    assert 'aria-current="true">Latviešu</a>' in html
    sitemap = hreflang_links(client.get("/sitemap/").content.decode())
    assert sitemap["x-default"] == "http://testserver/sitemap/"
    assert sitemap["ru"] == "http://testserver/ru/sitemap/"
