"""Production settings: secure by default, refusing to start without a real secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"


def manage(*args, env_overrides=None, tmp_path=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="baltmet.settings.production", ALLOWED_HOSTS="example.org")
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret",
    [None, "", "short", "django-insecure-" + "x" * 60, "a" * 60],
    ids=["unset", "empty", "short", "django default", "repetitive"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    overrides = {} if secret is None else {"SECRET_KEY": secret}

    result = manage("check", env_overrides=overrides)

    assert result.returncode != 0
    assert "Set SECRET_KEY to a random string" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides={"SECRET_KEY": STRONG_KEY}
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_with_hashed_compressed_names(tmp_path):
    result = manage(
        "collectstatic",
        "--noinput",
        env_overrides={"SECRET_KEY": STRONG_KEY, "STATIC_ROOT": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr
    hashed = list(tmp_path.glob("css/site.*.css"))
    assert hashed, "the stylesheet has no hashed copy"
    assert Path(f"{hashed[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
