"""What editors may upload as documents: the content must be what the extension says.

Wagtail checks a document's extension (WAGTAILDOCS_EXTENSIONS) and size
(WAGTAILDOCS_MAX_UPLOAD_SIZE), not its content, so an HTML page or a program renamed
"report.pdf" would pass. `DocumentForm` (WAGTAILDOCS_DOCUMENT_FORM_BASE) also reads the
start of the file and refuses it unless it matches the extension. It serves every admin form
that takes a document file: add, edit, multiple upload and the chooser's upload tab.

Images: Wagtail's image field opens each upload with Willow and refuses a file whose format
is not its extension's, or that is too big or has too many pixels (WAGTAILIMAGES_EXTENSIONS,
WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILIMAGES_MAX_IMAGE_PIXELS). It reads only the header, so
`ImageForm` (WAGTAILIMAGES_IMAGE_FORM_BASE) also decodes every frame with Pillow: a truncated
or damaged file is refused at upload rather than failing each time a size of it is made, and
an animated image's pixels are counted over all its frames.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Enough for every signature below, and for the text checks to see what a file starts with.
HEAD_SIZE = 8192

ZIP_SIGNATURE = b"PK\x03\x04"
# Markup at the start of a "text" file: HTML, SVG or XML that a browser could render.
MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|!--)", re.IGNORECASE)

OFFICE_OPEN_XML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
OPENDOCUMENT_TEXT = b"application/vnd.oasis.opendocument.text"


def _is_pdf(head: bytes, file: IO[bytes]) -> bool:
    return head.startswith(b"%PDF-")


def _is_rtf(head: bytes, file: IO[bytes]) -> bool:
    return head.startswith(b"{\\rtf")


def _is_text(head: bytes, file: IO[bytes]) -> bool:
    """Plain text (CSV, TXT) in UTF-8 or UTF-16 with its byte order mark; no markup."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode()
            break
    else:
        head = head.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in head:
            return False
        # The head may end in the middle of a character: ignore an incomplete last one.
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
    return not MARKUP.match(head)


def _zip_names(file: IO[bytes]) -> list[str] | None:
    """The member names of a ZIP archive (read from its directory, nothing unpacked)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def _is_zip(head: bytes, file: IO[bytes]) -> bool:
    return head.startswith(ZIP_SIGNATURE) and _zip_names(file) is not None


def _is_office_open_xml(extension: str) -> Callable[[bytes, IO[bytes]], bool]:
    folder = OFFICE_OPEN_XML_FOLDERS[extension]

    def check(head: bytes, file: IO[bytes]) -> bool:
        names = _zip_names(file) if head.startswith(ZIP_SIGNATURE) else None
        return (
            names is not None
            and "[Content_Types].xml" in names
            and any(name.startswith(folder) for name in names)
        )

    return check


def _is_odt(head: bytes, file: IO[bytes]) -> bool:
    # An OpenDocument file starts with its uncompressed "mimetype" member.
    return (
        head.startswith(ZIP_SIGNATURE)
        and head[30:38] == b"mimetype"
        and (head[38:].startswith(OPENDOCUMENT_TEXT))
    )


# Every extension of WAGTAILDOCS_EXTENSIONS needs a check here (baltmet/tests/test_uploads.py).
CONTENT_CHECKS: dict[str, tuple[str, Callable[[bytes, IO[bytes]], bool]]] = {
    "pdf": ("a PDF document", _is_pdf),
    "docx": ("a Word document", _is_office_open_xml("docx")),
    "xlsx": ("an Excel workbook", _is_office_open_xml("xlsx")),
    "pptx": ("a PowerPoint presentation", _is_office_open_xml("pptx")),
    "odt": ("an OpenDocument text", _is_odt),
    "rtf": ("an RTF document", _is_rtf),
    "zip": ("a ZIP archive", _is_zip),
    "csv": ("a CSV file of plain text", _is_text),
    "txt": ("a plain text file", _is_text),
}


def validate_document_content(file) -> None:
    """Refuse a file whose content is not what its extension says.

    Extensions without a check are left to Wagtail's extension validator, which refuses
    anything outside WAGTAILDOCS_EXTENSIONS.
    """
    extension = PurePath(file.name).suffix.lower().removeprefix(".")
    if extension not in CONTENT_CHECKS:
        return
    description, check = CONTENT_CHECKS[extension]
    file.seek(0)
    head = file.read(HEAD_SIZE)
    try:
        matches = check(head, file)
    finally:
        file.seek(0)
    if not matches:
        raise ValidationError(
            "This file is not %(description)s, although its name ends in .%(extension)s. "
            "Upload the document in its original format.",
            code="document_content_mismatch",
            params={"description": description, "extension": extension},
        )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, which also checks the file's content against its extension."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # An unchanged file on the edit form was checked when it was uploaded.
        if file and "file" in self.changed_data:
            validate_document_content(file)
        return file


DAMAGED_IMAGE = (
    "This image file is damaged or incomplete, so it cannot be shown. "
    "Export it again from the program that made it and upload the new file."
)
# What Pillow raises for a file it cannot decode: truncated, damaged or not what it claims.
UNDECODABLE = (OSError, SyntaxError, ValueError, EOFError, PILImage.DecompressionBombError)


def validate_image_content(file) -> None:
    """Every frame of the image decodes, and all frames together stay within the pixel limit."""
    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    file.seek(0)
    try:
        with PILImage.open(file) as image:
            pixels = image.width * image.height * getattr(image, "n_frames", 1)
            if pixels > limit:
                raise ValidationError(
                    f"This file has too many pixels ({pixels}, counting all its frames). "
                    f"Maximum pixels {limit}.",
                    code="file_too_many_pixels",
                )
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except UNDECODABLE as error:
        raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from error
    finally:
        file.seek(0)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with every frame decoded: Willow stops at a damaged file with
    an OSError (a 500) where a form wants a message."""

    def to_python(self, data):
        try:
            file = super().to_python(data)
        except UNDECODABLE as error:
            raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from error
        if isinstance(file, UploadedFile):
            validate_image_content(file)
        return file


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The forms that take a file (add, edit, the chooser's upload) get the checked field;
        # the multiple upload's details form has none, and must not require one.
        if "file" in self.fields:
            field = self.fields["file"]
            checked = CheckedImageField(label=field.label, required=field.required)
            checked.widget = field.widget
            self.fields["file"] = checked
