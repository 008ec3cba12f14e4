from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index

from baltmet.pdf_text import pdf_text


class CustomImage(AbstractImage):
    """An image with its alternative text and the credit its licence requires."""

    # Wagtail uses `description` as the default alt text wherever the image is chosen.
    description = models.CharField(
        "alternative text",
        max_length=255,
        blank=True,
        default="",
        help_text=(
            "What the image shows, for people who cannot see it (e.g. 'Mayors of the Baltic "
            "Metropolises at the meeting in Tallinn'). Leave empty only for decorative images."
        ),
    )
    credit = models.CharField(
        max_length=255, blank=True, help_text="Photographer or copyright holder, shown with it."
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    @property
    def alt_text(self) -> str:
        return self.description


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CustomDocument(AbstractDocument):
    """A document (report, presentation, deliverable) with a short public description."""

    description = models.TextField(
        blank=True, help_text="One or two sentences on what the document contains."
    )

    text = models.TextField(
        blank=True,
        editable=False,
        help_text="The text of a PDF, read from the file when it is uploaded, for search.",
    )

    admin_form_fields = (*Document.admin_form_fields, "description")
    # Site search finds a document by its title, tags, description and the text of a PDF.
    search_fields = [
        *AbstractDocument.search_fields,
        index.SearchField("description"),
        index.SearchField("text"),
    ]

    def save(self, *args, **kwargs):
        # A full save follows an upload or an edit, when the file may have changed; Wagtail's
        # partial saves (of the file's size or hash) leave the text as it is.
        if kwargs.get("update_fields") is None:
            self.text = self.read_text()
        super().save(*args, **kwargs)

    def read_text(self) -> str:
        if self.file_extension.lower() != "pdf" or not self.file:
            return ""
        try:
            with self.open_file() as file:
                return pdf_text(file)
        except OSError:  # the file has gone from the storage: nothing to read
            return ""
