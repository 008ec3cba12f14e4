"""Query helpers every content app uses: what is published, and what is public."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from modelcluster.queryset import FakeQuerySet
from wagtail.models import Collection, PageViewRestriction


def published(pages):
    """Live pages outside any section with a view restriction, in the listing's own query.

    Wagtail's PageQuerySet.public() reads every restriction in a query of its own each time
    it is called (one per listing on a page); here the check is a subquery of the listing's.
    """
    restriction_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.live().exclude(Exists(restriction_above))


def published_for_search(pages):
    """`published(pages)` as a primary-key subquery: the same pages, in a form Wagtail's
    search backend can filter by (it refuses the Exists() of `published`)."""
    return pages.model.objects.filter(pk__in=published(pages).values("pk"))


def public_collections():
    """Collections whose images and documents are listed publicly (search, API): not a
    partner's own collection (its files may belong to drafts), without a view restriction,
    and not below either. A queryset to use as a subquery: it costs no query of its own."""
    private_above = Collection.objects.filter(
        Q(partner_access__isnull=False) | Q(view_restrictions__isnull=False),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return Collection.objects.exclude(Exists(private_above))


def published_pages(relation):
    """The live, public pages of a ParentalManyToManyField, for listing on a page.

    On a page read from the database the relation is a queryset; in a preview it holds the
    chosen pages in memory (modelcluster's FakeQuerySet), which SQL cannot filter by
    publication: its pages are looked up by id instead.
    """
    pages = relation.all()
    if isinstance(pages, FakeQuerySet):
        pages = pages.model.objects.filter(pk__in=[page.pk for page in pages])
    return published(pages)


def chosen_pages(page, relation: str, *ordering: str) -> list:
    """The published pages an editor chose in one of the page's relations, in one query."""
    pages = published_pages(getattr(page, relation)).defer_streamfields()
    return list(pages.order_by(*ordering) if ordering else pages)


def related_pages(page, relation_name: str):
    """Live, public pages that point at `page` through a reverse relation (e.g. the news
    of a work package). A page previewed before its first save has none yet."""
    if page.pk is None:
        return page._meta.get_field(relation_name).related_model.objects.none()
    return published(getattr(page, relation_name).all())
