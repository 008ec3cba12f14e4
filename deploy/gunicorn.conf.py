"""gunicorn settings for the portal's app server: `gunicorn -c deploy/gunicorn.conf.py`.

The address, workers, threads and timeouts can be changed from the environment (GUNICORN_*,
e.g. in /etc/baltmet/env, read by deploy/systemd/baltmet.service).

- Threads (gthread): a worker whose thread waits for PostgreSQL or Redis still answers on
  its other threads, so /healthz and pages from the cache keep coming while a backend hangs.
- `timeout` is the heartbeat after which the master replaces a stuck worker. Requests do
  not get near it: waits for PostgreSQL end after DATABASE_DEADLINE_SECONDS (2.5 s) and
  for Redis after REDIS_TIMEOUT (0.05 s) (baltmet/ops/deadlines.py, settings/base.py).
- PostgreSQL's own limits, for this server's connections only (not for commands such as
  migrate): a statement ends after 2 s, an idle transaction after 10 s.
- The access log is Django's own (baltmet/ops/middleware.py: request ID, no tokens).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes per core, each with four threads; memory grows with workers, not threads.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 20))
keepalive = 5
# A worker is replaced after this many requests (with jitter), to bound slow growth.
max_requests = 5000
max_requests_jitter = 500
# The proxy in front (nginx) sets X-Forwarded-Proto; trust it from loopback only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
raw_env = [
    f"DB_STATEMENT_TIMEOUT={os.environ.get('DB_STATEMENT_TIMEOUT', '2s')}",
    f"DB_IDLE_IN_TRANSACTION_TIMEOUT={os.environ.get('DB_IDLE_IN_TRANSACTION_TIMEOUT', '10s')}",
]
