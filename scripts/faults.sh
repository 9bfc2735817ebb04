#!/usr/bin/env bash
# The fault suite (tests/faults/, marker `faults`): kills Celery workers, stops Redis,
# restarts Postgres, then checks nothing was lost, doubled or half-written.
#
# It never touches the shared services: it starts its own Postgres (port 55432) and
# Redis (port 56379, append-only file on, as a broker Redis must run in production)
# in a temp dir, and stops exactly those on exit. FAULTS_SHORT=1 runs the short
# version (fewer rounds, a few minutes) that CI can afford.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT="${FAULTS_PG_PORT:-55432}"
REDIS_PORT="${FAULTS_REDIS_PORT:-56379}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
WORK="$(mktemp -d /tmp/rb-faults.XXXXXX)"
chmod 755 "$WORK"
PGDATA="$WORK/pg"
as_postgres() { runuser -u postgres -- "$@"; }

cleanup() {
  trap - EXIT INT TERM
  [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" stop -m immediate >/dev/null 2>&1 || true
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
  if [ "${FAULTS_KEEP:-}" = 1 ]; then echo "kept $WORK (logs)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

echo "Fault suite: private Postgres :$PG_PORT and Redis :$REDIS_PORT in $WORK"
mkdir -p "$PGDATA" && touch "$WORK/pg.log" && chown postgres "$PGDATA" "$WORK/pg.log"
as_postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
# In the config file, not on the command line, so every restart by the suite binds the
# private port again (never the shared 5432). fsync off: a process crash (what we
# cause) loses nothing; only an OS crash would.
cat >>"$PGDATA/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGDATA'
fsync = off
max_connections = 200
CONF
as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w start >/dev/null

cat >"$WORK/redis.conf" <<CONF
port $REDIS_PORT
bind 127.0.0.1
daemonize yes
pidfile $WORK/redis.pid
dir $WORK
logfile $WORK/redis.log
save ""
appendonly yes
appendfsync always
CONF
redis-server "$WORK/redis.conf"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" redbook
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/redbook"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}" DEBUG=1 SECRET_KEY="${SECRET_KEY:-test-only-secret-key}"
export FAULTS_WORK="$WORK" FAULTS_PG_BIN="$PG_BIN" FAULTS_PGDATA="$PGDATA" FAULTS_PG_PORT="$PG_PORT"
export FAULTS_REDIS_CONF="$WORK/redis.conf" FAULTS_REDIS_PORT="$REDIS_PORT"
# A killed worker's task comes back after the broker's visibility timeout; the suite
# shortens it (production: 5 min) so a round does not wait minutes.
export CELERY_VISIBILITY_TIMEOUT="${CELERY_VISIBILITY_TIMEOUT:-20}"
.venv/bin/python manage.py migrate --noinput >/dev/null

.venv/bin/python -m pytest tests/faults -m faults \
  --timeout 900 -v -rP "$@"
