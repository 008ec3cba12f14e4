import factory

from baltmet.actionplan.models import Action, ActionPlanPage, FocusArea, Priority
from baltmet.factories import BasePageFactory, home_page


class FocusAreaFactory(factory.django.DjangoModelFactory):
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Focus area {n + 1}")

    class Meta:
        model = FocusArea


class ActionFactory(factory.django.DjangoModelFactory):
    focus_area = factory.SubFactory(FocusAreaFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Undertake action number {n + 1} of the plan")

    class Meta:
        model = Action


class PriorityFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Priority {n + 1}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = Priority


class ActionPlanPageFactory(BasePageFactory):
    title = "Action Plan"
    intro = "The plan the Mayors approved."

    class Meta:
        model = ActionPlanPage

    @classmethod
    def default_parent(cls):
        return home_page()
