#!/usr/bin/env bash
# `make load`: gunicorn on 127.0.0.1:8110 with a Celery worker and beat, its own
# database (rb_load on the local Postgres) and Redis db 10, seeded with a small demo
# world; virtual users browse and buy for LOAD_DURATION seconds (default 600), then
# the queue drains and the consistency checks run. Exits nonzero on an error rate of
# 0.1% or more or on any inconsistency.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${LOAD_PORT:-8110}"
DURATION="${LOAD_DURATION:-600}"
WORK="$(mktemp -d /tmp/rb-load.XXXXXX)"
export DATABASE_URL="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rb_load}"
export REDIS_URL="${LOAD_REDIS_URL:-redis://127.0.0.1:6379/10}"
export DEBUG=0 SECRET_KEY="${SECRET_KEY:-load-test-only-secret-key}" SECURE_SSL_REDIRECT=0
export ALLOWED_HOSTS="127.0.0.1,localhost" LOG_LEVEL="${LOG_LEVEL:-WARNING}"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "logs: $WORK"
}
trap cleanup EXIT INT TERM

echo "Load test: $DATABASE_URL, $REDIS_URL, gunicorn on :$PORT, ${DURATION}s"
$PY - <<'PY'
import os, psycopg, redis
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(os.environ["DATABASE_URL"].replace(f"/{name}", "/postgres"), autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # only this test's db number
PY
$PY manage.py migrate --noinput >/dev/null
$PY manage.py seed_demo --users "${LOAD_SEED_USERS:-300}" --notes "${LOAD_SEED_NOTES:-3000}" --no-progress
$PY manage.py check_consistency --save-baseline "$WORK/baseline.json"

# As scripts/run.sh runs them: the short tasks, and the Explore ranking on a niced worker of its own.
.venv/bin/celery -A redbook worker -Q celery -n default@%h --concurrency 2 --loglevel WARNING \
  >"$WORK/worker.log" 2>&1 & pids+=($!)
nice -n 19 .venv/bin/celery -A redbook worker -Q ranking -n ranking@%h --concurrency 1 --loglevel WARNING \
  >"$WORK/ranking-worker.log" 2>&1 & pids+=($!)
.venv/bin/celery -A redbook beat --schedule "$WORK/beat-schedule" --loglevel WARNING >"$WORK/beat.log" 2>&1 & pids+=($!)
.venv/bin/gunicorn redbook.wsgi --bind "127.0.0.1:$PORT" --workers 3 --threads 4 --timeout 60 \
  --no-control-socket >"$WORK/gunicorn.log" 2>&1 & pids+=($!)
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done

status=0
started="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
$PY manage.py load_run --base-url "http://127.0.0.1:$PORT" --duration "$DURATION" \
  --users "${LOAD_USERS:-12}" --max-requests "${LOAD_MAX_REQUESTS:-500000}" || status=1

echo "Waiting for the task queue to drain..."
$PY - <<'PY'
import os, time, redis
client = redis.Redis.from_url(os.environ["REDIS_URL"])
deadline = time.monotonic() + 300
while (client.llen("celery") or client.llen("ranking") or client.hlen("unacked")) and time.monotonic() < deadline:
    time.sleep(2)
PY
$PY manage.py check_consistency --baseline "$WORK/baseline.json" --views \
  --notifications-since "$started" || status=1
exit $status
