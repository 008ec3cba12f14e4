"""Profile one URL rendered uncached, in-process, against the benchmark database.

A one-off tool, not part of `make bench`. It uses pyinstrument when it can be imported (it is
not a dependency of the project: install it outside the virtualenv, e.g.
`.venv/bin/pip install --target /tmp/prof-lib pyinstrument` and run with
PYTHONPATH=/tmp/prof-lib), else the standard library's cProfile:

    DJANGO_SETTINGS_MODULE=baltmet.settings.production SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 \
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/baltmet_bench PAGE_CACHE=false \
      STATIC_ROOT=var/bench/static MEDIA_ROOT=var/bench/media \
      .venv/bin/python bench/profile_page.py /news/ [repeats]
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings.production")

import django

django.setup()

from django.test import Client  # noqa: E402


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "/news/"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    status = client.get(url).status_code  # caches filled, templates loaded
    started = time.perf_counter()
    for _ in range(repeats):
        client.get(url)
    per_request = (time.perf_counter() - started) / repeats * 1000
    print(f"{url}: HTTP {status}, {per_request:.1f} ms per request unprofiled ({repeats} runs)")
    try:
        from pyinstrument import Profiler
    except ImportError:
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(url) for _ in range(repeats)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeats):
            client.get(url)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
