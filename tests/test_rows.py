"""Pages built from database rows without the constructors a row does not need (baltmet.rows)."""

import pytest
from django.db.models.signals import post_init
from modelcluster.models import ClusterableModel

from baltmet.queries import LINK_FIELDS, as_cards
from baltmet.rows import BuiltFromRows
from events.factories import EventPageFactory
from events.models import EventPage
from news.factories import NewsPageFactory
from news.models import NewsPage

pytestmark = pytest.mark.django_db


def usual(model, field_names, values):
    """Django's from_db, through every constructor of the model."""
    return super(BuiltFromRows, model).from_db("default", field_names, values)


def row(page, field_names) -> list:
    return [page.__dict__[name] for name in field_names]


def assert_same_instance(built, expected):
    assert type(built) is type(expected)
    assert vars(built).keys() == vars(expected).keys()
    for name, value in vars(expected).items():
        if name != "_state":
            assert vars(built)[name] == value, name
    assert (built._state.adding, built._state.db) == (False, "default")
    assert built.get_deferred_fields() == expected.get_deferred_fields()


@pytest.mark.parametrize(
    "model, factory", [(EventPage, EventPageFactory), (NewsPage, NewsPageFactory)]
)
def test_a_whole_row_builds_the_page_django_builds(site_tree, model, factory):
    parent = site_tree.events if model is EventPage else site_tree.news
    page = model.objects.get(pk=factory(parent=parent).pk)
    field_names = [field.attname for field in model._meta.concrete_fields]

    built = model.from_db("default", field_names, row(page, field_names))

    assert_same_instance(built, usual(model, field_names, row(page, field_names)))
    assert built.title == page.title and built.url == page.url


def test_a_row_of_a_card_builds_the_page_django_builds(site_tree, django_assert_num_queries):
    event = EventPageFactory(parent=site_tree.events, title="Harbour days")
    card = as_cards(EventPage.objects.filter(pk=event.pk)).get()
    selected = {"page_ptr_id", *LINK_FIELDS, *EventPage.card_fields}  # as a listing's query
    field_names = [f.attname for f in EventPage._meta.concrete_fields if f.attname in selected]

    built = EventPage.from_db("default", field_names, row(card, field_names))

    assert_same_instance(built, usual(EventPage, field_names, row(card, field_names)))
    assert "body" in built.get_deferred_fields()
    with django_assert_num_queries(1):  # a deferred field is read as Django reads it
        assert built.draft_title == "Harbour days"


def test_listings_load_pages_this_way_and_signals_are_sent(site_tree):
    EventPageFactory(parent=site_tree.events)
    initialised = []

    def record(sender, instance, **kwargs):
        initialised.append(type(instance))

    post_init.connect(record, sender=EventPage)
    try:
        (loaded,) = as_cards(EventPage.objects.live())
    finally:
        post_init.disconnect(record, sender=EventPage)

    assert initialised == [EventPage]
    assert not loaded._state.adding


def test_a_new_page_is_still_set_up_by_wagtail(site_tree):
    """Only rows from the database skip the constructors: a new page gets its content type
    and its menu default as before."""
    page = EventPage(title="New")

    assert page.content_type.model_class() is EventPage
    assert page.show_in_menus is False


def test_rows_skip_the_constructors_above_djangos(site_tree, monkeypatch):
    EventPageFactory(parent=site_tree.events)
    NewsPageFactory(parent=site_tree.news)
    constructed = []
    original = ClusterableModel.__init__

    def recording(self, *args, **kwargs):
        constructed.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(ClusterableModel, "__init__", recording)
    loaded = [*as_cards(EventPage.objects.all()), *NewsPage.objects.all()]
    NewsPage(title="New")

    assert [type(page) for page in loaded] == [EventPage, NewsPage]
    assert constructed == [NewsPage]  # the new page alone
