"""Subscribing, confirming and unsubscribing, and the mails they send.

Every mail to a subscriber carries their unsubscribe link, in its text and in the
List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058), so a mail program can
unsubscribe in one click. The links are signed with the site's secret key.
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
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from baltmet.newsletter.models import Subscriber, SubscriberStatus
from baltmet.public_forms import consent_field, email_field
from baltmet.spam_guard import SpamGuardMixin

logger = logging.getLogger(__name__)
SALT = "baltmet.newsletter"


class SubscribeForm(SpamGuardMixin, forms.Form):
    email = email_field(_("A link to confirm your subscription comes to this address."))
    consent = consent_field(
        _("I agree that the portal keeps my address to send me the newsletter."),
        _("Please tick this box: without it the newsletter cannot be sent."),
    )

    field_order = ["email", "consent"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


def token_for(subscriber: Subscriber) -> str:
    return signing.Signer(salt=SALT).sign_object({"s": subscriber.pk, "k": subscriber.secret})


def find(token: str) -> Subscriber | None:
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(value, dict) and isinstance(value.get("s"), int)):
        return None
    found = Subscriber.objects.filter(pk=value["s"]).first()
    if found is None or not secrets.compare_digest(found.secret, str(value.get("k"))):
        return None
    return found


def subscribe(email: str, language: str) -> Subscriber:
    """A new pending subscriber, or the one this address already is."""
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email, language=language)
    except IntegrityError:
        return Subscriber.objects.get(email=email)


def confirm(subscriber: Subscriber) -> None:
    if subscriber.status == SubscriberStatus.PENDING:
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])


def links(subscriber: Subscriber, base_url: str) -> dict[str, str]:
    token = token_for(subscriber)
    with translation.override(subscriber.language):
        return {
            "confirm": base_url + reverse("newsletter_confirm", args=[token]),
            "unsubscribe": base_url + reverse("newsletter_unsubscribe", args=[token]),
        }


def subscriber_mail(
    subscriber: Subscriber, template: str, base_url: str, context=None, connection=None
) -> EmailMessage:
    """A mail to the subscriber, in their language, with the unsubscribe headers."""
    urls = links(subscriber, base_url)
    with translation.override(subscriber.language):
        context = {**(context or {}), "subscriber": subscriber, "links": urls}
        subject = render_to_string(f"newsletter/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"newsletter/mail/{template}.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )


def mail_status(subscriber: Subscriber, base_url: str) -> bool:
    """The confirmation link to a pending address; to a confirmed one, a note that it is
    subscribed already (so the form never tells whether an address is subscribed)."""
    template = "confirm" if subscriber.status == SubscriberStatus.PENDING else "already"
    try:
        subscriber_mail(subscriber, template, base_url).send()
    except (smtplib.SMTPException, OSError):
        logger.warning("Subscriber %s: a mail could not be sent.", subscriber.pk, exc_info=True)
        return False
    return True


def expired_subscriptions(now):
    """Addresses never confirmed within UNCONFIRMED_ADDRESS_DAYS (a confirmed address is kept until
    it unsubscribes, which deletes it)."""
    return Subscriber.objects.filter(
        status=SubscriberStatus.PENDING,
        created_at__lt=now - dt.timedelta(days=settings.UNCONFIRMED_ADDRESS_DAYS),
    )
