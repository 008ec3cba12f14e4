"""Indexes for the expressions Wagtail's PostgreSQL search backend filters and joins by.

The backend matches `title || body` against the query, an expression neither of its own GIN
indexes (one on each column) can serve: every search read every index entry (21 ms for a word
found on 10 of 13,000 pages). It then joins the entries to pages and documents by
`object_id = id::varchar(50)`, which no primary key serves either: PostgreSQL hashed the
whole page table for each query. With these indexes such a search reads only what matches
(under 1 ms). tests/test_search.py checks that the queries the backend writes use them.
"""

from django.db import migrations

INDEXES = {
    "baltmet_search_document": "wagtailsearch_indexentry USING gin ((title || body))",
    "baltmet_page_search_key": "wagtailcore_page (((id)::varchar(50)))",
    "baltmet_document_search_key": "baltmet_customdocument (((id)::varchar(50)))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_menu_index"),
        ("baltmet", "0002_media_pages_settings"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
