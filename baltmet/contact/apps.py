from django.apps import AppConfig


class ContactConfig(AppConfig):
    """The contact forms: one to the network, one to each partner organisation. Messages are
    stored for those they were written to and mailed to the organisation's contact address."""

    name = "baltmet.contact"
    label = "contact"
    verbose_name = "Contact"
