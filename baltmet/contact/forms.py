"""The contact form, and the mail that carries a message to its recipient."""

from __future__ import annotations

import logging
import smtplib
from email.utils import formataddr

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.validators import MinLengthValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from baltmet.contact.models import ContactMessage
from baltmet.public_forms import (
    ONE_LINE,
    consent_field,
    email_field,
    name_field,
    organisation_field,
)
from baltmet.spam_guard import SpamGuardMixin, issue_token
from partners.models import OrganisationPage

__all__ = ["ContactForm", "issue_token"]

logger = logging.getLogger(__name__)
MESSAGE_MAX_LENGTH = 5000


class ContactForm(SpamGuardMixin, forms.Form):
    name = name_field()
    email = email_field(_("The answer comes to this address."))
    sender_organisation = organisation_field()
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[ONE_LINE])
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MinLengthValidator(10)],
        help_text=_("At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = consent_field(
        _("I agree that the portal keeps my message and these details to answer me."),
        _("Please tick this box: without it the message cannot be sent."),
    )

    field_order = ["name", "email", "sender_organisation", "subject", "message", "consent"]

    def save(
        self, organisation: OrganisationPage | None, recipient: str, language: str
    ) -> ContactMessage:
        """Stores the message, then mails it once the transaction is committed: a mail that
        cannot be sent leaves the message stored, for the admin."""
        data = self.cleaned_data
        message = ContactMessage.objects.create(
            organisation=organisation,
            name=data["name"],
            email=data["email"],
            sender_organisation=data["sender_organisation"],
            subject=data["subject"],
            message=data["message"],
            language=language,
        )
        if recipient:
            transaction.on_commit(lambda: deliver(message, recipient))
        return message


def deliver(message: ContactMessage, recipient: str) -> bool:
    """Mails the message to its recipient, with Reply-To set to the sender; records where
    it went. False (and a warning in the log) when the mail server refused or was down."""
    with override(settings.LANGUAGE_CODE):  # the partners' working language
        body = render_to_string("contact/message_mail.txt", {"message": message})
        subject = f"[BaltMet Inno] {message.subject}"
    mail = EmailMessage(
        subject=subject,
        body=body,
        to=[recipient],
        reply_to=[formataddr((message.name, message.email))],
    )
    try:
        mail.send()
    except (smtplib.SMTPException, OSError):
        logger.warning("Contact message %s could not be mailed.", message.pk, exc_info=True)
        return False
    ContactMessage.objects.filter(pk=message.pk).update(delivered_to=recipient)
    return True
