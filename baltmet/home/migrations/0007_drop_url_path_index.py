"""The index of 0005 served routing by URL path, which the portal no longer does (Wagtail
routes by slug, level by level): it only cost writes."""

from django.db import migrations


DROP = "DROP INDEX IF EXISTS baltmet_page_url_path"
CREATE = "CREATE INDEX IF NOT EXISTS baltmet_page_url_path ON wagtailcore_page USING hash (url_path)"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):
    dependencies = [("home", "0006_children_index")]

    operations = [migrations.RunPython(drop_index, create_index, elidable=False)]
