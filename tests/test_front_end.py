"""The front-end budget and images: what every page sends besides its HTML and images."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from baltmet.factories import ImageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 60 * 1024  # all CSS and JS of a page, compressed


def test_the_css_and_js_of_every_page_type_stay_within_the_budget(client, site_tree):
    html = client.get("/").content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="/static/([^"]+)"', html)
    assert assets, "the page links its stylesheet"
    compressed = sum(
        len(gzip.compress(Path(finders.find(path)).read_bytes(), 9)) for path in assets
    )
    assert compressed < BUDGET_BYTES


def test_a_figure_is_a_responsive_lazy_picture_with_its_size(client, site_tree):
    image = ImageFactory(description="The harbour at dawn", file__width=1600, file__height=900)
    page = StandardPageFactory(
        parent=site_tree.home,
        body=[{"type": "figure", "value": {"image": image.pk, "caption": "Dawn", "credit": ""}}],
    )

    html = client.get(page.url).content.decode()

    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    # AVIF first, then WebP, then the JPEG of the <img> for browsers that take neither.
    assert picture.index('type="image/avif"') < picture.index('type="image/webp"')
    assert re.search(r'<img [^>]*src="[^"]+\.jpg"', picture)
    assert re.search(r'srcset="[^"]+ 480w, [^"]+ 800w, [^"]+ 1000w"', picture)
    assert 'sizes="(max-width: 52rem) 100vw, 48rem"' in picture
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'alt="The harbour at dawn"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)


@pytest.mark.parametrize(
    ("image_width", "expected_widths"),
    [(1600, [480, 800, 1000]), (600, [480, 600]), (300, [])],
)
def test_a_figure_never_names_one_width_twice(client, site_tree, image_width, expected_widths):
    """An editor's narrow upload is offered at its own width once (HTML forbids a srcset
    with the same width twice); a tiny one as a single file, without sizes."""
    image = ImageFactory(file__width=image_width, file__height=400)
    page = StandardPageFactory(
        parent=site_tree.home,
        body=[{"type": "figure", "value": {"image": image.pk, "caption": "", "credit": ""}}],
    )

    picture = re.search(r"<picture>.*?</picture>", client.get(page.url).content.decode(), re.S)

    for srcset in re.findall(r'srcset="([^"]+)"', picture.group(0)):
        widths = [int(w) for w in re.findall(r" (\d+)w", srcset)]
        assert widths == expected_widths, srcset
    assert ("sizes=" in picture.group(0)) == bool(expected_widths)
