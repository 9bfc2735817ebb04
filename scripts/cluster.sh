#!/usr/bin/env bash
# `make cluster`: two web nodes, two Celery workers and beat behind nginx, with a Postgres
# primary + streaming replica, Redis and (when installed) moto as the S3-compatible store,
# all on free ports of 127.0.0.1 in a work folder of their own (tests/cluster/stack.py).
# Prints the URLs; Ctrl-C stops everything. CLUSTER_SEED=0 skips the demo world.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is needed: apt-get install nginx" >&2; exit 1; }
seed=(--seed)
[ "${CLUSTER_SEED:-1}" = 0 ] && seed=()
exec .venv/bin/python -m tests.cluster.stack "${seed[@]}" "$@"
