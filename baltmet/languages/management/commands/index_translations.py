from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Page

from baltmet.languages.models import TranslatedPageText
from baltmet.languages.search import index_page


class Command(BaseCommand):
    help = (
        "Rebuild the words of the published translations that the search in each language "
        "reads (kept in step as pages are published; run after restoring a database)."
    )

    def handle(self, *args, **options):
        TranslatedPageText.objects.all().delete()
        translations = (
            Page.objects.live()
            .filter(alias_of__isnull=True)
            .exclude(locale__language_code=settings.LANGUAGE_CODE)
            .specific()
        )
        count = 0
        for page in translations.iterator():
            index_page(page)
            count += 1
        self.stdout.write(f"{count} published translations indexed for search.")
