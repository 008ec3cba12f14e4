"""The network's geography: metropolises, and the partner organisations in each."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.db.models.functions import Length, Substr
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from baltmet.blocks import ContentBlocks
from baltmet.filters import paginate
from baltmet.languages.queries import in_active_language
from baltmet.models import BasePage, IndexPage, KeyFigure
from baltmet.queries import published, related_pages
from baltmet.structured_data import CONTEXT, ShareImage, absolute, postal_address

from .filters import OrganisationFilter


class MetropolisStatus(models.TextChoices):
    PARTNER = "partner", _("Partner city")
    OBSERVER = "observer", _("Observer")


class OrganisationType(models.TextChoices):
    CITY = "city", _("City administration")
    REGIONAL_AUTHORITY = "regional_authority", _("Regional authority")
    DEVELOPMENT_AGENCY = "development_agency", _("Development agency")
    UNIVERSITY = "university", _("University")
    SCIENCE_PARK = "science_park", _("Science park")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class ProjectRole(models.TextChoices):
    LEAD_PARTNER = "lead_partner", _("Lead partner")
    COORDINATOR = "coordinator", _("Project coordinator")
    PARTNER = "partner", _("Project partner")
    OBSERVER = "observer", _("Observer")


# Listings show the lead partner first, then the coordinator, partners and observers.
ROLE_ORDER = Case(
    *(When(project_role=role, then=Value(rank)) for rank, role in enumerate(ProjectRole.values)),
    output_field=IntegerField(),
)


def in_role_order(organisations):
    """Public organisations as cards, the lead partner first, then coordinator, partners,
    observers."""
    return (
        published(organisations)
        .defer_streamfields()
        .annotate(role_rank=ROLE_ORDER)
        .order_by("role_rank", "title")
    )


class PartnersIndexPage(IndexPage):
    """The network: every metropolis, and the organisations taking part from each."""

    subpage_types = ["partners.MetropolisPage"]
    template = "pages/partners_index_page.html"
    page_size = 24

    class Meta:
        verbose_name = "partners index"

    def metropolises(self):
        # Their paths find each organisation's metropolis (get_context).
        metropolises = MetropolisPage.objects.child_of(self)
        return published(metropolises).defer_streamfields().order_by("title")

    def organisations(self):
        return in_role_order(OrganisationPage.objects.descendant_of(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        metropolises = list(self.metropolises())
        city_by_path = {m.path: m for m in metropolises}
        # An organisation under an unpublished metropolis is not shown either.
        organisations = (
            self.organisations()
            .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
            .filter(parent_path__in=list(city_by_path))
        )
        filters = OrganisationFilter(request.GET, organisations, metropolises=metropolises)
        organisations_page, page_notices = paginate(filters.qs, self.page_size, request.GET)
        for organisation in organisations_page:
            organisation.metropolis = city_by_path[organisation.parent_path]
        context["partner_cities"] = [m for m in metropolises if m.is_partner_city]
        context["observer_cities"] = [m for m in metropolises if not m.is_partner_city]
        context["organisations"] = list(organisations_page)
        context["organisations_page"] = organisations_page
        context["filters"] = filters
        context["notices"] = [*filters.notices, *page_notices]
        return context


class MetropolisPage(BasePage):
    """One of the Baltic Metropolises: its status in the project, location and profile."""

    country = models.CharField(max_length=80)
    status = models.CharField(
        max_length=20,
        choices=MetropolisStatus.choices,
        default=MetropolisStatus.PARTNER,
        help_text="Partner cities take part in the project; observers follow it.",
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Decimal degrees north, for the map (e.g. 60.16986 for Helsinki).",
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Decimal degrees east, for the map (e.g. 24.93838 for Helsinki).",
    )
    intro = models.TextField(blank=True, help_text="One or two sentences for listings.")
    profile_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Heading of the profile, e.g. 'Helsinki Region'. The city name if empty.",
    )
    profile = StreamField(ContentBlocks(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("country"), FieldPanel("status")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Place in the network",
        ),
        FieldPanel("intro"),
        FieldPanel("profile_title"),
        FieldPanel("profile"),
        InlinePanel("key_figures", label="Key figures", heading="Key figures"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("country"),
        index.SearchField("intro"),
        index.SearchField("profile_title"),
        index.SearchField("profile"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("country"),
        APIField("status"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("intro"),
        APIField("profile_title"),
        APIField("profile"),
        APIField("key_figures"),
    ]

    parent_page_types = ["partners.PartnersIndexPage"]
    subpage_types = ["partners.OrganisationPage"]
    template = "pages/metropolis_page.html"
    card_template = "components/metropolis_card.html"

    class Meta:
        verbose_name = "metropolis"
        verbose_name_plural = "metropolises"

    @property
    def is_partner_city(self) -> bool:
        return self.status == MetropolisStatus.PARTNER

    # News items and events shown on the page; the news and events sections list them all.
    related_count = 4

    def organisations(self):
        return in_role_order(OrganisationPage.objects.child_of(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        organisations = self.organisations()
        context["organisations"] = organisations
        context["key_figures"] = self.key_figures.select_related("source")
        # What the page shows of the rest of the network: bounded lists, newest first.
        context["led_work_packages"] = self.led_work_packages()
        context["network_metropolises"] = self.network_metropolises()
        context["metropolis_news"] = (
            related_pages(self, "news_pages").defer_streamfields().order_by("-date", "-pk")
        )[: self.related_count]
        context["metropolis_events"] = (
            related_pages(self, "events").defer_streamfields().order_by("-starts_at", "-pk")
        )[: self.related_count]
        return context

    def network_metropolises(self):
        """The published metropolises beside this one, for the map that places it among them.
        A page previewed before its first save is placed alone."""
        if self.pk is None:
            return [self]
        siblings = MetropolisPage.objects.sibling_of(self, inclusive=False)
        return [self, *published(siblings).defer_streamfields()]

    def led_work_packages(self):
        """The work packages led by an organisation of this metropolis, in their order."""
        from workpackages.models import WorkPackagePage  # workpackages imports this module

        led_here = published(WorkPackagePage.objects.all()).filter(
            lead_organisation__in=OrganisationPage.objects.child_of(self)
        )
        return led_here.select_related("lead_organisation").order_by("number")


class MetropolisKeyFigure(KeyFigure):
    page = ParentalKey(MetropolisPage, on_delete=models.CASCADE, related_name="key_figures")


# The logo's size when the page is shared (the page itself shows it 80 pixels high).
LOGO_SHARE_RENDITION = "max-1200x630"


class OrganisationPage(BasePage):
    """A partner organisation: a city, agency, university, science park or company."""

    organisation_type = models.CharField(
        "type of organisation", max_length=30, choices=OrganisationType.choices
    )
    organisation_type_inferred = models.BooleanField(
        "type inferred",
        default=False,
        help_text="Tick if no source states the type and it is read from the organisation's "
        "name. Visitors see that it is inferred.",
    )
    project_role = models.CharField(
        "role in the project",
        max_length=20,
        choices=ProjectRole.choices,
        default=ProjectRole.PARTNER,
    )
    website = models.URLField(blank=True, help_text="The organisation's own website.")
    logo = models.ForeignKey(
        "baltmet.CustomImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation's logo, shown next to its name. The upload form asks for "
        "a description: write the organisation's name and 'logo'.",
    )
    intro = models.TextField(blank=True, help_text="One or two sentences for listings.")
    description = StreamField(ContentBlocks(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("organisation_type"), FieldPanel("project_role")]),
        FieldPanel("organisation_type_inferred"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("intro"),
        FieldPanel("description"),
        InlinePanel("contacts", label="Contact person", heading="Contact persons"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.FilterField("organisation_type"),
        index.FilterField("project_role"),
        index.RelatedFields("contacts", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("organisation_type"),
        APIField("organisation_type_inferred"),
        APIField("project_role"),
        APIField("website"),
        APIField("logo"),
        APIField("intro"),
        APIField("description"),
        APIField("contacts"),
        APIField("led_work_packages"),
    ]

    parent_page_types = ["partners.MetropolisPage"]
    subpage_types = []
    template = "pages/organisation_page.html"
    related_count = 4  # events and news items shown; their sections list them all
    card_template = "components/organisation_card.html"

    class Meta:
        verbose_name = "partner organisation"

    def parent_metropolis(self):
        """The metropolis it is in, in one query (`get_parent().specific` takes two)."""
        parent = MetropolisPage.objects.filter(path=self.path[: -self.steplen])
        return parent.defer_streamfields().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["metropolis"] = self.parent_metropolis()
        context["contacts"] = self.contacts.all()
        # Reverse relation from workpackages: this app never imports the ones above it.
        led = related_pages(self, "led_work_packages").defer_streamfields()
        context["led_work_packages"] = led.order_by("number")
        # What it organised or hosted, and the news that name it: the latest few of each.
        context["organised_events"] = (
            related_pages(self, "organised_events").defer_streamfields().order_by("-starts_at")
        )[: self.related_count]
        context["organisation_news"] = (
            related_pages(self, "news_pages").defer_streamfields().order_by("-date", "-pk")
        )[: self.related_count]
        return context

    @cached_property
    def share_image(self) -> ShareImage | None:
        if not self.logo_id:
            return None
        try:
            rendition = self.logo.get_rendition(LOGO_SHARE_RENDITION)
        except Exception:  # A missing or unreadable file: share the site's image instead.
            return None
        logo_of = gettext("Logo of %(organisation)s") % {"organisation": self.title}
        alt = self.logo.alt_text or logo_of
        return ShareImage(rendition.url, rendition.width, rendition.height, alt)

    def structured_data(self, context, url, site_url):
        data = {"@context": CONTEXT, "@type": "Organization", "name": self.title}
        if url:
            data["url"] = url
        if self.website:
            data["sameAs"] = [self.website]
        metropolis = context.get("metropolis")
        if metropolis is not None:
            data["address"] = postal_address(metropolis.title, metropolis.country)
        if self.share_image is not None:
            data["logo"] = absolute(site_url, self.share_image.url)
        return data


class OrganisationContact(Orderable):
    """A contact person of an organisation, in the order the organisation wants them shown."""

    page = ParentalKey(OrganisationPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=160, blank=True, help_text="e.g. Head of Office")
    email = models.EmailField(blank=True, help_text="Shown protected from address harvesters.")
    phone = models.CharField(max_length=40, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("job_title")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
    ]
    # No e-mail address: the pages protect it from harvesters, and JSON could not.
    api_fields = [APIField("name"), APIField("job_title"), APIField("phone")]

    def __str__(self) -> str:
        return f"{self.name} ({self.page.title})"


class PartnerAccess(models.Model):
    """An organisation's editors' group and private media collection.

    Kept apart from the page (not in its revisions) and set up by baltmet.roles.groups.
    """

    organisation = models.OneToOneField(
        OrganisationPage, on_delete=models.CASCADE, related_name="access"
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="partner_access"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="partner_access"
    )

    class Meta:
        verbose_name = "partner access"
        verbose_name_plural = "partner access"

    def __str__(self) -> str:
        return f"{self.group.name} ({self.collection.name})"


class PeoplePage(BasePage):
    """The people the project's documents name: each partner organisation's contact persons,
    with their organisation, their role as the documents give it, the work packages they are
    the contact for and the presentations they gave. E-mail addresses are written as the
    organisation pages write them (protected from harvesters), and never in the API."""

    intro = models.TextField(blank=True, help_text="Lead paragraph under the title.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("people")]

    parent_page_types = ["home.HomePage", "baltmet.StandardPage"]
    subpage_types = []
    max_count = 1
    template = "pages/people_page.html"

    class Meta:
        verbose_name = "people page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["people"] = directory()
        return context

    @property
    def people(self) -> list[dict]:
        """For the API: the directory without e-mail addresses."""
        return [
            {
                "name": person.contact.name,
                "job_title": person.contact.job_title,
                "organisation": person.contact.page_id,
                "work_packages": [wp.number for wp in person.work_packages],
                "presentations": [p.title for p in person.presentations],
            }
            for person in directory()
        ]


@dataclass
class Person:
    """One contact person in the directory, with what ties them to the project."""

    contact: OrganisationContact
    work_packages: list
    presentations: list


def directory() -> list[Person]:
    """The contact persons of live, public organisation pages in the visitor's language (each
    organisation once: its translation, else the original), by organisation and in each
    organisation's order, with the live work packages they are the contact for and the
    presentations at live events given under their name for their organisation: three
    queries, whatever their number.

    The work packages and presentations are read through the relations' reverse side, as
    this app sits below workpackages and events."""
    work_package_page = OrganisationContact._meta.get_field("work_packages").related_model
    presentation = OrganisationPage._meta.get_field("presentations").related_model
    contacts = list(
        OrganisationContact.objects.filter(
            page__in=in_active_language(published(OrganisationPage.objects.all()))
        )
        .select_related("page")
        .prefetch_related(
            Prefetch(
                "work_packages",
                queryset=published(work_package_page.objects.all()).order_by("number"),
            )
        )
        .order_by("page__title", "sort_order")
    )
    talks = presentation.objects.filter(
        speaker_organisation__in={contact.page_id for contact in contacts},
        page__in=published(presentation._meta.get_field("page").related_model.objects.all()),
    ).select_related("page")
    by_speaker: dict[tuple[int, str], list] = {}
    for talk in talks.order_by("page__start_date", "sort_order"):
        by_speaker.setdefault((talk.speaker_organisation_id, talk.speaker), []).append(talk)
    return [
        Person(
            contact,
            list(contact.work_packages.all()),
            by_speaker.get((contact.page_id, contact.name), []),
        )
        for contact in contacts
    ]
