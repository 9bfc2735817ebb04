#!/usr/bin/env bash
# Serves RedBook on http://127.0.0.1:8000 (PORT=8001 for another port) with its Celery workers and beat.
# Embedded default (no DATABASE_URL/REDIS_URL): SQLite + a file-system broker, one worker.
# With them set: Postgres + Redis, served by gunicorn, and a second, niced worker for the
# Explore ranking. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PORT="${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var/broker var/broker-processed var/media

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping RedBook..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

echo "Database: ${DATABASE_URL:-sqlite (var/db.sqlite3)}  Broker: ${REDIS_URL:-file system (var/broker)}"
$PY manage.py migrate --noinput
# Media in an object store: its bucket exists and lets anyone read the public renditions (README).
if [ -n "${MEDIA_STORAGE_URL:-}${AWS_STORAGE_BUCKET_NAME:-}" ]; then $PY manage.py media_bucket; fi
$PY manage.py seed_demo --if-empty --users 200 --notes 1500
[ "$DEBUG" = "1" ] || $PY manage.py collectstatic --noinput >/dev/null

if [ -n "${REDIS_URL:-}" ]; then
  # Short tasks (notifications, one user's Explore refresh) at normal priority; the full
  # Explore ranking (queue "ranking") on a worker of its own at the lowest CPU priority,
  # so a run yields the cores to the web and the short tasks (redbook/settings.py).
  .venv/bin/celery -A redbook worker -Q celery -n default@%h --loglevel=INFO --concurrency=2 & pids+=($!)
  # Video transcoding (queue "media") shares that niced worker: it never slows the web.
  nice -n 19 .venv/bin/celery -A redbook worker -Q ranking,media -n ranking@%h --loglevel=INFO --concurrency=1 & pids+=($!)
else
  .venv/bin/celery -A redbook worker --loglevel=INFO --concurrency=2 & pids+=($!)  # every queue
fi
.venv/bin/celery -A redbook beat --loglevel=INFO & pids+=($!)
if [ -n "${DATABASE_URL:-}" ]; then
  # WebSockets (/ws/, messaging/): daphne on WS_PORT next to gunicorn, as in production
  # (README "Deployment"); pages learn its address with each socket ticket.
  WS_PORT="${WS_PORT:-$((PORT + 1))}"
  export REALTIME_WS_URL="${REALTIME_WS_URL:-ws://127.0.0.1:$WS_PORT/ws/}"
  .venv/bin/daphne -b 127.0.0.1 -p "$WS_PORT" redbook.asgi:application & pids+=($!)
  GUNICORN_BIND="${GUNICORN_BIND:-127.0.0.1:$PORT}" .venv/bin/gunicorn redbook.wsgi & pids+=($!)
else
  # One ASGI server for pages and /ws/ (static files through whitenoise's finders in DEBUG).
  .venv/bin/daphne -b 127.0.0.1 -p "$PORT" redbook.asgi:application & pids+=($!)
fi
# The demo partner shop (partners/): static pages on a second origin showing RedBook's widget.
PARTNER_PORT="${PARTNER_PORT:-8010}"
if $PY manage.py partner_demo_shop --port "$PARTNER_PORT" --redbook "http://127.0.0.1:$PORT" --out var/partner-shop; then
  $PY -m http.server "$PARTNER_PORT" --bind 127.0.0.1 --directory var/partner-shop >/dev/null 2>&1 & pids+=($!)
  echo "Demo partner shop (the RedBook widget on another site): http://127.0.0.1:$PARTNER_PORT/"
fi
# Once the server answers: where it is, the demo logins and how to create the admin.
$PY manage.py welcome --url "http://127.0.0.1:$PORT" || true
wait -n "${pids[@]}"
