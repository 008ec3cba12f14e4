from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Conferences, seminars, workshops and meetings, with their presentations."""

    name = "events"
    verbose_name = "Events"

    def ready(self):
        from wagtail.signals import page_published

        from events.registration import fill_added_places

        page_published.connect(fill_added_places, dispatch_uid="events_fill_added_places")
