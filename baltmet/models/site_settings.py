from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from baltmet.blocks import ExternalLinkBlock


def footer_page(name: str, help_text: str) -> models.ForeignKey:
    return models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=name,
        help_text=help_text,
    )


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the footer of every page says: funding, contact, the site's own notices, links."""

    funding_statement = models.CharField(
        max_length=255,
        default="Project part-financed by the European Union",
        help_text="Shown beside the EU emblem in the footer of every page, as the funding "
        "rules require.",
    )
    footer_text = models.TextField(
        blank=True, help_text="A sentence about the network, shown in the footer."
    )
    contact_email = models.EmailField(
        blank=True, help_text="Public contact address shown in the footer."
    )
    contact_page = footer_page(
        "contact page",
        "The page with the contact forms, linked from the footer of every page and from each "
        "partner organisation's page.",
    )
    contact_address = models.TextField(
        blank=True,
        help_text="Postal address shown in the footer, one line per line of the address.",
    )
    privacy_page = footer_page(
        "privacy notice", "The page that says what the portal does with personal data."
    )
    accessibility_page = footer_page(
        "accessibility statement",
        "The page that states how accessible the portal is, as the EU Web Accessibility "
        "Directive requires of public bodies' sites.",
    )
    imprint_page = footer_page("imprint", "The page that names who publishes the portal.")
    footer_links = StreamField(
        [("link", ExternalLinkBlock())],
        blank=True,
        help_text="Links to other websites, e.g. the network's earlier portal.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("funding_statement"), FieldPanel("footer_text")], heading="Identity"
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_page"),
                FieldPanel("contact_address"),
            ],
            heading="Contact",
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("imprint_page"),
            ],
            heading="The portal's notices",
        ),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = "site settings"

    @cached_property
    def footer_pages(self) -> dict[int, Page]:
        """The live pages the footer links to, by id, read in one query."""
        chosen = [
            pk
            for pk in (
                self.privacy_page_id,
                self.accessibility_page_id,
                self.imprint_page_id,
                self.contact_page_id,
            )
            if pk
        ]
        return Page.objects.live().filter(pk__in=chosen).in_bulk() if chosen else {}

    def notice_pages(self) -> list:
        """The live notices chosen, in a fixed order."""
        chosen = [self.privacy_page_id, self.accessibility_page_id, self.imprint_page_id]
        return [self.footer_pages[pk] for pk in chosen if pk in self.footer_pages]

    def live_contact_page(self) -> Page | None:
        return self.footer_pages.get(self.contact_page_id)
