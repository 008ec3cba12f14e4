"""Property-based tests (hypothesis): whatever a visitor or a bot sends to a public address,
the answer is a page or a 4xx, never a server error or a stack trace.

The site holds the full seed content; every example is a real request through Django's test
client and the whole middleware stack.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing is written to .hypothesis/ in the work tree
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a URL can carry: control characters, NUL, right-to-left marks, emoji, very long
# runs; not lone surrogates, which cannot be encoded in a URL at all.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
NUMBERS_AS_TEXT = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
# Digits that are not ASCII: "²" passes str.isdigit() and fails int(); "٣" and "１" are read.
ODD_DIGITS = st.text(st.sampled_from("0123456789²³¹٣١２⑤Ⅻ"), min_size=1, max_size=4)
VALUES = st.one_of(
    ANY_TEXT, NUMBERS_AS_TEXT, ODD_DIGITS, st.sampled_from(["", " ", "0", "-1", "%", "\x00"])
)


def params(names):
    """Query strings with some of the names (each maybe repeated) and junk names too."""
    name = st.one_of(st.sampled_from(names), ANY_TEXT.filter(lambda n: n not in names))
    return st.lists(st.tuples(name, VALUES), max_size=6)


LISTINGS = {
    "/search/": ["q", "type", "page"],
    "/news/": ["year", "tag", "metropolis", "partner", "work_package", "page"],
    "/events/": ["when", "year", "city", "kind", "page"],
    "/partners/": ["city", "type", "role", "page"],
    "/news/feed/rss/": ["page"],
    "/news/feed/atom/": ["page"],
    "/events/feed/": ["page"],
    "/events/calendar.ics": ["page"],
    "/sitemap.xml": ["p", "page"],
    "/api/v2/pages/": [
        "type", "fields", "limit", "offset", "order", "search", "search_operator",
        "child_of", "descendant_of", "ancestor_of", "html_path", "locale", "slug", "title",
    ],
    "/api/v2/images/": ["fields", "limit", "offset", "order", "search", "title"],
    "/api/v2/documents/": ["fields", "limit", "offset", "order", "search", "title"],
}  # fmt: skip


@pytest.fixture
def seeded(db):
    call_command("load_seed_content", verbosity=0)


def assert_handled(response):
    assert response.status_code < 500, response.status_code
    body = response.content if not getattr(response, "streaming", False) else b""
    assert b"Traceback" not in body


@pytest.mark.parametrize("path", list(LISTINGS))
def test_listings_feeds_and_the_api_take_any_query_string(client, seeded, path):
    @FUZZ
    @given(query=params(LISTINGS[path]))
    def check(query):
        assert_handled(client.get(path, query))

    check()


@FUZZ
@given(segments=st.lists(ANY_TEXT.filter(lambda s: "/" not in s), min_size=1, max_size=4))
def test_any_path_is_a_page_or_a_not_found(client, seeded, segments):
    assert_handled(client.get("/" + "/".join(segments) + "/"))


@FUZZ
@given(
    page_id=st.one_of(st.integers(min_value=-(10**20), max_value=10**20), ANY_TEXT),
    api=st.sampled_from(["pages", "images", "documents"]),
)
def test_detail_addresses_take_any_id(client, seeded, page_id, api):
    assert_handled(client.get(f"/events/{page_id}/calendar.ics"))
    assert_handled(client.get(f"/api/v2/{api}/{page_id}/"))
    assert_handled(client.get(f"/documents/{page_id}/file.pdf"))


@FUZZ
@given(username=VALUES, password=VALUES, extra=params(["next", "remember"]))
def test_the_login_form_takes_any_input(client, seeded, username, password, extra):
    # Each example starts afresh: past 30 posts the address's login limit answers 429
    # without reading the form, which would leave the rest of the examples untried.
    cache.clear()
    response = client.post(
        "/admin/login/", {"username": username, "password": password, **dict(extra)}
    )
    assert_handled(response)
    assert response.status_code in (200, 302, 400, 403, 429)


def image_samples() -> dict[str, bytes]:
    """Small valid images of every allowed kind that Pillow writes, the seeds of the upload
    examples below."""
    import io

    from PIL import Image

    samples = {}
    for name, fmt, mode in [
        ("png", "PNG", "RGB"),
        ("jpg", "JPEG", "RGB"),
        ("gif", "GIF", "P"),
        ("webp", "WEBP", "RGB"),
    ]:
        buffer = io.BytesIO()
        Image.linear_gradient("L").resize((64, 48)).convert(mode).save(buffer, fmt)
        samples[name] = buffer.getvalue()
    return samples


SAMPLES = image_samples()


@st.composite
def damaged_images(draw):
    """A valid image cut short, with some bytes changed, or random bytes, under an allowed
    extension."""
    extension = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[extension])
    how = draw(st.sampled_from(["cut", "flip", "random"]))
    if how == "cut":
        data = data[: draw(st.integers(min_value=1, max_value=len(data) - 1))]
    elif how == "flip":
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            position = draw(st.integers(min_value=0, max_value=len(data) - 1))
            data[position] = draw(st.integers(min_value=0, max_value=255))
    else:
        data = bytearray(draw(st.binary(min_size=1, max_size=2048)))
    return f"upload.{extension}", bytes(data)


@FUZZ
@given(upload=damaged_images())
def test_any_image_upload_is_accepted_or_refused_with_a_message(world, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tests.helpers import log_in

    name, content = upload
    client = Client()
    log_in(client, world.editor)
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Fuzzed",
            "description": "A fuzzed upload",
            "file": SimpleUploadedFile(name, content),
            "collection": world.riga.access.collection.pk,
        },
    )
    assert_handled(response)
    if response.status_code == 302:
        # Accepted: then every size of it can be made.
        from wagtail.images import get_image_model

        image = get_image_model().objects.get(title="Fuzzed")
        image.get_rendition("max-200x200")
        image.delete()


# The admin's page forms ----------------------------------------------------------------------

NEWS_FORM_FIELDS = ["title", "slug", "date", "intro", "body-count", "comments-TOTAL_FORMS"]


@st.composite
def damaged_news_forms(draw):
    """The news form as the admin posts it, with fields left out, replaced by any value, or
    added under junk names; sometimes with an action (submit, publish)."""
    from tests.helpers import news_form

    form = news_form("A fuzzed news item")
    for name in draw(st.lists(st.sampled_from(sorted(form)), max_size=4, unique=True)):
        if draw(st.booleans()):
            del form[name]
        else:
            form[name] = draw(VALUES)
    for name, value in draw(params(NEWS_FORM_FIELDS)):
        form[name] = value
    action = draw(st.sampled_from([None, "action-submit", "action-publish"]))
    if action:
        form[action] = action
    return form


@FUZZ
@given(form=damaged_news_forms())
def test_any_post_of_a_page_form_is_saved_or_refused_with_a_message(world, form):
    """Creating a news item and editing one: whatever the post holds, a 4xx or the form
    again with its errors, or a saved page; never a 500, never a page left half-changed."""
    from django.test import Client

    from news.models import NewsPage
    from tests.helpers import create_news, log_in

    client = Client()
    log_in(client, world.moderator)
    before = set(NewsPage.objects.values_list("pk", flat=True))
    response = client.post(f"/admin/pages/add/news/newspage/{world.news_index.pk}/", form)
    assert_handled(response)
    created = NewsPage.objects.exclude(pk__in=before)
    if response.status_code != 302:
        assert not created.exists(), "a refused form created a page"

    existing = create_news(client, world, "An item to edit")
    revisions = existing.revisions.count()
    response = client.post(f"/admin/pages/{existing.pk}/edit/", form)
    assert_handled(response)
    existing.refresh_from_db()
    if response.status_code != 302:
        assert existing.revisions.count() == revisions, "a refused form saved a revision"
        assert existing.title == "An item to edit"
    existing.delete()
    created.delete()
