from django.db import models
from wagtail.models import Page, Revision


class SeedRecord(models.Model):
    """What the seed loader last wrote to a page, so it never overwrites an editor's work.

    A page whose latest revision is not the one recorded here has been edited since. A record
    without a page is one an administrator deleted: the loader does not bring it back.
    """

    page = models.OneToOneField(
        Page, null=True, on_delete=models.SET_NULL, related_name="seed_record"
    )
    key = models.CharField(max_length=255, unique=True, help_text="The entry's key in the file.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the entry as loaded.")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
