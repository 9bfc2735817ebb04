#!/usr/bin/env bash
# Runs the whole suite: on the local Postgres and Redis when they answer (CI requires
# them), otherwise on SQLite and the file-system broker, saying loudly what it skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

if [ -z "${DATABASE_URL:-}" ]; then
  if postgres_answers; then
    ensure_database redbook
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/redbook"
  elif [ "${CI:-}" = "true" ]; then
    echo "CI: Postgres at 127.0.0.1:5432 does not answer; refusing to test on SQLite." >&2; exit 1
  else
    echo "!!! Postgres not reachable: testing on SQLite; Postgres-only tests will be SKIPPED. !!!" >&2
  fi
fi
if [ -z "${REDIS_URL:-}" ]; then
  if redis_answers; then
    export REDIS_URL="redis://127.0.0.1:6379/15"
  elif [ "${CI:-}" = "true" ]; then
    echo "CI: Redis at 127.0.0.1:6379 does not answer; refusing to test without it." >&2; exit 1
  else
    echo "!!! Redis not reachable: testing on the file-system broker; Redis-only tests will be SKIPPED. !!!" >&2
  fi
fi
mkdir -p var/staticfiles  # whitenoise warns on every request when STATIC_ROOT is missing
export DEBUG=1 SECRET_KEY="${SECRET_KEY:-test-only-secret-key}"
# As the web runs (gunicorn.conf.py): server-side parameters and prepared statements.
export DB_PREPARE_THRESHOLD="${DB_PREPARE_THRESHOLD-5}"
echo "Testing on: ${DATABASE_URL:-sqlite (embedded)} / ${REDIS_URL:-no redis (embedded)}"

.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Models changed without a migration: run makemigrations." >&2; exit 1; }
# The fault suite (tests/faults) kills processes and restarts databases of its own:
# it runs under `make test-faults`, not here.
.venv/bin/python -m pytest --ignore=tests/faults "$@"
