from django.apps import AppConfig


class WorkpackagesConfig(AppConfig):
    """The project's work packages, each led by a partner organisation."""

    name = "workpackages"
    verbose_name = "Work packages"
