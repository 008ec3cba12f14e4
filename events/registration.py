"""Registering for an event: the rules, the form and the mails.

1. A visitor registers (name, e-mail address, organisation, consent): a registration is
   stored as "pending" and a mail asks to confirm the address, with a secret link.
2. Confirming (a button on that link's page) takes a free place, or a place on the waiting
   list when all are taken. The mail that says which has the link to cancel.
3. Cancelling deletes the registration; a place it held goes to the first on the waiting
   list, who is told by mail. So does a place added by raising the number of places.

Places are counted and given while the event's row is locked (SELECT ... FOR UPDATE), so
concurrent confirmations never give more places than there are. Registering the same address
twice sends its link again and changes nothing: the page says the same whether or not the
address was known, so it tells nobody who registered.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from baltmet.public_forms import consent_field, email_field, name_field, organisation_field
from baltmet.spam_guard import SpamGuardMixin
from events.models import EventPage, Registration, RegistrationStatus

logger = logging.getLogger(__name__)


SIGNER_SALT = "events.registration"


def token_for(registration: Registration) -> str:
    """The secret part of a registration's link: the same in every mail about it."""
    signer = signing.Signer(salt=SIGNER_SALT)
    return signer.sign_object({"r": registration.pk, "s": registration.secret})


def find(token: str) -> Registration | None:
    """The registration whose link this is, or None (a cancelled one, a forged link)."""
    try:
        value = signing.Signer(salt=SIGNER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(value, dict) and isinstance(value.get("r"), int)):
        return None
    found = Registration.objects.select_related("event").filter(pk=value["r"]).first()
    if found is None or not secrets.compare_digest(found.secret, str(value.get("s"))):
        return None
    return found


class RegistrationForm(SpamGuardMixin, forms.Form):
    name = name_field()
    email = email_field(_("A link to confirm your registration comes to this address."))
    organisation = organisation_field()
    consent = consent_field(
        _("I agree that the portal keeps these details for this event's organisers."),
        _("Please tick this box: without it you cannot be registered."),
    )

    field_order = ["name", "email", "organisation", "consent"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


def register(event: EventPage, data: dict, language: str) -> Registration:
    """A new pending registration, or the one this address already has for the event."""
    try:
        with transaction.atomic():
            return Registration.objects.create(
                event=event,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                language=language,
            )
    except IntegrityError:
        return Registration.objects.get(event=event, email=data["email"])


def confirm(registration: Registration) -> Registration:
    """Gives a pending registration a place or a place on the waiting list."""
    with transaction.atomic():
        lock_event(registration.event_id)
        registration.refresh_from_db()
        if registration.status != RegistrationStatus.PENDING:
            return registration
        registration.status = (
            RegistrationStatus.REGISTERED
            if free_places(registration.event) > 0
            else RegistrationStatus.WAITING
        )
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at"])
    return registration


def cancel(registration: Registration) -> list[Registration]:
    """Deletes the registration; returns those moved up from the waiting list."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        Registration.objects.filter(pk=registration.pk).delete()
        return move_up(event)


def move_up(event: EventPage) -> list[Registration]:
    """Gives free places to the waiting list in order; call with the event locked."""
    free = free_places(event)
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
            "confirmed_at", "pk"
        )[:free]
    )
    Registration.objects.filter(pk__in=[r.pk for r in waiting]).update(
        status=RegistrationStatus.REGISTERED
    )
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
    return waiting


def lock_event(event_id: int) -> EventPage:
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def free_places(event: EventPage) -> int:
    taken = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    return (event.registration_places or 0) - taken.count()


def waiting_position(registration: Registration) -> int:
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
        confirmed_at__lt=registration.confirmed_at,
    )
    return ahead.count() + 1


# Mails ----------------------------------------------------------------------------------


def link(base_url: str, registration: Registration) -> str:
    with translation.override(registration.language):
        return base_url + reverse("event_registration", args=[token_for(registration)])


MAIL_TEMPLATES = {
    RegistrationStatus.PENDING: "confirm",
    RegistrationStatus.REGISTERED: "registered",
    RegistrationStatus.WAITING: "waiting",
}


def mail_status(registration: Registration, base_url: str, template: str | None = None) -> bool:
    """Mails the registrant, in their language, where the registration stands and its link;
    False when the mail server refused."""
    template = template or MAIL_TEMPLATES[registration.status]
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": registration.event,
            "link": link(base_url, registration),
        }
        if registration.status == RegistrationStatus.WAITING:
            context["position"] = waiting_position(registration)
        subject = render_to_string(f"events/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/mail/{template}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[registration.email]).send()
    except (smtplib.SMTPException, OSError):
        logger.warning("Registration %s: a mail could not be sent.", registration.pk, exc_info=True)
        return False
    return True


def mail_moved_up(registrations: list[Registration], base_url: str) -> None:
    for registration in registrations:
        mail_status(registration, base_url, template="moved_up")


def site_base_url() -> str:
    """The portal's address for mails sent outside a visitor's request (an editor who added
    places): WAGTAILADMIN_BASE_URL, which production sets to the public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def expired_registrations(now) -> QuerySet[Registration]:
    """Registrations for events that ended more than EVENT_REGISTRATION_RETENTION_DAYS ago,
    and those never confirmed within UNCONFIRMED_ADDRESS_DAYS (as the privacy notice says)."""
    ended = now - dt.timedelta(days=settings.EVENT_REGISTRATION_RETENTION_DAYS)
    unconfirmed = now - dt.timedelta(days=settings.UNCONFIRMED_ADDRESS_DAYS)
    return Registration.objects.filter(
        Q(event__ends_at__lt=ended)
        | Q(status=RegistrationStatus.PENDING, created_at__lt=unconfirmed)
    )


def fill_added_places(sender, instance, **kwargs) -> None:
    """`page_published` of an event: places an editor added go to the waiting list at once,
    and those moved up are told by mail (with the portal's public address)."""
    if not isinstance(instance, EventPage) or not instance.registration_places:
        return
    with transaction.atomic():
        moved_up = move_up(lock_event(instance.pk))
        if moved_up:
            transaction.on_commit(lambda: mail_moved_up(moved_up, site_base_url()))
