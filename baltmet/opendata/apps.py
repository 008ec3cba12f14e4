from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """The portal's data as CSV and JSON files, and the import of organisations and events."""

    name = "baltmet.opendata"
    label = "opendata"
    verbose_name = "Open data"
