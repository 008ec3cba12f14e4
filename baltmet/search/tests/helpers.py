"""What the search tests read of a results page, and a document to find."""

import re

from django.core.files.base import ContentFile
from wagtail.models import Collection

from baltmet.models import CustomDocument


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html: str) -> list[str]:
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', html)


def summary(html: str) -> str:
    found = re.search(r'class="search-summary" role="status">(.*?)</p>', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def notes(html: str) -> list[str]:
    return re.findall(r'<p class="notice" role="status">(.*?)</p>', html)


def document(title, description="", collection=None):
    doc = CustomDocument(
        title=title,
        description=description,
        collection=collection or Collection.get_first_root_node(),
    )
    doc.file.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    doc.save()
    return doc
