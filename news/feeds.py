"""News feeds: RSS 2.0 and Atom, the latest published news items, newest first."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from baltmet.languages.queries import in_active_language
from baltmet.queries import published

from .models import NewsIndexPage, NewsPage

FEED_LENGTH = 20


class NewsFeed(Feed):
    """RSS 2.0. Links are made absolute by the syndication framework (from the request)."""

    title = _("BaltMet Inno news")
    description = _("News of BaltMet Inno, the Baltic Metropolises Innovation Strategy project.")

    def get_object(self, request, *args, **kwargs):
        return in_active_language(published(NewsIndexPage.objects.all())).first()

    def link(self, index):
        return index.get_url() if index else "/"

    def items(self):
        return (
            # In the feed's language where translated, else in English (/de/news/feed/rss/).
            in_active_language(published(NewsPage.objects.all()))
            .defer_streamfields()
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        """The item's date, at midnight where the network keeps its time (TIME_ZONE); none
        for an item of the former portal, which gave no publication date."""
        if item.from_former_portal:
            return None
        return dt.datetime.combine(item.date, dt.time.min, timezone.get_default_timezone())

    def item_updateddate(self, item):
        """When the item was last published on this portal (Atom's required `updated`)."""
        return item.last_published_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
