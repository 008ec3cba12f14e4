"""A PostgreSQL text search configuration that ignores diacritics.

Visitors type "Malmo" for Malmö and "Riga" for Rīga. The configuration `baltmet_search` is
English (stemming, stop words) with the `unaccent` dictionary in front, so both the indexed
text and the query lose their accents. WAGTAILSEARCH_BACKENDS names it as SEARCH_CONFIG.
SQLite's FTS5 tokenizer already drops diacritics, so there is nothing to do there.

An existing index keeps its old vectors until `manage.py update_index` rebuilds it.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'baltmet_search') THEN
        CREATE TEXT SEARCH CONFIGURATION baltmet_search (COPY = pg_catalog.english);
        ALTER TEXT SEARCH CONFIGURATION baltmet_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS baltmet_search;"


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_configuration, drop_configuration, elidable=False)]
