# Sourced by the run/test scripts: point at the local Postgres and Redis when they answer.
postgres_answers() { "${PYTHON:-.venv/bin/python}" - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
PY
}
redis_answers() { "${PYTHON:-.venv/bin/python}" - <<'PY' 2>/dev/null
import redis
redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
PY
}
# Create a database on the local Postgres if it is missing (its test copy is made by pytest).
ensure_database() { "${PYTHON:-.venv/bin/python}" - "$1" <<'PY'
import sys

import psycopg
from psycopg import sql

with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],)).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(sys.argv[1])))
PY
}
