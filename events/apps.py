from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Conferences, seminars, workshops and meetings, with their presentations."""

    name = "events"
    verbose_name = "Events"
