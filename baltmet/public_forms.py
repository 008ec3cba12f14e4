"""The fields the public forms share (contact, event registration, newsletter): each asks
for a person's name, address and organisation the same way, with the `autocomplete` purpose
browsers and assistive technology fill them from (WCAG 1.3.5), and for consent in words that
say what happens if it is not given."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# One line of text: no line breaks or other control characters, which a mail's headers (the
# subject, the reply-to name) must not contain.
ONE_LINE = RegexValidator(
    r"[\x00-\x1f\x7f]", inverse_match=True, message=_("Please write this on one line.")
)


def name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your name"),
        max_length=120,
        validators=[ONE_LINE],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def email_field(help_text) -> forms.EmailField:
    return forms.EmailField(
        label=_("Your e-mail address"),
        help_text=help_text,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def organisation_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your organisation (optional)"),
        max_length=200,
        required=False,
        validators=[ONE_LINE],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


def consent_field(label, required_message) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": required_message})


def root_url(request) -> str:
    """The portal's address as the visitor reached it, which the links in their mails use."""
    return request.build_absolute_uri("/").rstrip("/")
