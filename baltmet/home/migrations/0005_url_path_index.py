"""An index for finding a page by its URL path (the routing of the time; dropped in 0007).

A hash index: it serves the equality test alone, and unlike a B-tree it takes URL paths of
any length. PostgreSQL only, like 0003; SQLite's few demo pages need none.
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS baltmet_page_url_path ON wagtailcore_page USING hash (url_path)"
DROP = "DROP INDEX IF EXISTS baltmet_page_url_path"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("home", "0004_search_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
