from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index


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

    admin_form_fields = (*Document.admin_form_fields, "description")
    # Site search finds a document by its title, tags and description.
    search_fields = [*AbstractDocument.search_fields, index.SearchField("description")]
