import datetime as dt

import factory
from django.utils import timezone

from baltmet.factories import BasePageFactory, first_or_create, home_page, paragraph
from events.models import EventIndexPage, EventKind, EventPage, EventPresentation


class EventIndexPageFactory(BasePageFactory):
    title = "Events"
    intro = "<p>Events of the network.</p>"

    class Meta:
        model = EventIndexPage

    @classmethod
    def default_parent(cls):
        return home_page()


class EventPageFactory(BasePageFactory):
    """A one-day seminar a month from today, 10:00 to 16:00 Helsinki time."""

    title = factory.Sequence(lambda n: f"Event {n}")
    kind = EventKind.SEMINAR
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    start_time = dt.time(10, 0)
    end_date = None
    end_time = dt.time(16, 0)
    time_zone = "Europe/Helsinki"
    venue = factory.Sequence(lambda n: f"Venue {n}")
    city = factory.Sequence(lambda n: f"City {n}")
    country = factory.Sequence(lambda n: f"Country {n}")
    intro = factory.LazyAttribute(lambda page: f"What {page.title} is about.")
    body = factory.LazyAttribute(lambda page: paragraph(f"The description of {page.title}."))

    class Meta:
        model = EventPage

    @classmethod
    def default_parent(cls):
        return first_or_create(EventIndexPageFactory)


class EventPresentationFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(EventPageFactory)
    title = factory.Sequence(lambda n: f"Presentation {n}")
    speaker = factory.Sequence(lambda n: f"Speaker {n}")
    speaker_role = "Expert"
    speaker_organisation_name = factory.Sequence(lambda n: f"Speaker organisation {n}")
    summary = "What the talk was about."

    class Meta:
        model = EventPresentation
