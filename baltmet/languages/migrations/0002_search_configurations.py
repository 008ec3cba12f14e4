"""A PostgreSQL text search configuration for each language of the portal but English
(which has `baltmet_search`, baltmet/home/migrations/0002): the language's own stemming and
stop words where PostgreSQL has them, `simple` where it has none (Estonian, Latvian,
Polish), each with `unaccent` in front, as visitors often type without diacritics.
SQLite (make run) has no configurations; search there matches words as they are.
"""

from django.db import migrations

# The portal's language codes and PostgreSQL's configurations (search.py names the result).
POSTGRESQL_CONFIGURATIONS = {
    "da": "danish",
    "de": "german",
    "et": "simple",
    "fi": "finnish",
    "lt": "lithuanian",
    "lv": "simple",
    "nb": "norwegian",
    "pl": "simple",
    "ru": "russian",
    "sv": "swedish",
}

CREATE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'baltmet_{code}') THEN
        CREATE TEXT SEARCH CONFIGURATION baltmet_{code} (COPY = pg_catalog.{base});
        ALTER TEXT SEARCH CONFIGURATION baltmet_{code}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
    END IF;
END
$$;
"""


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent;")
    for code, base in POSTGRESQL_CONFIGURATIONS.items():
        dictionary = "simple" if base == "simple" else f"{base}_stem"
        schema_editor.execute(CREATE.format(code=code, base=base, dictionary=dictionary))


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in POSTGRESQL_CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS baltmet_{code};")


class Migration(migrations.Migration):
    dependencies = [("languages", "0001_locales"), ("home", "0002_search_configuration")]

    operations = [
        migrations.RunPython(create_configurations, drop_configurations, elidable=False)
    ]
