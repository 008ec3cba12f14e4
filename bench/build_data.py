"""Build the benchmark data set into the database of the current settings (bench/data.py).

    python bench/build_data.py [--scale full|small] [--quiet] [--any-database]

It writes 13,000 generated pages: it refuses a database whose name does not start with
"baltmet_bench" (a slip of DATABASE_URL must not fill a real portal) unless --any-database.
Exits with 3 when the database holds another data set (bench/run.py then rebuilds it).
"""

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings.production")

import django
from django.apps import apps
from django.db import connection

if not apps.ready:  # run as a script; the tests import it with Django set up
    django.setup()

from bench.data import (
    GENERATOR_VERSION,
    SCALES,
    BenchDataExists,
    build_bench_data,
)

OTHER_DATA_SET = 3
NOT_A_BENCH_DATABASE = 2
BENCH_DATABASE_PREFIX = "baltmet_bench"


def progress(label: str, done: int, total: int) -> None:
    # One line per step, rewritten in place; only when the percentage moves.
    if 100 * done // total != 100 * (done - 1) // total:
        end = "\n" if done >= total else ""
        line = f"\r  {label:<14} {done:>6}/{total:<6} {100 * done // max(total, 1):>3}%"
        print(line, end=end, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--quiet", action="store_true", help="print only the outcome")
    parser.add_argument(
        "--any-database",
        action="store_true",
        help=f"build into a database whose name does not start with {BENCH_DATABASE_PREFIX}",
    )
    arguments = parser.parse_args()
    database = connection.settings_dict["NAME"]
    if not arguments.any_database and not str(database).startswith(BENCH_DATABASE_PREFIX):
        print(
            f"Refusing to build the benchmark data set into {database!r}: its name does not "
            f"start with {BENCH_DATABASE_PREFIX!r} (use --any-database if you mean it).",
            file=sys.stderr,
        )
        return NOT_A_BENCH_DATABASE
    sizes = ", ".join(f"{n} {name}" for name, n in asdict(SCALES[arguments.scale]).items())
    print(f"Benchmark data set v{GENERATOR_VERSION} ({arguments.scale}: {sizes})")
    try:
        result = build_bench_data(
            arguments.scale,
            None if arguments.quiet else progress,
            (lambda line: None) if arguments.quiet else print,
        )
    except BenchDataExists as error:
        print(error, file=sys.stderr)
        return OTHER_DATA_SET
    if result["reused"]:
        print("The database already holds this data set: reusing it.")
    else:
        print(f"Built in {result['seconds']} s: {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
