"""The interface's translations (locale/): every string of the templates and code is in
each language's catalogue, translated, and compiled into the committed .mo files."""

import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

from tests.helpers import ROOT

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages reads (the Makefile's `catalogues` target ignores the rest).
SOURCES = ["manage.py", "Makefile", "baltmet", "partners", "workpackages", "news", "events"]
SOURCES += ["templates", "locale"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+")


def catalogue(code: str, root=ROOT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / code / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_catalogue_is_complete_and_compiled(code):
    po = catalogue(code)
    assert len(po) > 200
    assert po.untranslated_entries() == [], "untranslated"
    assert po.fuzzy_entries() == [], "fuzzy"
    assert po.obsolete_entries() == [], "obsolete"
    for entry in po:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(entry.msgid)), entry.msgid
            if not entry.msgid_plural:
                assert sorted(PLACEHOLDER.findall(text)) == sorted(
                    PLACEHOLDER.findall(entry.msgid)
                ), entry.msgid
    # The committed .mo file holds exactly the catalogue's translations.
    mo = polib.mofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.mo"))
    compiled = {
        key(entry): (entry.msgstr, dict(entry.msgstr_plural)) for entry in mo if entry.msgid
    }
    written = {
        key(entry): (entry.msgstr, {int(n): s for n, s in entry.msgstr_plural.items()})
        for entry in po
    }
    compiled = {k: (s, {int(n): t for n, t in p.items()}) for k, (s, p) in compiled.items()}
    assert compiled == written


def test_makemessages_finds_nothing_new_and_compilemessages_is_clean(tmp_path):
    """`make catalogues` in a copy of the sources: the same strings as the committed
    catalogues, and compiled without an error."""
    if shutil.which("msgfmt") is None:
        pytest.fail("gettext is missing: sudo apt-get install gettext (see README)")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, tmp_path / name)
    result = subprocess.run(
        ["make", "-s", "catalogues", f"PY={sys.executable}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for code in LANGUAGES:
        fresh = {key(entry) for entry in catalogue(code, tmp_path)}
        committed = {key(entry) for entry in catalogue(code)}
        assert fresh - committed == set(), f"{code}: new strings, run `make messages`"
        assert committed - fresh == set(), f"{code}: strings no longer used"
