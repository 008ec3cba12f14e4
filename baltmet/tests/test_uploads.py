"""Uploads through the admin as a partner editor does them, and documents as visitors get them.

Every refused file must leave a message and nothing saved; documents are served with headers
that keep them from running on the site's origin; a private collection's documents reach
only the groups it names.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

from baltmet.factories import DocumentFactory
from baltmet.roles.groups import MODERATORS
from baltmet.uploads import CONTENT_CHECKS
from tests.helpers import log_in, png

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    """Files on disk, as in production: Wagtail serves in-memory files as if they were."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


# --- Files -------------------------------------------------------------------------------------


def png_bytes(width: int, height: int) -> bytes:
    """A real black-and-white PNG of any size: all-zero rows compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def zip_bytes(*members: tuple[str, bytes], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def office(folder: str) -> bytes:
    return zip_bytes(("[Content_Types].xml", b"<Types/>"), (f"{folder}/document.xml", b"<x/>"))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

GOOD_DOCUMENTS = {
    "pdf": PDF,
    "docx": office("word"),
    "xlsx": office("xl"),
    "pptx": office("ppt"),
    "odt": zip_bytes(
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document-content/>"),
        stored_first=True,
    ),
    "rtf": b"{\\rtf1\\ansi Minutes of the meeting}",
    "zip": zip_bytes(("slides.pdf", PDF)),
    "csv": "\ufeffcity,partners\nRiga,3\nTallinn,2\n".encode(),
    "txt": "Agenda: Tallinn, Göteborg, Łódź\n".encode("utf-16"),
}

BAD_DOCUMENTS = {
    "a PNG renamed .pdf": ("photo.pdf", png().read(), "not a PDF document"),
    "an HTML page named .pdf": ("report.pdf", HTML, "not a PDF document"),
    "an HTML page named .txt": ("notes.txt", HTML, "not a plain text file"),
    "an SVG named .csv": ("data.csv", SVG, "not a CSV file"),
    "a program named .docx": ("minutes.docx", EXECUTABLE, "not a Word document"),
    "a plain ZIP named .xlsx": ("budget.xlsx", zip_bytes(("a.txt", b"x")), "not an Excel"),
    "a Word file named .odt": ("text.odt", office("word"), "not an OpenDocument text"),
    "a binary named .txt": ("notes.txt", b"\x00\x01\x02binary", "not a plain text file"),
    "an HTML page": ("page.html", HTML, "File extension"),
    "an SVG": ("logo.svg", SVG, "File extension"),
    "an empty file": ("empty.pdf", b"", "The submitted file is empty"),
}


# --- Uploading through the admin --------------------------------------------------------------


@pytest.fixture
def editor_client(client, world):
    log_in(client, world.editor)
    return client


def upload(client, world, kind, name, content, *, multiple=False, **fields):
    """Upload as the Riga editor into Riga's collection through the admin's add form (or its
    multiple upload); `kind` is "documents" or "images". Returns the error message or ''."""
    collection = world.riga.access.collection.pk
    file = SimpleUploadedFile(name, content)
    if multiple:
        response = client.post(
            f"/admin/{kind}/multiple/add/",
            {"files[]": file, "collection": collection},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        data = response.json()
        return "" if data["success"] else data["error_message"]
    response = client.post(
        f"/admin/{kind}/add/",
        {"title": "Uploaded", "file": file, "collection": collection, **fields},
    )
    if response.status_code == 302:
        return ""
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", ["(no file error)"]))


def upload_document(client, world, name, content, *, multiple=False):
    return upload(client, world, "documents", name, content, multiple=multiple, tags="")


def upload_image(client, world, name, content, *, multiple=False):
    return upload(client, world, "images", name, content, multiple=multiple, description="A photo")


def test_every_allowed_document_type_has_a_content_check_and_a_sample():
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == set(CONTENT_CHECKS) == set(GOOD_DOCUMENTS)


@pytest.mark.parametrize("extension", list(GOOD_DOCUMENTS))
def test_genuine_documents_are_accepted(editor_client, world, extension):
    error = upload_document(editor_client, world, f"file.{extension}", GOOD_DOCUMENTS[extension])

    assert error == ""
    document = Document.objects.get()
    assert document.collection == world.riga.access.collection
    assert document.file_extension == extension


@pytest.mark.parametrize("multiple", [False, True], ids=["add form", "multiple upload"])
@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_disguised_and_unwanted_documents_are_refused(editor_client, world, case, multiple):
    name, content, message = BAD_DOCUMENTS[case]

    error = upload_document(editor_client, world, name, content, multiple=multiple)

    assert message in error
    assert not Document.objects.exists()


def test_a_document_over_the_size_limit_is_refused(editor_client, world):
    too_big = PDF + b"\x00" * (settings.WAGTAILDOCS_MAX_UPLOAD_SIZE - len(PDF) + 1)

    error = upload_document(editor_client, world, "huge.pdf", too_big)

    assert "This file is too big" in error
    assert not Document.objects.exists()


def test_replacing_a_documents_file_is_checked_too(editor_client, world):
    upload_document(editor_client, world, "minutes.pdf", PDF)
    document = Document.objects.get()

    response = editor_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": document.title,
            "file": SimpleUploadedFile("minutes.pdf", HTML),
            "collection": document.collection_id,
            "tags": "",
        },
    )

    assert response.status_code == 200
    assert "not a PDF document" in str(response.context["form"].errors["file"])
    document.refresh_from_db()
    assert document.file.read().startswith(b"%PDF-")


def jpeg_bytes(width: int, height: int) -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.linear_gradient("L").resize((width, height)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def animated_gif_bytes(width: int, height: int, frames: int) -> bytes:
    """An animated GIF of plain frames, which compress to almost nothing."""
    from PIL import Image as PILImage

    images = [PILImage.new("P", (width, height), colour) for colour in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


BAD_IMAGES = {
    "an SVG": ("logo.svg", SVG, "Not a supported image format"),
    "an SVG named .png": ("logo.png", SVG, "Not a valid .png image"),
    "an HTML page named .png": ("photo.png", HTML, "Not a valid .png image"),
    "a PNG named .jpg": ("photo.jpg", png_bytes(8, 8), "The extension does not match"),
    "an empty file": ("empty.png", b"", "The submitted file is empty"),
    # 7,000 × 7,000 = 49 million pixels: over the limit of 40 million, a file of 6 kB.
    "too many pixels": ("wide.png", png_bytes(7000, 7000), "too many pixels"),
    # 400 million pixels: Pillow itself refuses to open it (a decompression bomb).
    "a decompression bomb": ("bomb.png", png_bytes(20000, 20000), "too many pixels"),
    # The header is whole, the picture stops halfway: Pillow fails when it decodes it.
    "a truncated JPEG": (
        "cut.jpg",
        jpeg_bytes(400, 300)[: len(jpeg_bytes(400, 300)) // 2],
        "damaged or incomplete",
    ),
    # 4,500 × 4,500 = 20 million pixels a frame, 81 million in all: over the limit.
    "an animated GIF over the limit": (
        "anim.gif",
        animated_gif_bytes(4500, 4500, 4),
        "too many pixels",
    ),
}


def test_the_pixel_limits_of_wagtail_and_pillow_agree():
    from PIL import Image as PILImage

    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == PILImage.MAX_IMAGE_PIXELS == 40_000_000
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


def test_a_genuine_image_is_accepted(editor_client, world):
    assert upload_image(editor_client, world, "photo.png", png_bytes(640, 480)) == ""
    assert Image.objects.get().width == 640


def test_after_a_multiple_upload_the_images_details_can_be_saved(editor_client, world):
    """The details form of the multiple upload has no file field and must not want one."""
    assert upload_image(editor_client, world, "photo.png", png_bytes(64, 48), multiple=True) == ""
    image = Image.objects.get()

    response = editor_client.post(
        f"/admin/images/multiple/{image.pk}/",
        {
            f"image-{image.pk}-title": "Harbour at dawn",
            f"image-{image.pk}-description": "The harbour of Riga at dawn",
            f"image-{image.pk}-collection": world.riga.access.collection.pk,
            f"image-{image.pk}-tags": "",
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.json()["success"] is True, response.json()
    image.refresh_from_db()
    assert image.title == "Harbour at dawn"


def test_a_genuine_jpeg_and_a_small_animated_gif_are_accepted(editor_client, world):
    assert upload_image(editor_client, world, "photo.jpg", jpeg_bytes(400, 300)) == ""
    assert upload_image(editor_client, world, "anim.gif", animated_gif_bytes(60, 40, 3)) == ""
    assert sorted(Image.objects.values_list("width", flat=True)) == [60, 400]


@pytest.mark.parametrize("multiple", [False, True], ids=["add form", "multiple upload"])
@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_disguised_and_dangerous_images_are_refused(editor_client, world, case, multiple):
    name, content, message = BAD_IMAGES[case]

    error = upload_image(editor_client, world, name, content, multiple=multiple)

    assert message in error
    assert not Image.objects.exists()


def test_an_image_over_the_size_limit_is_refused(editor_client, world):
    small = png_bytes(8, 8)
    too_big = small + b"\x00" * (settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE - len(small) + 1)

    error = upload_image(editor_client, world, "huge.png", too_big)

    assert "This file is too big" in error
    assert not Image.objects.exists()


# --- Serving documents ------------------------------------------------------------------------


def document(collection, name: str, content: bytes):
    return DocumentFactory(collection=collection, file=SimpleUploadedFile(name, content))


def test_a_pdf_opens_in_the_browser_but_cannot_run_script_on_the_site(client, world):
    pdf = document(world.riga.access.collection, "slides.pdf", PDF)

    response = client.get(pdf.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("extension", ["docx", "txt", "csv", "zip"])
def test_other_documents_are_downloaded_and_sandboxed(client, world, extension):
    doc = document(world.riga.access.collection, f"file.{extension}", GOOD_DOCUMENTS[extension])

    response = client.get(doc.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_documents_are_served_through_wagtails_view_not_from_media(client, world):
    pdf = document(world.riga.access.collection, "slides.pdf", PDF)

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert pdf.url == f"/documents/{pdf.pk}/slides.pdf"


# --- Private collections ----------------------------------------------------------------------


@pytest.fixture
def private_document(world, client):
    """A report in a sub-collection of Riga's that an administrator made private, in the admin,
    to Riga's editors and the moderators."""
    internal = world.riga.access.collection.add_child(name="City of Riga: internal")
    log_in(client, world.administrator)
    response = client.post(
        f"/admin/collections/{internal.pk}/privacy/",
        {
            "restriction_type": CollectionViewRestriction.GROUPS,
            "groups": [world.riga.access.group.pk, Group.objects.get(name=MODERATORS).pk],
        },
    )
    assert response.json()["step"] == "set_privacy_done"
    client.logout()
    return document(internal, "budget.pdf", PDF)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("other_editor", False),
        ("editor", True),
        ("moderator", True),
        ("administrator", True),
    ],
)
def test_a_private_collections_documents_reach_only_its_groups(
    world, private_document, role, allowed
):
    client = Client()
    if role != "anonymous":
        log_in(client, getattr(world, role))

    response = client.get(private_document.url)

    if allowed:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_partner_collections_are_public_unless_made_private(client, world):
    """A partner's own collection holds the documents its public pages link to: editors' and
    moderators' permissions decide who edits them, not who may download them."""
    pdf = document(world.riga.access.collection, "slides.pdf", PDF)

    assert client.get(pdf.url).status_code == 200


def test_other_partners_editors_cannot_open_or_choose_the_document_in_the_admin(client, world):
    pdf = document(world.riga.access.collection, "riga-budget.pdf", PDF)
    pdf.title = "Riga budget"
    pdf.save()
    log_in(client, world.other_editor)

    edit = client.get(f"/admin/documents/edit/{pdf.pk}/")
    chooser = client.get("/admin/documents/chooser/")

    assert edit.status_code in (302, 403)
    assert "Riga budget" not in chooser.content.decode()


def test_a_wrong_filename_or_id_is_a_404(client, world):
    pdf = document(world.riga.access.collection, "slides.pdf", PDF)

    assert client.get(f"/documents/{pdf.pk}/other.pdf").status_code == 404
    assert client.get(f"/documents/{pdf.pk + 1000}/slides.pdf").status_code == 404
