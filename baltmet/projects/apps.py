from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects and programmes related to BaltMet Inno, as the source documents describe
    them, and the page that lists them."""

    name = "baltmet.projects"
    label = "projects"
    verbose_name = "Related projects"

    def ready(self):
        from baltmet.projects import signal_handlers  # noqa: F401
