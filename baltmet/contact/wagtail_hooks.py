"""*Contact messages* in the admin: read, search, export (CSV, spreadsheet) and delete the
messages one may read (baltmet/contact/permissions.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn

from baltmet.contact.models import ContactMessage
from baltmet.contact.permissions import readable_messages, reads_messages
from baltmet.records_admin import RecordsViewSet

MESSAGE_FIELDS = [
    "name",
    "email",
    "sender_organisation",
    "subject",
    "message",
    "language",
    "delivered_to",
]


class ContactMessageViewSet(RecordsViewSet):
    model = ContactMessage
    readable = readable_messages
    reads_any = reads_messages
    actions = frozenset({"view", "delete"})
    icon = "mail"
    menu_label = _("Contact messages")
    menu_order = 250
    list_display = [
        DateColumn("sent_at", label=_("Sent")),
        Column("recipient_name", label=_("Written to")),
        "name",
        "subject",
        Column("delivered_to", label=_("Mailed to")),
    ]
    list_filter = ["organisation"]
    search_fields = ["name", "email", "subject", "message", "sender_organisation"]
    # The export names the recipient ("The network" for an empty organisation).
    list_export = ["sent_at", "recipient_name", *MESSAGE_FIELDS]
    export_headings = {"recipient_name": _("Written to")}
    export_filename = "contact-messages"
    inspect_view_fields = ["sent_at", "organisation", *MESSAGE_FIELDS]


@hooks.register("register_admin_viewset")
def register_contact_messages():
    return ContactMessageViewSet("contact_messages")
