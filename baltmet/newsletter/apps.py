from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """The newsletter: subscriptions with double opt-in, and digests of news and upcoming
    events that moderators review and send through a background worker."""

    name = "baltmet.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
