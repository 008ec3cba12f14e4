"""Every migration of our apps can be unapplied and applied again.

It runs on a throw-away copy of the test database (CREATE DATABASE ... TEMPLATE), in a
separate process, so a migration that fails half-way harms nothing else.

One migration stays: `baltmet.0001_user`, the custom user model. Every app that refers to
users (Django's auth, Wagtail's pages, images, documents and users, django-otp, django-axes)
depends on it, so unapplying it means unapplying all of them, and Wagtail's own
`wagtailimages.0023_add_choose_permissions` cannot be reversed with a custom user model. It
is irreversible by design: a database without users is a new installation.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent
# Unapplied together, in one plan: Django orders them by their dependencies.
OUR_APPS = [
    "home",
    "actionplan",
    "projects",
    "library",
    "benchmark",
    "news",
    "events",
    "workpackages",
    "partners",
    "baltmet",
]
KEPT = ("baltmet", "0001_user")

DOWN_AND_UP = """
import json
import django

django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

apps = json.loads(APPS)
kept = tuple(json.loads(KEPT))


def state():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'baltmet_search'")
        search_configuration = cursor.fetchone()[0] == 1
    executor = MigrationExecutor(connection)
    return {
        "tables": {app: sorted(t for t in tables if t.startswith(app + "_")) for app in apps},
        "applied": sorted(
            "{}.{}".format(*key) for key in executor.loader.applied_migrations if key[0] in apps
        ),
        "pending": len(executor.migration_plan(executor.loader.graph.leaf_nodes())),
        "search_configuration": search_configuration,
    }


executor = MigrationExecutor(connection)
executor.migrate([(app, None) for app in apps if app != kept[0]] + [kept])
down = state()

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
up = state()
print(json.dumps({"down": down, "up": up}))
"""


@pytest.fixture
def throwaway_database(django_db_blocker):
    """A copy of the migrated test database, dropped afterwards."""
    settings = dict(connection.settings_dict)
    name = f"{settings['NAME']}_migrations_{uuid.uuid4().hex[:8]}"
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with django_db_blocker.unblock():
        # A template database must have no other connection.
        connections.close_all()
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
    try:
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        yield f"postgres://{settings['USER']}{password}@{settings['HOST']}{port}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Marked to have the test database set up; transaction=True so no transaction holds a
# connection to it while it is copied.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_our_migrations_unapply_and_apply_again(throwaway_database):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="baltmet.settings.test", DATABASE_URL=throwaway_database)
    script = f"APPS = {json.dumps(json.dumps(OUR_APPS))}\nKEPT = {json.dumps(json.dumps(KEPT))}\n"

    result = subprocess.run(
        [sys.executable, "-c", script + DOWN_AND_UP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    down, up = report["down"], report["up"]

    # Down: nothing of ours is left but the user model.
    assert down["applied"] == ["baltmet.0001_user"]
    assert {app: tables for app, tables in down["tables"].items() if tables} == {
        "baltmet": ["baltmet_user", "baltmet_user_groups", "baltmet_user_user_permissions"]
    }
    assert not down["search_configuration"]

    # Up again: every migration applied, every table back.
    assert up["pending"] == 0
    for app in OUR_APPS:
        assert up["tables"][app], f"{app} has no tables after migrating up again"
    assert "home.0002_search_configuration" in up["applied"]
    assert up["search_configuration"]
