from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """The seed loader: the portal's initial content, written from the source documents
    (content.yaml), loaded by `manage.py load_seed_content` without overwriting editors' work.

    It sits above every content app and the home page, so it may import them all.
    """

    name = "baltmet.seeding"
    label = "seeding"
    verbose_name = "Seed content"
