"""An index for the main menu's query: the live children of the site root shown in menus.

Every public page runs it (baltmet_tags._navigation). Without an index on depth PostgreSQL
reads the whole page table for it (2.4 ms with 13,000 pages, growing with every news item);
with this small partial index it reads the handful of menu pages (0.1 ms). SQLite serves
the demo's few pages well enough without it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS baltmet_menu_pages "
    "ON wagtailcore_page (depth, path varchar_pattern_ops) WHERE show_in_menus"
)
DROP = "DROP INDEX IF EXISTS baltmet_menu_pages"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_search_configuration"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
