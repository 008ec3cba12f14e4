"""What the portal's forms keep about people, and for how long.

One entry per form that stores personal data. The privacy notice shows this list (its
"Personal data the portal keeps" block, baltmet/blocks.py), so the notice a visitor reads is
the rule the code follows: the retention periods come from the settings the deletion command
(`manage.py delete_expired_personal_data`) uses. A new form that stores personal data adds
its entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class PersonalData:
    form: str
    stored: str
    purpose: str
    seen_by: str
    retention_setting: str
    retention_text: str  # with %(days)s, and %(unconfirmed)s for UNCONFIRMED_ADDRESS_DAYS
    # The dotted path of a function (now) -> the queryset of what is past its time.
    expired: str

    def expired_records(self, now):
        return import_string(self.expired)(now)

    @property
    def days(self) -> int:
        return getattr(settings, self.retention_setting)

    def retention(self) -> str:
        unconfirmed = days_text(settings.UNCONFIRMED_ADDRESS_DAYS)
        return self.retention_text % {"days": self.days_text(), "unconfirmed": unconfirmed}

    def days_text(self) -> str:
        return days_text(self.days)


def days_text(days: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


REGISTRY: list[PersonalData] = [
    PersonalData(
        form=_("Contact form"),
        stored=_(
            "Your name, your e-mail address, your organisation if you give it, your message, "
            "the organisation you wrote to, and when you sent it and agreed to this notice."
        ),
        purpose=_("To answer your message."),
        seen_by=_(
            "The organisation you wrote to: its editors on the portal and its contact "
            "address, which receives your message by e-mail. A message to the network is "
            "seen by the portal's administrators and moderators."
        ),
        retention_setting="CONTACT_MESSAGE_RETENTION_DAYS",
        retention_text=_("Deleted %(days)s after it was sent."),
        expired="baltmet.contact.models.expired_contact_messages",
    ),
    PersonalData(
        form=_("Event registration"),
        stored=_(
            "Your name, your e-mail address, your organisation if you give it, the event, "
            "whether you have a place or are on the waiting list, and when you registered and "
            "confirmed your address."
        ),
        purpose=_(
            "To keep your place at the event, tell you about it, and give the organisers a "
            "list of attendees."
        ),
        seen_by=_(
            "The editors of the partner organisations that organise the event, and the "
            "portal's administrators."
        ),
        retention_setting="EVENT_REGISTRATION_RETENTION_DAYS",
        retention_text=_(
            "Deleted %(days)s after the event ends, or at once when you cancel. A registration "
            "whose address is never confirmed is deleted after %(unconfirmed)s."
        ),
        expired="events.registration.expired_registrations",
    ),
    PersonalData(
        form=_("Newsletter"),
        stored=_(
            "Your e-mail address, the language you subscribed in, when you subscribed and "
            "confirmed, and the last newsletter sent to you."
        ),
        purpose=_("To send you the newsletter."),
        seen_by=_("Nobody reads the list: the portal mails the newsletter to it."),
        retention_setting="UNCONFIRMED_ADDRESS_DAYS",
        retention_text=_(
            "Deleted at once when you unsubscribe (every newsletter has the link). An address "
            "never confirmed is deleted after %(days)s."
        ),
        expired="baltmet.newsletter.subscriptions.expired_subscriptions",
    ),
]


def registry() -> list[PersonalData]:
    return list(REGISTRY)
