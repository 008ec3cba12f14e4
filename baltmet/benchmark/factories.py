from decimal import Decimal

import factory

from baltmet.benchmark.models import BenchmarkPage, BenchmarkValue, Criterion, SciencePark
from baltmet.factories import BasePageFactory, FigureSourceFactory, home_page


class CriterionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Criterion {n}")
    unit = "companies"

    class Meta:
        model = Criterion


class ScienceParkFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Science park {n}")

    class Meta:
        model = SciencePark


class BenchmarkValueFactory(factory.django.DjangoModelFactory):
    park = factory.SubFactory(ScienceParkFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = Decimal("10")
    year = 2007
    source = factory.SubFactory(FigureSourceFactory)

    class Meta:
        model = BenchmarkValue


class BenchmarkPageFactory(BasePageFactory):
    title = "Benchmark"
    intro = "Science parks compared by success criteria."

    class Meta:
        model = BenchmarkPage

    @classmethod
    def default_parent(cls):
        return home_page()
