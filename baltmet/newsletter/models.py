"""Subscribers and digests.

A subscriber gets digests once their address is confirmed through the link mailed to them;
unsubscribing (a link in every mail, and the one-click List-Unsubscribe header) deletes the
address. A digest is written by a moderator (a subject, a few words, and the period whose
news and upcoming events it lists), previewed in the admin, and sent by the `newsletter`
task worker (baltmet/newsletter/tasks.py).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from events.models import EventPage
from news.models import NewsPage

# At most this many news items and events in one digest: the rest are on the portal.
DIGEST_ITEMS = 20


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Address not confirmed yet")
    CONFIRMED = "confirmed", _("Confirmed")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    # With the site's secret key this makes the subscriber's links (baltmet/newsletter/links.py).
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last digest mailed to this address: a worker that is stopped and started again
    # goes on where it stopped, without sending anyone a digest twice.
    last_digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("subscriber")

    def __str__(self) -> str:
        return self.email


def default_news_since() -> dt.date:
    last = Digest.objects.exclude(sent_at=None).order_by("-sent_at").first()
    if last is not None:
        return timezone.localdate(last.sent_at)
    return timezone.localdate() - dt.timedelta(days=30)


def default_events_until() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=90)


class Digest(models.Model):
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("The mail's subject line.")
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A few words above the news and events.")
    )
    news_since = models.DateField(
        _("news since"),
        default=default_news_since,
        help_text=_("News items dated from this day on are listed (the last digest's day)."),
    )
    events_until = models.DateField(
        _("events until"),
        default=default_events_until,
        help_text=_("Upcoming events that start by this day are listed."),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    queued_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter digest")
        verbose_name_plural = _("newsletter digests")

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.queued_at is None

    def news(self) -> list[NewsPage]:
        pages = NewsPage.objects.live().filter(
            locale=Locale.get_default(), date__gte=self.news_since
        )
        return list(pages.defer_streamfields().order_by("-date", "-pk")[:DIGEST_ITEMS])

    def events(self, now: dt.datetime | None = None) -> list[EventPage]:
        pages = EventPage.objects.live().filter(
            locale=Locale.get_default(),
            starts_at__gt=now or timezone.now(),
            start_date__lte=self.events_until,
        )
        return list(pages.defer_streamfields().order_by("starts_at", "pk")[:DIGEST_ITEMS])
