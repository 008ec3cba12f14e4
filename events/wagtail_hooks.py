from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn

from baltmet.records_admin import RecordsViewSet

from .models import EventPage, Registration


@hooks.register("page_cache_next_change")
def next_event_start_or_end(now):
    """The next instant an event starts or ends (the home page, the events listing, the feed
    and the calendar then move it between upcoming and past), or its registration closes
    (its page drops the "Register" button): one query over three indexes."""
    found = EventPage.objects.live().aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        ends=Min("ends_at", filter=Q(ends_at__gt=now)),
        registration_closes=Min("registration_closes_at", filter=Q(registration_closes_at__gt=now)),
    )
    return min((instant for instant in found.values() if instant), default=None)


def readable_registrations(user) -> QuerySet[Registration]:
    """The registrations for the events of organisations whose editors the user is one of;
    all for an administrator."""
    if not (user.is_authenticated and user.is_active):
        return Registration.objects.none()
    registrations = Registration.objects.select_related("event")
    if user.is_superuser:
        return registrations.all()
    organised = EventPage.objects.filter(
        organising_partners__access__group__in=user.groups.all()
    ).values("pk")
    return registrations.filter(event__in=organised)


def reads_registrations(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(partner_access__isnull=False).exists()


class RegistrationViewSet(RecordsViewSet):
    """*Event registrations*: who registered for the events one's organisation organises,
    with their status; exported as CSV or a spreadsheet for the list of attendees.
    Registrations change only through their own links (cancelling moves the waiting list)."""

    model = Registration
    readable = readable_registrations
    reads_any = reads_registrations
    icon = "group"
    menu_label = _("Event registrations")
    menu_order = 251
    list_display = [
        Column("event", label=_("Event")),
        "name",
        "organisation",
        Column("get_status_display", label=_("Status")),
        DateColumn("confirmed_at", label=_("Confirmed")),
    ]
    list_filter = ["event", "status"]
    search_fields = ["name", "email", "organisation"]
    list_export = ["event", "name", "email", "organisation", "status", "confirmed_at"]
    export_headings = {"event": _("Event"), "status": _("Status")}
    export_filename = "event-registrations"
    inspect_view_fields = [
        "event",
        "name",
        "email",
        "organisation",
        "status",
        "language",
        "created_at",
        "confirmed_at",
    ]


@hooks.register("register_admin_viewset")
def register_registrations():
    return RegistrationViewSet("event_registrations")
