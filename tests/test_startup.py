"""What each server process prepares before its first request (baltmet/ops/startup.py)."""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from baltmet.ops import startup

ROOT = Path(__file__).resolve().parent.parent


def test_the_site_templates_are_every_template_of_the_project():
    names = startup.site_template_names()

    assert "base.html" in names
    assert "pages/news_index_page.html" in names
    assert "components/blocks/figure.html" in names
    assert len(names) == len(list((ROOT / "templates").rglob("*.html")))


def test_a_prepared_process_reads_no_template_again(monkeypatch):
    engine = engines["django"].engine
    try:
        startup.prepare_process()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    read = []
    for loader in engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            original = inner.get_contents

            def recording(origin, original=original):
                read.append(origin.template_name)
                return original(origin)

            monkeypatch.setattr(inner, "get_contents", recording)

    for name in startup.site_template_names():
        engine.get_template(name)

    assert read == []


def test_the_wsgi_application_starts_prepared():
    """Imported as gunicorn imports it, in a process of its own: the templates compiled and
    what starting made set apart from the garbage collector."""
    probe = (
        "import gc, json\n"
        "import baltmet.wsgi\n"
        "from django.template import engines\n"
        "(loader,) = engines['django'].engine.template_loaders\n"
        "print(json.dumps({'frozen': gc.get_freeze_count(),\n"
        "                  'templates': sorted(loader.get_template_cache)}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baltmet.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    answer = json.loads(output.stdout.strip().splitlines()[-1])

    assert answer["frozen"] > 10_000
    assert set(startup.site_template_names()) <= set(answer["templates"])
