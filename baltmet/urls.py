from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from baltmet import two_factor
from baltmet.api import api_router
from baltmet.ops import health
from baltmet.search.views import search
from baltmet.views import html_sitemap, robots_txt
from events.calendar import event_calendar, events_calendar
from events.feeds import UpcomingEventsFeed
from news.feeds import NewsAtomFeed, NewsFeed

urlpatterns = [
    # /healthz and /readyz (also answered early by baltmet.ops.middleware.HealthCheckMiddleware).
    path("", include(health.urlpatterns)),
    path("admin/two-factor/", include(two_factor.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("news/feed/rss/", NewsFeed(), name="news_feed_rss"),
    path("news/feed/atom/", NewsAtomFeed(), name="news_feed_atom"),
    path("events/feed/", UpcomingEventsFeed(), name="events_feed"),
    path("events/calendar.ics", events_calendar, name="events_calendar"),
    path("events/<int:page_id>/calendar.ics", event_calendar, name="event_calendar"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap/", html_sitemap, name="html_sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v2/", api_router.urls),
    path("search/", search, name="search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
