"""The contact page and the messages sent with it.

One `ContactPage` (`/contact/`) holds the form to the network and, at
`/contact/<metropolis>/<organisation>/`, the form to each partner organisation. A message is
stored first, then mailed: to the organisation's first contact person with an e-mail address,
or for the network to the site settings' contact address. Stored messages are read in the
admin (*Contact messages*) by those they were written to (baltmet/contact/permissions.py) and
deleted after CONTACT_MESSAGE_RETENTION_DAYS by `manage.py delete_expired_personal_data`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Locale, Page
from wagtail.search import index

from baltmet.models import BasePage, SiteSettings
from baltmet.throttles import Limit, client_key, too_many_requests
from partners.models import MetropolisPage, OrganisationPage

# Posts of the contact forms per client address, valid or not: enough for a person who
# corrects a few mistakes and writes to several partners, too few for a flood.
CONTACT_POSTS_PER_ADDRESS = Limit("contact-address", 10, 60 * 60)


class ContactPage(RoutablePageMixin, BasePage):
    """The contact forms: to the network here, and to each organisation below it."""

    intro = models.TextField(
        blank=True, help_text="Shown above the form to the network: who answers, and about what."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "pages/contact_page.html"

    class Meta:
        verbose_name = "contact page"

    @path("")
    def network_form(self, request):
        return self.form_view(request, organisation=None)

    @path("<slug:metropolis>/<slug:organisation>/")
    def organisation_form(self, request, metropolis, organisation):
        return self.form_view(request, organisation=find_organisation(metropolis, organisation))

    @path("sent/")
    def network_sent(self, request):
        return self.sent_view(request, organisation=None)

    @path("<slug:metropolis>/<slug:organisation>/sent/")
    def organisation_sent(self, request, metropolis, organisation):
        return self.sent_view(request, organisation=find_organisation(metropolis, organisation))

    def form_url(self, organisation: OrganisationPage | None) -> str:
        if organisation is None:
            return self.url
        metropolis = organisation.get_parent()
        return self.url + self.reverse_subpage(
            "organisation_form", args=(metropolis.slug, organisation.slug)
        )

    def form_view(self, request, organisation: OrganisationPage | None):
        from baltmet.contact.forms import ContactForm, issue_token  # forms import the models

        site_settings = SiteSettings.for_request(request)
        recipient = recipient_address(organisation, site_settings)
        if request.method == "POST":
            if wait := CONTACT_POSTS_PER_ADDRESS.retry_after(client_key(request)):
                return too_many_requests(request, wait)
            form = ContactForm(request.POST)
            if form.is_valid():
                form.save(organisation, recipient, language=request.LANGUAGE_CODE)
                return redirect(self.form_url(organisation) + "sent/")
            form.mark_errors()
            status = 400
        else:
            form = ContactForm()
            status = 200
        context = self.get_context(request)
        context.update(
            form=form,
            token=issue_token(),
            organisation=organisation,
            recipient=recipient,
            privacy_page=site_settings.privacy_page,
            retention_days=settings.CONTACT_MESSAGE_RETENTION_DAYS,
            organisation_forms=self.organisation_forms() if organisation is None else [],
        )
        return TemplateResponse(request, self.template, context, status=status)

    def organisation_forms(self) -> list[tuple[MetropolisPage, list[tuple[str, str]]]]:
        """Each metropolis with its organisations' names and form addresses, in two queries."""
        default = Locale.get_default()
        metropolises = MetropolisPage.objects.live().filter(locale=default).defer_streamfields()
        by_path = {metropolis.path: metropolis for metropolis in metropolises.order_by("title")}
        forms: dict[str, list[tuple[str, str]]] = {path: [] for path in by_path}
        organisations = OrganisationPage.objects.live().filter(locale=default)
        for organisation in organisations.defer_streamfields().order_by("title"):
            parent_path = organisation.path[: -organisation.steplen]
            if parent_path in by_path:
                url = self.url + self.reverse_subpage(
                    "organisation_form", args=(by_path[parent_path].slug, organisation.slug)
                )
                forms[parent_path].append((organisation.title, url))
        return [(by_path[path], forms[path]) for path in by_path if forms[path]]

    def sent_view(self, request, organisation: OrganisationPage | None):
        context = self.get_context(request)
        context.update(organisation=organisation, sent=True, form_url=self.form_url(organisation))
        return TemplateResponse(request, "pages/contact_sent.html", context)


def find_organisation(metropolis: str, organisation: str) -> OrganisationPage:
    """The live organisation of the original language with these slugs, or 404."""
    found = (
        OrganisationPage.objects.live()
        .filter(locale=Locale.get_default(), slug=organisation)
        .defer_streamfields()
    )
    for page in found:
        if page.get_parent().slug == metropolis:
            return page
    raise Http404("No such organisation.")


def recipient_address(organisation: OrganisationPage | None, site_settings: SiteSettings) -> str:
    """Where a message is mailed: the organisation's first contact person with an address, or
    for the network the site's contact address; empty if there is none (it is only stored)."""
    if organisation is None:
        return site_settings.contact_email
    contact = organisation.contacts.exclude(email="").order_by("sort_order").first()
    return contact.email if contact else ""


class ContactMessage(models.Model):
    """A message sent with a contact form. Visitors write it; nobody edits it."""

    organisation = models.ForeignKey(
        OrganisationPage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("written to"),
        help_text="Empty for a message to the network.",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    sender_organisation = models.CharField(_("their organisation"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=10)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    delivered_to = models.EmailField(
        _("mailed to"), blank=True, help_text="Empty if it could not be mailed: read it here."
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.subject} ({self.name})"

    @property
    def recipient_name(self) -> str:
        return self.organisation.title if self.organisation_id else str(_("The network"))


def expired_contact_messages(now=None):
    """Messages older than the retention period, which the deletion command removes."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONTACT_MESSAGE_RETENTION_DAYS)
    return ContactMessage.objects.filter(sent_at__lt=cutoff)
