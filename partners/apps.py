from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """The eleven Baltic Metropolises and the organisations in them."""

    name = "partners"
    verbose_name = "Metropolises and partners"
