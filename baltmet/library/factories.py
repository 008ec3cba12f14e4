import factory

from baltmet.factories import BasePageFactory, first_or_create, home_page
from baltmet.library.models import EntryKind, LibraryEntryPage, LibraryPage


class LibraryPageFactory(BasePageFactory):
    title = "Library"
    intro = "<p>Documents and results of the project.</p>"

    class Meta:
        model = LibraryPage

    @classmethod
    def default_parent(cls):
        return home_page()


class LibraryEntryPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Library entry {n}")
    kind = EntryKind.ANALYSIS
    summary = factory.Sequence(lambda n: f"What library entry {n} is about.")

    class Meta:
        model = LibraryEntryPage

    @classmethod
    def default_parent(cls):
        return first_or_create(LibraryPageFactory)
