from django.db.models import Min, Q
from wagtail import hooks

from .models import EventPage


@hooks.register("page_cache_next_change")
def next_event_start_or_end(now):
    """The next instant an event starts or ends: the home page, the events listing, the feed
    and the calendar then move it between upcoming and past (one query over two indexes)."""
    found = EventPage.objects.live().aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        ends=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    return min((instant for instant in found.values() if instant), default=None)
