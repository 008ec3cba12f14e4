"""A spam guard for the public forms that needs no third party and no JavaScript.

Two checks, both invisible to people:
- a honeypot: a text field in a `hidden` wrapper. Browsers neither show it nor let the
  keyboard or a screen reader reach it, so only a program that fills every field fills it;
- a signed time stamp issued with the form: a form sent back within MIN_SECONDS was filled
  in by a program, and one older than MAX_SECONDS (or with a stamp that is not ours) is
  refused as expired, so a captured form cannot be replayed for ever.

A refused form is shown again with a message saying what to do, and nothing is stored or
sent. Each form also has a per-address rate limit (baltmet/throttles.py) in its view.
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "baltmet.spam_guard"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60
HONEYPOT = "leave_empty"
TOKEN = "issued"


def issue_token(now: float | None = None) -> str:
    """The time stamp a form is served with."""
    return signing.dumps(int(now if now is not None else time.time()), salt=SALT)


def token_age(value: str, now: float | None = None) -> float | None:
    """Seconds since the token was issued, or None if it is not one of ours."""
    try:
        issued = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(issued, int):
        return None
    return (now if now is not None else time.time()) - issued


class SpamGuardMixin(forms.Form):
    """The honeypot and the time stamp. Templates render them with
    `{% include "components/spam_guard.html" %}`, which issues a fresh stamp each time."""

    leave_empty = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    issued = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                _(
                    "The form was refused because a hidden field was filled in, which only "
                    "programs do. If you filled it in, please send the form again."
                ),
                code="honeypot",
            )
        age = token_age(cleaned.get(TOKEN) or "")
        if age is None or age > MAX_SECONDS:
            raise forms.ValidationError(
                _("This form has expired. Please check what you wrote and send it again."),
                code="expired",
            )
        if age < MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "The form was sent within seconds of opening it, as programs do. Please "
                    "check what you wrote and send it again."
                ),
                code="too_fast",
            )
        return cleaned

    def mark_errors(self) -> None:
        """Ties each field's error to it for assistive technology (aria-invalid and the
        error's id in aria-describedby), after a failed validation."""
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}-error"]
                if self.fields[name].help_text:  # the id Django gives help text
                    described.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join(described)}
                )
