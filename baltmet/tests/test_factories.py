import pytest
from wagtail.models import get_page_models

from baltmet.factories import DocumentFactory, ImageFactory, UserFactory
from baltmet.home.factories import HomePageKeyFigureFactory
from events.factories import EventPresentationFactory
from partners.factories import MetropolisKeyFigureFactory, OrganisationContactFactory
from tests.fixtures import PAGE_FACTORIES
from workpackages.factories import WorkPackageDeliverableFactory

OUR_APPS = {
    "baltmet",
    "home",
    "actionplan",
    "projects",
    "library",
    "benchmark",
    "contact",
    "partners",
    "workpackages",
    "news",
    "events",
}
OUR_PAGE_MODELS = [m for m in get_page_models() if m._meta.app_label in OUR_APPS]


def test_registry_lists_only_page_models_of_our_apps():
    assert OUR_PAGE_MODELS, "get_page_models() found no page models in our apps"
    stale = [m._meta.label for m in PAGE_FACTORIES if m not in OUR_PAGE_MODELS]
    assert not stale, f"PAGE_FACTORIES lists models that are not our page models: {stale}"


@pytest.mark.parametrize("model", OUR_PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_page_model_has_a_factory(model):
    assert model in PAGE_FACTORIES, f"No factory for {model._meta.label} in PAGE_FACTORIES"
    assert PAGE_FACTORIES[model]._meta.model is model


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGE_FACTORIES, ids=lambda m: m.__name__)
def test_page_factory_makes_a_valid_live_page_where_it_may_exist(model):
    page = PAGE_FACTORIES[model]()

    page.full_clean()
    assert page.live
    assert type(page.get_parent().specific) in model.allowed_parent_page_models()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "parent_attribute"),
    [
        (HomePageKeyFigureFactory, "page"),
        (MetropolisKeyFigureFactory, "page"),
        (OrganisationContactFactory, "page"),
        (WorkPackageDeliverableFactory, "page"),
        (EventPresentationFactory, "page"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_child_object_factories_attach_to_a_page(factory, parent_attribute):
    child = factory()

    child.full_clean()
    page = getattr(child, parent_attribute)
    assert page.pk is not None
    assert child in getattr(page, child._meta.get_field("page").remote_field.related_name).all()


@pytest.mark.django_db
def test_media_and_user_factories():
    image = ImageFactory()
    document = DocumentFactory()
    user = UserFactory()

    assert image.width > 0 and image.alt_text
    assert image.collection.is_root()
    assert document.file.name.endswith(".pdf")
    assert user.check_password("test-password-not-secret")
