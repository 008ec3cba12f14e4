"""Events: conferences, seminars, workshops and meetings of the network.

An event is entered in its own local time: a date (and optionally times) plus the IANA time
zone of the place. Editors never convert times. The instants `starts_at`/`ends_at` (UTC) are
derived from those fields on every save so that "upcoming" and ordering are one indexed query.
"""

import datetime as dt
import functools
import secrets
import zoneinfo
from collections import OrderedDict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from baltmet.actionplan.serializers import ActionsField
from baltmet.blocks import ContentBlocks
from baltmet.filters import paginate
from baltmet.models import BasePage, IndexPage
from baltmet.queries import chosen_pages, published, related_pages
from baltmet.structured_data import CONTEXT, organisation_reference, plain_text, postal_address

from .blocks import ProgrammeBlocks
from .filters import EventFilter


@functools.cache
def known_time_zones() -> frozenset[str]:
    # Reading the system's time zone database walks a directory tree: once is enough.
    return frozenset(zoneinfo.available_timezones())


# The zone an event takes from its country when the editor leaves the time zone empty: the
# countries of the network's metropolises, and Belgium, where its seminars in Brussels were.
COUNTRY_TIME_ZONES = {
    "Belgium": "Europe/Brussels",
    "Denmark": "Europe/Copenhagen",
    "Estonia": "Europe/Tallinn",
    "Finland": "Europe/Helsinki",
    "Germany": "Europe/Berlin",
    "Latvia": "Europe/Riga",
    "Lithuania": "Europe/Vilnius",
    "Norway": "Europe/Oslo",
    "Poland": "Europe/Warsaw",
    "Russia": "Europe/Moscow",
    "Sweden": "Europe/Stockholm",
}


def zone_label(name: str) -> str:
    return name.replace("_", " ")


def time_zone_choices() -> list:
    """The region's zones first, the others in a group below (the list has ~600 entries)."""
    region = sorted(set(COUNTRY_TIME_ZONES.values()))
    others = [name for name in sorted(known_time_zones()) if name not in region]
    return [
        ("", "From the country (the zone of the country given under Where)"),
        ("Baltic Sea region and Brussels", [(name, zone_label(name)) for name in region]),
        ("Other time zones", [(name, zone_label(name)) for name in others]),
    ]


DERIVED_FIELDS = ("starts_at", "ends_at", "registration_closes_at")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", _("Meeting")


class EventIndexPage(IndexPage):
    subpage_types = ["events.EventPage"]
    template = "pages/event_index_page.html"
    page_size = 20

    class Meta:
        verbose_name = "events index"

    def events(self):
        return published(EventPage.objects.child_of(self)).defer_streamfields()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        filters = EventFilter(request.GET, self.events(), now=now)
        listing = UpcomingThenPast(
            filters.qs, now, count=filters.count, upcoming_count=filters.upcoming_count
        )
        events_page, page_notices = paginate(listing, self.page_size, request.GET)
        context["events_page"] = events_page
        context["filters"] = filters
        context["notices"] = [*filters.notices, *page_notices]
        # The page's events in the index's two groups (one page may hold the end of one
        # and the start of the other).
        context["upcoming_events"] = [event for event in events_page if not event.is_past]
        context["past_events_by_year"] = group_by_year(
            event for event in events_page if event.is_past
        )
        return context


def upcoming(events, now: dt.datetime):
    """Events that have not ended yet (running ones included), soonest first."""
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


def past(events, now: dt.datetime):
    """Events that have ended, latest first."""
    return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


class UpcomingThenPast:
    """The events listing in its order, upcoming events soonest first and then past events
    latest first, as a sequence Django's Paginator can count and slice.

    With one ORDER BY for both groups, PostgreSQL orders every event to find one page of
    them (11 ms for 3,000 events). Here each group is read in the order of its own index
    (`starts_at`), and a page is a slice of one group, or the end of one and the start of the
    other, in one query. Each event says which group it is in (`is_past`).
    """

    def __init__(self, events, now: dt.datetime, count=None, upcoming_count=None):
        self.events, self.now = events.order_by(), now
        self._count, self._upcoming_count = count, upcoming_count

    def _counts(self) -> tuple[int, int]:
        """The listing's size and how many of its events are upcoming, in one query unless
        known (the filters count the unfiltered listing)."""
        if self._count is None or self._upcoming_count is None:
            counts = self.events.aggregate(
                count=models.Count("pk"),
                upcoming=models.Count("pk", filter=models.Q(ends_at__gt=self.now)),
            )
            self._count, self._upcoming_count = counts["count"], counts["upcoming"]
        return self._count, self._upcoming_count

    def count(self) -> int:
        return self._counts()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        split = self._counts()[1]
        parts = []
        if start < split:
            group = upcoming(self.events, self.now).annotate(is_past=models.Value(False))
            parts.append(group[start : min(stop, split)])
        if stop > split:
            group = past(self.events, self.now).annotate(is_past=models.Value(True))
            parts.append(group[max(start - split, 0) : stop - split])
        if not parts:  # an empty slice
            return []
        rows = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
        # UNION ALL promises no order: put the rows back in the listing's.
        return sorted(rows, key=listing_position)


def listing_position(event) -> tuple:
    """Where an event of UpcomingThenPast goes: upcoming soonest first, then past latest
    first; events that start together in the order they were created."""
    sign = -1 if event.is_past else 1
    return (event.is_past, sign * event.starts_at.timestamp(), sign * event.pk)


def group_by_year(events) -> "OrderedDict[int, list]":
    grouped: OrderedDict[int, list] = OrderedDict()
    for event in events:
        grouped.setdefault(event.start_date.year, []).append(event)
    return grouped


class EventPage(BasePage):
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    start_date = models.DateField(help_text="First day, in the event's local calendar.")
    start_time = models.TimeField(
        null=True, blank=True, help_text="Local start time. Leave empty for an all-day event."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day, if the event runs over several days."
    )
    end_time = models.TimeField(null=True, blank=True, help_text="Local end time, if known.")
    date_note = models.CharField(
        max_length=255,
        blank=True,
        help_text="How the date is known, where a source does not state it in full "
        "(e.g. 'Year inferred: the source of 13 November 2007 reports it as on 6 November').",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="The time zone of the place where the event happens. Leave it empty for "
        "the zone of its country, if it is one of the network's countries or Belgium.",
    )
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False, db_index=True)

    venue = models.CharField(max_length=255, blank=True, help_text="Building or room, if known.")
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=100)
    metropolis = models.ForeignKey(
        "partners.MetropolisPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="The Baltic Metropolis where it takes place, if it is one of them.",
    )
    organising_partners = ParentalManyToManyField(
        "partners.OrganisationPage",
        blank=True,
        related_name="organised_events",
        help_text="Partner organisations that organise or host the event.",
    )
    other_organisers = models.CharField(
        max_length=255,
        blank=True,
        help_text="Organisers that are not partners of the project, as free text.",
    )
    related_work_packages = ParentalManyToManyField(
        "workpackages.WorkPackagePage", blank=True, related_name="events"
    )
    action_plan_actions = ParentalManyToManyField(
        "actionplan.Action",
        blank=True,
        related_name="event_pages",
        verbose_name="Action Plan actions",
        help_text="The actions of the BaltMet Action Plan 2008-2010 this serves, if any.",
    )
    intro = models.TextField(help_text="One or two sentences for listings and the page lead.")
    body = StreamField(ContentBlocks(), blank=True)
    programme = StreamField(ProgrammeBlocks(), blank=True)
    registration_places = models.PositiveIntegerField(
        "places",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="To let visitors register on the portal, the number of places. Once they "
        "are taken, visitors join a waiting list, which moves up when someone cancels. Leave "
        "empty for no registration.",
    )
    registration_closes_on = models.DateField(
        "last day to register",
        null=True,
        blank=True,
        help_text="In the event's local calendar; at the latest the day it starts.",
    )
    # The moment registration closes (the end of that day, or the start if earlier), in UTC.
    registration_closes_at = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
                FieldPanel("date_note"),
                # Choices live in the form, not the model: the list follows the system's
                # time zone database and must not leak into migrations.
                FieldPanel("time_zone", widget=forms.Select(choices=time_zone_choices)),
            ],
            heading="When (local time)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("metropolis"),
            ],
            heading="Where",
        ),
        MultiFieldPanel(
            [
                FieldPanel("organising_partners", widget=forms.CheckboxSelectMultiple),
                FieldPanel("other_organisers"),
            ],
            heading="Organisers",
        ),
        FieldPanel("related_work_packages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("action_plan_actions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("programme"),
        InlinePanel("presentations", label="Presentation", heading="Presentations"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("registration_places"), FieldPanel("registration_closes_on")]
                )
            ],
            heading="Registration",
            help_text="The organising partners' editors read and export who registered under "
            "Event registrations in the menu.",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("city"),
        index.SearchField("venue"),
        index.SearchField("other_organisers"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
        index.RelatedFields(
            "presentations", [index.SearchField("title"), index.SearchField("speaker")]
        ),
    ]
    api_fields = [
        APIField("kind"),
        APIField("start_date"),
        APIField("start_time"),
        APIField("end_date"),
        APIField("date_note"),
        APIField("end_time"),
        APIField("time_zone"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("venue"),
        APIField("city"),
        APIField("country"),
        APIField("metropolis"),
        APIField("organising_partners"),
        APIField("other_organisers"),
        APIField("related_work_packages"),
        APIField("action_plan_actions", serializer=ActionsField()),
        APIField("intro"),
        APIField("body"),
        APIField("programme"),
        APIField("presentations"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "pages/event_page.html"
    card_template = "components/event_card.html"

    class Meta:
        verbose_name = "event"

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.start_date

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        # Only a draft can lack a zone (a country without a default, nothing chosen): its
        # instants are provisional in UTC until publishing, whose clean() asks for the zone.
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    def local_instants(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as aware datetimes in the event's own time zone.

        All-day events run from midnight of the first day to midnight after the last day.
        A timed event without an end time is taken to end at the end of its last day.
        """
        zone = self.zone
        start = dt.datetime.combine(self.start_date, self.start_time or dt.time.min, zone)
        if self.start_time is not None and self.end_time is not None:
            end = dt.datetime.combine(self.last_date, self.end_time, zone)
        else:
            end = dt.datetime.combine(self.last_date + dt.timedelta(days=1), dt.time.min, zone)
        return start, end

    def sync_instants(self) -> None:
        """Derive the stored UTC instants from the local date, time and time zone."""
        start, end = self.local_instants()
        self.starts_at = start.astimezone(dt.UTC)
        self.ends_at = end.astimezone(dt.UTC)
        self.registration_closes_at = None
        if self.registration_places and self.registration_closes_on:
            last_day_ends = dt.datetime.combine(
                self.registration_closes_on + dt.timedelta(days=1), dt.time.min, self.zone
            )
            self.registration_closes_at = min(last_day_ends, start).astimezone(dt.UTC)

    def registration_is_open(self, now: dt.datetime | None = None) -> bool:
        closes = self.registration_closes_at
        return closes is not None and (now or timezone.now()) < closes

    def clean(self):
        super().clean()
        errors = {}
        self.fill_time_zone()
        if not self.time_zone:
            errors["time_zone"] = (
                f"Choose the time zone of the place: {self.country or 'its country'} has none "
                "by default."
            )
        elif self.time_zone not in known_time_zones():
            errors["time_zone"] = "Choose a time zone from the list."
        if self.end_time and not self.start_time:
            errors["end_time"] = "Give a start time too, or leave both times empty (all day)."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The event cannot end before it starts."
        elif (
            self.start_date
            and self.start_time
            and self.end_time
            and self.last_date == self.start_date
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = "The event cannot end before it starts."
        if self.registration_places and not self.registration_closes_on:
            errors["registration_closes_on"] = "Give the last day to register."
        elif self.registration_closes_on and not self.registration_places:
            errors["registration_places"] = "Give the number of places, or no last day."
        elif (
            self.registration_closes_on
            and self.start_date
            and self.registration_closes_on > self.start_date
        ):
            errors["registration_closes_on"] = "Registration closes by the day the event starts."
        if errors:
            raise ValidationError(errors)

    def full_clean(self, exclude=None, **kwargs):
        # The instants are derived, never entered: check the fields they come from, then derive.
        super().full_clean(exclude={*(exclude or ()), *DERIVED_FIELDS}, **kwargs)
        self.sync_instants()

    def fill_time_zone(self) -> None:
        """An empty time zone becomes its country's (COUNTRY_TIME_ZONES), where it has one."""
        if not self.time_zone:
            self.time_zone = COUNTRY_TIME_ZONES.get((self.country or "").strip(), "")

    def save(self, *args, clean=True, **kwargs):
        # Page.save() runs full_clean() only for live pages saved with clean=True; drafts get a
        # minimal clean, and then the caller (the admin form, the loader) has checked the data.
        if not (clean and self.live):
            self.fill_time_zone()
            self.sync_instants()
        return super().save(*args, clean=clean, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["presentations"] = self.presentations.select_related(
            "speaker_organisation", "document"
        )
        context["organising_partners"] = chosen_pages(self, "organising_partners")
        context["related_work_packages"] = chosen_pages(self, "related_work_packages")
        news = related_pages(self, "news_pages").defer_streamfields().order_by("-date")
        context["related_news"] = news
        # Reverse relation from the library, which sits above this app.
        context["library_entries"] = (
            related_pages(self, "library_entries").defer_streamfields().order_by("path")
        )
        return context

    def structured_data(self, context, url, site_url):
        if self.is_all_day:
            start, end = self.start_date.isoformat(), self.last_date.isoformat()
        else:
            start_instant, end_instant = self.local_instants()
            start = start_instant.isoformat()
            end = end_instant.isoformat() if self.end_time is not None else None
            if end is None and self.end_date:
                end = self.end_date.isoformat()
        data = {
            "@context": CONTEXT,
            "@type": "Event",
            "name": self.title,
            "startDate": start,
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {
                "@type": "Place",
                "name": self.venue or self.city,
                "address": postal_address(self.city, self.country),
            },
        }
        if end:
            data["endDate"] = end
        request = context.get("request")
        organisers = [
            organisation_reference(organisation, request)
            for organisation in context.get("organising_partners") or ()
        ]
        if self.other_organisers:
            organisers.append({"@type": "Organization", "name": self.other_organisers})
        if organisers:
            data["organizer"] = organisers
        if self.intro:
            data["description"] = plain_text(self.intro)
        if url:
            data["url"] = url
        return data


class EventPresentation(Orderable):
    """A talk given at the event, with its speaker and, if shared, its slides."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="presentations")
    title = models.CharField(max_length=255)
    speaker = models.CharField(max_length=120, help_text="The speaker's name.")
    speaker_role = models.CharField(
        max_length=160, blank=True, help_text="e.g. Head of Lord Mayor's Office"
    )
    speaker_organisation = models.ForeignKey(
        "partners.OrganisationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
        help_text="The speaker's organisation, if it is a partner of the project.",
    )
    speaker_organisation_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="The speaker's organisation as text, if it is not a partner.",
    )
    summary = models.TextField(blank=True)
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The slides or paper, if shared.",
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("speaker"), FieldPanel("speaker_role")]),
        FieldRowPanel(
            [FieldPanel("speaker_organisation"), FieldPanel("speaker_organisation_name")]
        ),
        FieldPanel("summary"),
        FieldPanel("document"),
    ]
    api_fields = [
        APIField("title"),
        APIField("speaker"),
        APIField("speaker_role"),
        APIField("organisation_name"),
        APIField("summary"),
        APIField("document"),
    ]

    def __str__(self) -> str:
        return f"{self.title} ({self.speaker})"

    @property
    def organisation_name(self) -> str:
        if self.speaker_organisation_id:
            return self.speaker_organisation.title
        return self.speaker_organisation_name


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Address not confirmed yet")
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A visitor's registration for an event (events/registration.py has the rules).

    It holds no place until its address is confirmed through the link mailed to it; then it
    takes a free place or joins the waiting list, in the order of confirmation.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    language = models.CharField(_("language"), max_length=10)
    # With the site's secret key this makes the registration's link (events/registration.py):
    # the database alone cannot give anyone's link away.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], name="one_registration_per_address_and_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event.title})"
