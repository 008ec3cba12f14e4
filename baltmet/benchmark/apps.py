from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    """The science-park benchmark of work package 3: criteria, parks and their values, and
    the page that compares them."""

    name = "baltmet.benchmark"
    label = "benchmark"
    verbose_name = "Benchmark"
