"""gunicorn settings, read automatically when gunicorn starts in the project folder."""

import multiprocessing
import os

# Web requests run a fixed set of small statements: Postgres prepares them once per
# connection (redbook/settings.py, DB_PREPARE_THRESHOLD; set it empty behind a
# transaction-mode PgBouncer).
os.environ.setdefault("DB_PREPARE_THRESHOLD", "5")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Long search queries must reach Django, which answers with a JSON 400, rather than
# being cut by gunicorn's default 4 KiB request-line limit with a bare 414.
limit_request_line = 16384
timeout = 30
graceful_timeout = 20
accesslog = "-"
# Forwarding headers are Django's business alone (redbook/client_ip.py, TRUSTED_PROXIES):
# gunicorn must not turn X-Forwarded-Proto (or -Protocol, -Ssl) into an https scheme by
# itself, as it does by default for any request from 127.0.0.1, nor believe any other
# forwarded value (SCRIPT_NAME, PATH_INFO) from anyone.
secure_scheme_headers = {}
forwarded_allow_ips = ""
