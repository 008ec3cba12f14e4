"""Query helpers every content app uses."""

from modelcluster.queryset import FakeQuerySet


def published_pages(relation):
    """The live, public pages of a ParentalManyToManyField, for listing on a page.

    On a page read from the database the relation is a queryset; in a preview it holds the
    chosen pages in memory (modelcluster's FakeQuerySet), which SQL cannot filter by
    publication: its pages are looked up by id instead.
    """
    pages = relation.all()
    if isinstance(pages, FakeQuerySet):
        pages = pages.model.objects.filter(pk__in=[page.pk for page in pages])
    return pages.live().public()


def related_pages(page, relation_name: str):
    """Live, public pages that point at `page` through a reverse relation (e.g. the news
    of a work package). A page previewed before its first save has none yet."""
    if page.pk is None:
        return page._meta.get_field(relation_name).related_model.objects.none()
    return getattr(page, relation_name).live().public()
