from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the footer says on every page."""

    funding_statement = models.CharField(
        max_length=255,
        default="Project part-financed by the European Union",
        help_text="Shown in the footer of every page, as the funding rules require.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Public contact address shown in the footer."
    )
    footer_text = models.TextField(
        blank=True, help_text="A sentence about the network, shown in the footer."
    )

    panels = [
        FieldPanel("funding_statement"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = "site settings"
