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
