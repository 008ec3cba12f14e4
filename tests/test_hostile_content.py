"""Hostile content entered through the admin never becomes script on the site or in previews.

Partner editors are people from other organisations: what they write is shown to visitors,
and to moderators in the admin's previews, whose policy allows inline script. So the content
itself must be harmless: Wagtail stores rich text only as the elements and attributes of the
features we enable (RICH_TEXT_FEATURES), every other field is escaped by the templates, and
embeds come only from the two video players the Content-Security-Policy frames.
"""

import json
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.utils.text import slugify
from wagtail import blocks
from wagtail.embeds.models import Embed
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from baltmet.factories import StandardPageFactory
from news.models import NewsPage
from tests.helpers import inline_code, log_in

pytestmark = pytest.mark.django_db

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)><svg onload=alert(2)>'


def contentstate(text: str, links: tuple[str, ...] = (), **extra) -> str:
    """What Draftail would post for one paragraph, as a forged request may shape it: the text,
    a link over each of its first words, and formats and block types the editor does not
    offer."""
    words = [(text.index(word), len(word)) for word in text.split()[: len(links)]]
    block = {
        "key": "a1",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [{"offset": 0, "length": 4, "style": "onclick"}],
        "entityRanges": [
            {"offset": offset, "length": length, "key": index}
            for index, (offset, length) in enumerate(words)
        ],
        "data": {"style": "color:red", "onclick": "alert(3)"},
    }
    code = {
        "key": "b2",
        "type": "code-block",
        "depth": 0,
        "text": "<script>alert(4)</script>",
        "inlineStyleRanges": [],
        "entityRanges": [],
        "data": {},
    }
    entity_map = {
        str(index): {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}
        for index, url in enumerate(links)
    }
    return json.dumps({"blocks": [block, code], "entityMap": entity_map, **extra})


HOSTILE_LINKS = (
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(5)",
    "data:text/html,<script>alert(6)</script>",
    "vbscript:msgbox(7)",
)


def hostile_body() -> dict:
    return streamfield(
        [
            ("paragraph", contentstate(f"Read all about it {XSS}", HOSTILE_LINKS)),
            ("heading", {"text": XSS, "level": "h2"}),
            ("quote", {"quote": XSS, "attribution": '"><script>alert(8)</script>'}),
            (
                "numbered_section",
                {
                    "number": "1",
                    "title": XSS,
                    "items": streamfield([]),
                },
            ),
        ]
    )


def assert_harmless(html: str) -> None:
    """Nothing in the page's markup runs script; the hostile text is shown, as text."""
    assert inline_code(html) == []
    soup = BeautifulSoup(html, "html.parser")
    schemes = ("javascript:", "vbscript:", "data:")
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert [href for href in links if href.strip().lower().startswith(schemes)] == []
    main = soup.find("main")
    assert main.find_all("img", src="x") == []
    assert main.find_all("svg") == []
    assert "&lt;script&gt;alert(" in html


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("root", password="a-long-password-1")


def test_hostile_rich_text_and_fields_on_a_content_page_render_harmless(
    client, administrator, site_tree
):
    page = StandardPageFactory(parent=site_tree.home, title="About")
    log_in(client, administrator)

    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": f"About {XSS}",
                "slug": "about",
                "intro": XSS,
                "body": hostile_body(),
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.title.startswith("About <script>")
    client.logout()
    assert_harmless(client.get(page.url).content.decode())


def news_form(title: str, **actions) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "date": "2026-11-20",
            "intro": XSS,
            "body": hostile_body(),
            "comments": inline_formset([]),
            **actions,
        }
    )


def test_a_partner_editors_hostile_news_is_harmless_to_the_moderator_and_visitors(client, world):
    log_in(client, world.editor)
    client.post(
        f"/admin/pages/add/news/newspage/{world.news_index.pk}/",
        news_form("Hostile news", **{"action-submit": "submit"}),
    )
    news = NewsPage.objects.get(slug="hostile-news")
    assert news.workflow_in_progress

    log_in(client, world.moderator)
    preview = client.get(f"/admin/pages/{news.pk}/view_draft/")
    assert preview.status_code == 200
    assert_harmless(preview.content.decode())

    news.get_latest_revision().publish()
    client.logout()
    assert_harmless(client.get(news.url).content.decode())


BROKEN_RICH_TEXT = {
    "raw HTML": f"<p>{XSS}</p>",
    "links over the same words": json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "text": XSS,
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [
                        {"offset": 0, "length": 8, "key": 0},
                        {"offset": 0, "length": 8, "key": 1},
                    ],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "data": {"url": "javascript:alert(1)"}},
                "1": {"type": "LINK", "data": {"url": "javascript:alert(2)"}},
            },
        }
    ),
    "no blocks": json.dumps({"entityMap": {}}),
    "a list": json.dumps([XSS]),
}


@pytest.mark.parametrize("case", list(BROKEN_RICH_TEXT))
def test_forged_rich_text_is_refused_with_a_message_not_an_error(
    client, administrator, site_tree, case
):
    page = StandardPageFactory(parent=site_tree.home, title="About")
    log_in(client, administrator)
    form = nested_form_data(
        {
            "title": "About",
            "slug": "about",
            "intro": "",
            "body": streamfield([("paragraph", BROKEN_RICH_TEXT[case])]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )

    before = list(page.body.raw_data)

    response = client.post(f"/admin/pages/{page.pk}/edit/", form)

    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in response.content.decode()
    assert "This field is required" in response.content.decode()
    assert list(Page.objects.get(pk=page.pk).specific.body.raw_data) == before


def all_blocks(block):
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from all_blocks(child)
    if isinstance(block, blocks.ListBlock):
        yield from all_blocks(block.child_block)


def test_no_page_type_offers_a_raw_html_block():
    raw = [
        f"{model.__name__}.{field.name}"
        for model in get_page_models()
        for field in model._meta.get_fields()
        if hasattr(field, "stream_block")
        for block in all_blocks(field.stream_block)
        if isinstance(block, blocks.RawHTMLBlock)
    ]

    assert raw == []


# --- Embeds ---------------------------------------------------------------------------------


def embed_form(url: str) -> dict:
    return nested_form_data(
        {
            "title": "About",
            "slug": "about",
            "intro": "",
            "body": streamfield([("embed", {"embed": url, "caption": "A video"})]),
            "comments": inline_formset([]),
        }
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://twitter.com/someone/status/1",  # oEmbed HTML with a third-party script
        "https://www.instagram.com/p/abc/",
        "https://example.org/page",
    ],
)
def test_only_youtube_and_vimeo_can_be_embedded(client, administrator, site_tree, url):
    page = StandardPageFactory(parent=site_tree.home, title="About")
    log_in(client, administrator)

    with mock.patch("requests.get") as fetch:
        response = client.post(f"/admin/pages/{page.pk}/edit/", embed_form(url))

    fetch.assert_not_called()
    assert response.status_code == 200  # The form again, with the error.
    assert "Cannot find an embed for this URL" in response.content.decode()
    assert not Embed.objects.exists()


YOUTUBE_OEMBED = {
    "type": "video",
    "title": "A video",
    "provider_name": "YouTube",
    "width": 200,
    "height": 113,
    "html": (
        '<iframe width="200" height="113" src="https://www.youtube.com/embed/abc?feature=oembed" '
        'frameborder="0" allowfullscreen title="A video"></iframe>'
    ),
}


def test_youtube_videos_play_from_the_privacy_enhanced_domain(client, administrator, site_tree):
    page = StandardPageFactory(parent=site_tree.home, title="About")
    log_in(client, administrator)

    with mock.patch("requests.get") as fetch:
        fetch.return_value.json.return_value = YOUTUBE_OEMBED
        client.post(
            f"/admin/pages/{page.pk}/edit/",
            embed_form("https://www.youtube.com/watch?v=abc") | {"action-publish": "publish"},
        )
    client.logout()
    html = client.get(page.url).content.decode()

    assert 'src="https://www.youtube-nocookie.com/embed/abc?feature=oembed"' in html
    assert "www.youtube.com" not in html
    assert fetch.call_args.args[0] == "https://www.youtube.com/oembed"


def test_vimeo_is_asked_not_to_track(client, administrator, site_tree):
    page = StandardPageFactory(parent=site_tree.home, title="About")
    log_in(client, administrator)

    with mock.patch("requests.get") as fetch:
        fetch.return_value.json.return_value = {
            "type": "video",
            "html": '<iframe src="https://player.vimeo.com/video/1?dnt=1" title="V"></iframe>',
        }
        client.post(f"/admin/pages/{page.pk}/edit/", embed_form("https://vimeo.com/1"))

    assert fetch.call_args.kwargs["params"]["dnt"] == "true"
