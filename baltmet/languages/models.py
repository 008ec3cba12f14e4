from django.db import models


class TranslatedPageText(models.Model):
    """The words of a published page in another language than the default, searched with
    that language's rules (search.py); Wagtail's search index reads every page as English.

    Kept in step by signal_handlers.py; `manage.py index_translations` rebuilds it.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(max_length=8, db_index=True)
    title = models.TextField()
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "translated page's text"
        verbose_name_plural = "translated pages' text"

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
