#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a PostgreSQL server, found in this order:
#   1. DATABASE_URL, if it is set;
#   2. a server answering on 127.0.0.1:5432 (user postgres, trust authentication);
#   3. a throw-away cluster made from the local PostgreSQL binaries in a temporary folder,
#      removed when the command ends;
#   4. otherwise stop, saying how to install PostgreSQL.
# BALTMET_PG=temp skips step 2 (to try step 3 on a machine that runs a server).
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

if [ "${BALTMET_PG:-}" != "temp" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  echo "Tests use the PostgreSQL server on 127.0.0.1:5432."
  exec "$@"
fi

bindir=""
if command -v initdb >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
else
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  cat >&2 <<'MSG'
The tests need PostgreSQL, and none was found:
  - DATABASE_URL is not set,
  - no server answers on 127.0.0.1:5432,
  - no PostgreSQL binaries (initdb) are installed.
Install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql) and run `make test` again,
or set DATABASE_URL=postgres://USER@HOST:PORT/DBNAME to use a server of yours.
MSG
  exit 3
fi

tmp=$(mktemp -d /tmp/baltmet-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root; run the cluster as the postgres (or nobody) user then.
as=()
if [ "$(id -u)" = 0 ]; then
  owner=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  chown "$owner" "$tmp"
  as=(runuser -u "$owner" --)
fi
cleanup() {
  "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "Starting a throw-away PostgreSQL cluster ($bindir) on 127.0.0.1:$port in $tmp"
"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 3; }
"${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c full_page_writes=off" start \
  >/dev/null || { cat "$tmp/server.log" >&2; exit 3; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
