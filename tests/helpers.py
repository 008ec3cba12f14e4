import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PILImage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from baltmet import two_factor
from news.models import NewsPage
from partners.models import OrganisationPage


def assert_in_order(html: str, texts: list[str]) -> None:
    """Each text is in the HTML, after the one before it."""
    positions = []
    for text in texts:
        assert text in html, f"{text!r} is not on the page"
        positions.append(html.index(text))
    assert positions == sorted(positions), f"Not in the order {texts}"


def log_in(client, user) -> None:
    """Log a user in to the admin as they would after a complete login.

    A user who must use two-factor authentication (an administrator) or has a device gets a
    confirmed TOTP device, and the session is marked verified as `django_otp.login` does.
    """
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not two_factor.is_required(user):
        return
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def news_form(title: str, **actions) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "date": "2026-11-20",
            "intro": f"The lead of {title}.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **actions,
        }
    )


def organisation_form(page: OrganisationPage, intro: str) -> dict:
    contacts = [
        {"id": c.pk, "name": c.name, "job_title": c.job_title, "email": c.email, "phone": ""}
        for c in page.contacts.all()
    ]
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "organisation_type": page.organisation_type,
            "project_role": page.project_role,
            "website": page.website,
            "intro": intro,
            "description": streamfield([]),
            "contacts": inline_formset(contacts, initial=len(contacts)),
            "comments": inline_formset([]),
        }
    )


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def create_news(client, world, title="A draft from the test", **actions):
    client.post(
        f"/admin/pages/add/news/newspage/{world.news_index.pk}/", news_form(title, **actions)
    )
    return NewsPage.objects.filter(slug=slugify(title)).first()


ROOT = Path(__file__).resolve().parent.parent
# A secret key production settings accept (long and varied enough), for tests only.
STRONG_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"


def manage_in_production(*args, **environment) -> subprocess.CompletedProcess:
    """Run manage.py in a new process with the production settings, as a server would.

    The variables are this environment's without Django's own (settings module, secret key,
    debug, log format and level), plus ALLOWED_HOSTS and `environment`.
    """
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_FORMAT", "LOG_LEVEL"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="baltmet.settings.production", ALLOWED_HOSTS="example.org")
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Listings -------------------------------------------------------------------------------------


def option_values(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def publish(page, **relations):
    for name, pages in relations.items():
        getattr(page, name).set(pages)
    page.save_revision().publish()
    return page


# Query counts ---------------------------------------------------------------------------------

# Every public page type renders uncached in at most this many queries, whatever the volume:
# 15 until the metropolis and organisation pages listed their news, events and work packages;
# 17 until the site had languages (Wagtail's routing then reads the active language's Locale).
BUDGET = 18
# A page asked for in another language also costs Wagtail's lookup of that language's home
# page (routing), and in that language's tree one query for each ancestor that is still an
# alias of an English page (Wagtail's view restriction check reads the alias's source).
TRANSLATED_TREE_COST = 1


def queries(client, url) -> int:
    client.get(url)  # the first request fills per-site caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


# Content-Security-Policy --------------------------------------------------------------------

DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")


def inline_code(html: str) -> list[str]:
    """Everything in a page that a policy without 'unsafe-inline' would block."""
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<style> element: {tag}" for tag in soup.find_all("style")]
    for tag in soup.find_all("script"):
        if tag.get("type") in DATA_SCRIPT_TYPES:
            json.loads(tag.string)  # Data, and valid: browsers never run it.
        elif not tag.get("src"):
            found.append(f"inline script: {tag}")
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute == "style" or attribute.startswith("on"):
                found.append(f"{attribute}= on <{tag.name}>")
            elif attribute in ("href", "src", "action") and str(value).strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL on <{tag.name}>")
    return found
