from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The library of documents and results: what the network produced, with filters and a
    search of the files' text."""

    name = "baltmet.library"
    label = "library"
    verbose_name = "Library"

    def ready(self):
        from baltmet.library import signal_handlers  # noqa: F401
