#!/usr/bin/env bash
# make bench: seeds a world at BENCH_SCALE (S: 2k users / 20k notes, default; L: 100k / 1M)
# in its own database, serves it with gunicorn on 127.0.0.1:8107 and measures each
# endpoint with wrk. Writes bench-results/bench-<scale>.md. Needs the local Postgres and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = "0" ]; then apt-get install -y wrk >/dev/null; else
    echo "bench: wrk is missing: sudo apt-get install -y wrk" >&2; exit 1
  fi
fi

export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/redbook_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/7}"
export MEDIA_ROOT="${BENCH_MEDIA_ROOT:-$PWD/var/bench-media}"  # the image pool is reused between runs
export DEBUG=0 SECRET_KEY=bench SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

# BENCH_REUSE=1 measures an already seeded bench database again (no reseed: L takes a while),
# BENCH_RANKED=1 with it skips reindex_search and rank_explore (run on it before);
# BENCH_ENDPOINTS_ONLY=1 writes the endpoint table only (no video, messaging or ranking runs).
exec .venv/bin/python -m tests.bench.run --scale "${BENCH_SCALE:-S}" \
  --seconds "${BENCH_SECONDS:-20}" --port "${BENCH_PORT:-8107}" ${BENCH_REUSE:+--reuse} \
  ${BENCH_RANKED:+--ranked} ${BENCH_ENDPOINTS_ONLY:+--endpoints-only}
