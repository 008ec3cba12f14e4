"""Production settings: secure by default, refusing to start without a real secret."""

from pathlib import Path

import pytest

from tests.helpers import STRONG_KEY, manage_in_production


@pytest.mark.parametrize(
    "secret",
    [None, "", "short", "django-insecure-" + "x" * 60, "a" * 60],
    ids=["unset", "empty", "short", "django default", "repetitive"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    overrides = {} if secret is None else {"SECRET_KEY": secret}

    result = manage_in_production("check", **overrides)

    assert result.returncode != 0
    assert "Set SECRET_KEY to a random string" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage_in_production(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_KEY
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_with_hashed_compressed_names(tmp_path):
    result = manage_in_production(
        "collectstatic",
        "--noinput",
        SECRET_KEY=STRONG_KEY,
        STATIC_ROOT=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    hashed = list(tmp_path.glob("css/site.*.css"))
    assert hashed, "the stylesheet has no hashed copy"
    assert Path(f"{hashed[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
