"""The upcoming events as an RSS 2.0 feed, soonest first."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baltmet.languages.queries import in_active_language
from baltmet.queries import published

from .models import EventIndexPage, EventPage, upcoming
from .templatetags.event_tags import event_when

FEED_LENGTH = 50


class UpcomingEventsFeed(Feed):
    title = _("BaltMet Inno events")
    description = _(
        "Upcoming events of BaltMet Inno, the Baltic Metropolises Innovation Strategy project."
    )

    def get_object(self, request, *args, **kwargs):
        return in_active_language(published(EventIndexPage.objects.all())).first()

    def link(self, index):
        return index.get_url() if index else "/"

    def items(self):
        # In the feed's language where translated, else in English (/de/events/feed/).
        events = in_active_language(published(EventPage.objects.all())).defer_streamfields()
        return upcoming(events, timezone.now())[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        place = ", ".join(part for part in (item.venue, item.city, item.country) if part)
        return f"{event_when(item)}. {place}. {item.intro}"

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at
