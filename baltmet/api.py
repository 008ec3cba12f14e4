"""The public, read-only JSON API at /api/v2/ (Wagtail API v2): pages, images, documents.

It shows what the website shows, and the same to everyone:
- pages that are live and outside every section with a view restriction (also for a visitor
  who is logged in or has entered a page password, so that no session changes the answer);
- images and documents in `public_collections()` (not a partner's own collection, no view
  restriction);
- related pages only while they are published: a news item related to a draft event does not
  give the draft away.

Requests carry no authentication (no session, no CSRF) and answers are JSON only: Wagtail
would otherwise add Django REST framework's browsable HTML, which loads scripts and styles.

This is a site-wide module like urls.py: it may use the apps, and no app imports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.db.models import fields as model_fields
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import BaseSerializer, PageSerializer, get_serializer_class
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from baltmet.queries import (
    public_collections,
    published,
    published_for_search,
    published_pages,
)

# Large enough for any image the site shows in its content column, never the original file.
IMAGE_RENDITION = "max-1000x1000"
# The largest OFFSET or id PostgreSQL takes (a bigint).
MAX_WHOLE_NUMBER = 2**63 - 1
# The parameters that hold a whole number: an offset, a limit or a page's id.
WHOLE_NUMBER_PARAMETERS = ("offset", "limit", "child_of", "descendant_of", "ancestor_of")
WHOLE_NUMBER_PARAMETERS += ("translation_of",)
# Wagtail also takes "root" for these (the site's root page).
ROOT_PARAMETERS = ("child_of", "descendant_of", "translation_of")
# ASCII digits only: str.isdigit() also takes "²" and "٣", which int() refuses or reads.
DIGITS = re.compile(r"[0-9]+")
SEARCH_OPERATORS = ("and", "or")
# As on the site's search page. The PostgreSQL backend nests one expression per word, and a
# few hundred words exceed Python's recursion limit.
MAX_SEARCH_LENGTH = 100


class UTCDateTimeField(serializers.DateTimeField):
    """Instants (an event's start, a first publication) in ISO 8601, in UTC ("...Z")."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=dt.UTC, **kwargs)


def page_link(page: Page, context: dict) -> dict:
    """A related page as Wagtail shows a page's parent: id, type, API and web address, title."""
    serializer_class = page_link_serializer(type(page))
    return serializer_class(context=context).to_representation(page)


@functools.cache
def page_link_serializer(model: type[Page]) -> type[PageSerializer]:
    return get_serializer_class(
        model,
        ["id", "type", "detail_url", "html_url", "title"],
        meta_fields=["type", "detail_url", "html_url"],
        base=PageSerializer,
    )


class PageLinkField(serializers.Field):
    """A foreign key to a page: the page while it is published, otherwise null."""

    def __init__(self, model: type[Page], attname: str, **kwargs):
        self.model, self.attname = model, attname
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        pk = getattr(instance, self.attname)
        return None if pk is None else published(self.model.objects.filter(pk=pk)).first()

    def to_representation(self, page):
        return page_link(page, self.context)


class PageLinksField(serializers.Field):
    """A many-to-many or reverse relation to pages: the published ones, in tree order."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, related):
        pages = published_pages(related).order_by("path")
        return [page_link(page, self.context) for page in pages]


class ImageField(serializers.Field):
    """An image as a rendition: its address, size and alt text, with the credit it needs."""

    rendition = ImageRenditionField(IMAGE_RENDITION)

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, image):
        return {"id": image.pk, **self.rendition.to_representation(image), "credit": image.credit}


class EndpointObjectField(serializers.Field):
    """An object that has its own endpoint (a document): as that endpoint nests it."""

    def __init__(self, model: type[Model], **kwargs):
        self.model = model
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        router = self.context["router"]
        _, endpoint = router.get_model_endpoint(self.model)
        serializer_class = endpoint._get_serializer_class(router, self.model, [], nested=True)
        return serializer_class(context=self.context).to_representation(value)


class ObjectField(serializers.Field):
    """Another object (a contact person, a presentation, a key figure) with its api_fields."""

    def __init__(self, model: type[Model], many: bool = False, **kwargs):
        self.model, self.many = model, many
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        serializer = object_serializer(self.model)(context=self.context)
        if self.many:
            return [serializer.to_representation(item) for item in value.all()]
        return serializer.to_representation(value)


class RelationsMixin:
    """How a serializer shows relations, on pages and on the objects nested in them.

    Related pages are filtered to the published ones; images become renditions; documents
    are linked as their endpoint shows them; anything else shows its own api_fields (so a
    model without api_fields shows only its id and type, never its other columns).
    """

    serializer_field_mapping = {
        **BaseSerializer.serializer_field_mapping,
        model_fields.DateTimeField: UTCDateTimeField,
    }

    def build_relational_field(self, field_name, relation_info):
        model, many = relation_info.related_model, relation_info.to_many
        single_key = not many and not relation_info.reverse
        if issubclass(model, Page):
            if single_key:
                attname = relation_info.model_field.attname
                return PageLinkField, {"model": model, "attname": attname}
            return PageLinksField, {}
        if issubclass(model, AbstractImage) and single_key:
            return ImageField, {}
        if self.context["router"].get_model_endpoint(model) and single_key:
            return EndpointObjectField, {"model": model}
        return ObjectField, {"model": model, "many": many}


class PublicPageSerializer(RelationsMixin, PageSerializer):
    pass


class ObjectSerializer(RelationsMixin, BaseSerializer):
    pass


@functools.cache
def object_serializer(model: type[Model]) -> type[BaseSerializer]:
    api_fields = [
        field if isinstance(field, APIField) else APIField(field)
        for field in getattr(model, "api_fields", ())
    ]
    return get_serializer_class(
        model,
        ["id", "type", *(field.name for field in api_fields)],
        meta_fields=["type"],
        field_serializer_overrides={f.name: f.serializer for f in api_fields if f.serializer},
        base=ObjectSerializer,
    )


def check_whole_numbers(query) -> None:
    """The one parser of the API's whole-number parameters: ASCII digits that PostgreSQL can
    take (a bigint), else a 400. Wagtail then reads them as it always does."""
    for name in WHOLE_NUMBER_PARAMETERS:
        for value in query.getlist(name):
            if value == "root" and name in ROOT_PARAMETERS:
                continue
            if not DIGITS.fullmatch(value):
                raise BadRequestError(f"{name} must be a positive integer")
            if int(value) > MAX_WHOLE_NUMBER:
                raise BadRequestError(f"{name} cannot be higher than {MAX_WHOLE_NUMBER}")


class PublicAPIMixin:
    """Read-only, anonymous, JSON only; a parameter of the wrong kind is a 400, not a 500.

    Wagtail answers most bad parameters with a 400 itself; the checks here cover the rest.
    """

    renderer_classes = [JSONRenderer]
    parser_classes = []
    authentication_classes = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL cannot store or compare a NUL character in text, whatever the field.
        if any("\x00" in text for item in request.GET.lists() for text in (item[0], *item[1])):
            raise BadRequestError("query parameters cannot contain null characters")
        check_whole_numbers(request.GET)
        if len(request.GET.get("search", "")) > MAX_SEARCH_LENGTH:
            raise BadRequestError(f"search cannot be longer than {MAX_SEARCH_LENGTH} characters")
        locale = request.GET.get("locale")
        if locale is not None and locale not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            codes = ", ".join(code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES)
            raise BadRequestError(f"locale must be one of: {codes}")
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")

    def filter_queryset(self, queryset):
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            # e.g. ?date=yesterday on news: Django refuses the value when the filter is built.
            raise BadRequestError("field filter error. " + " ".join(error.messages)) from error
        except ValueError as error:
            # e.g. ?related_events=abc: Wagtail converts the values of foreign keys only.
            raise BadRequestError(f"field filter error. {error}") from error

    def find_object(self, queryset, request):
        try:
            return super().find_object(queryset, request)
        except (ValueError, ValidationError) as error:
            # ?id=abc: Wagtail passes the value to the query unchecked.
            raise BadRequestError("id must be a positive integer") from error


class PublicPagesAPIViewSet(PublicAPIMixin, PagesAPIViewSet):
    """Live, public pages of the site."""

    base_serializer_class = PublicPageSerializer
    # An organisation's metropolis is its parent: let listings ask for it with ?fields=parent.
    detail_only_fields = []

    def get_queryset(self):
        queryset = super().get_queryset()
        # The queryset of a single page type (?type=news.NewsPage) comes unordered; paging
        # through it with ?offset= needs a stable order.
        return queryset if queryset.ordered else queryset.order_by("path")

    def get_base_queryset(self):
        # Wagtail's own queryset lets a visitor see the restricted pages they may open; this
        # API shows public pages only. As a subquery on the primary key the condition stays
        # one the search backend can apply (it refuses filters on unindexed expressions).
        # Aliases (an untranslated page in another language's tree) would repeat their source.
        # ?locale=de gives the German pages (Wagtail's filter), ?translation_of=<id> a page's
        # translations.
        pages = super().get_base_queryset().filter(alias_of__isnull=True)
        return published_for_search(pages).order_by("path")


class PublicCollectionsMixin:
    def get_queryset(self):
        return self.model.objects.filter(collection__in=public_collections()).order_by("id")


class PublicImagesAPIViewSet(PublicAPIMixin, PublicCollectionsMixin, ImagesAPIViewSet):
    """Images in the public collections."""

    body_fields = [
        *ImagesAPIViewSet.body_fields,
        "alt_text",
        "credit",
        APIField("rendition", serializer=ImageRenditionField(IMAGE_RENDITION, source="*")),
    ]


class PublicDocumentsAPIViewSet(PublicAPIMixin, PublicCollectionsMixin, DocumentsAPIViewSet):
    """Documents in the public collections."""

    body_fields = [*DocumentsAPIViewSet.body_fields, "description", "file_extension"]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
