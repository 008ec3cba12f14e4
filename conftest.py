"""The fixtures every test package shares (tests/fixtures.py): tests live beside the apps they
test (`<app>/tests/`), and site-wide ones in `tests/`."""

pytest_plugins = ["tests.fixtures"]
