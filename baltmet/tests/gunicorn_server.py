"""gunicorn run for a test with the production settings, as a server would run it."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import STRONG_KEY

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

# The production settings, but with plain static file names: the tests collect no static files.
SETTINGS_MODULE = """
from baltmet.settings.production import *  # noqa: F403

STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
# The variables of this environment left out: the served portal gets its own.
NOT_PASSED = ("DJANGO_", "DATABASE_", "LOG_", "REDIS_", "GUNICORN_")


def production_environment(folder: Path, **variables: str) -> dict[str, str]:
    """The environment of a portal served with the production settings (a settings module
    written in `folder`), on 127.0.0.1 over plain HTTP, with `variables` added."""
    (folder / "served_settings.py").write_text(SETTINGS_MODULE)
    env = {key: value for key, value in os.environ.items() if not key.startswith(NOT_PASSED)}
    env.update(
        DJANGO_SETTINGS_MODULE="served_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]),
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        **variables,
    )
    return env


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def gunicorn(arguments: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """gunicorn with `arguments` (the application and its options) listening on `port`;
    yields its address once /healthz answers, and stops it after the block."""
    server = subprocess.Popen(
        [GUNICORN, *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not answers(base + "/healthz"):
            assert server.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
