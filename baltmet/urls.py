from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from baltmet import two_factor
from baltmet.api import api_router
from baltmet.languages.sitemap import TranslatedSitemap
from baltmet.newsletter import views as newsletter
from baltmet.opendata.views import data_index, dataset_csv, dataset_json
from baltmet.ops import health
from baltmet.search.views import search
from baltmet.views import html_sitemap, robots_txt
from events.calendar import event_calendar, events_calendar
from events.feeds import UpcomingEventsFeed
from events.registration_views import register, registration, registration_sent
from news.feeds import NewsAtomFeed, NewsFeed

urlpatterns = [
    # /healthz and /readyz (also answered early by baltmet.ops.middleware.HealthCheckMiddleware).
    path("", include(health.urlpatterns)),
    path("admin/two-factor/", include(two_factor.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v2/", api_router.urls),
    # The datasets are in English whatever the address's language: one file each.
    path("data/<slug:slug>.csv", dataset_csv, name="dataset_csv"),
    path("data/<slug:slug>.json", dataset_json, name="dataset_json"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site in each language: English at today's addresses, the others below their
# language's prefix (/de/news/feed/rss/). The language is activated from the address by
# baltmet.languages.middleware.LanguageFromPathMiddleware.
urlpatterns += i18n_patterns(
    path("news/feed/rss/", NewsFeed(), name="news_feed_rss"),
    path("news/feed/atom/", NewsAtomFeed(), name="news_feed_atom"),
    path("events/feed/", UpcomingEventsFeed(), name="events_feed"),
    path("events/calendar.ics", events_calendar, name="events_calendar"),
    path("events/<int:page_id>/calendar.ics", event_calendar, name="event_calendar"),
    path("events/<int:page_id>/register/", register, name="event_register"),
    path("events/<int:page_id>/register/sent/", registration_sent, name="event_registration_sent"),
    path("events/registration/<str:token>/", registration, name="event_registration"),
    path("newsletter/", newsletter.subscribe, name="newsletter_subscribe"),
    path("newsletter/sent/", newsletter.sent, name="newsletter_sent"),
    path("newsletter/confirm/<str:token>/", newsletter.confirm, name="newsletter_confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/",
        newsletter.unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("sitemap/", html_sitemap, name="html_sitemap"),
    path("data/", data_index, name="open_data"),
    path("search/", search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
