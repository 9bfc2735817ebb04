"""RedBook settings: one module, configured from the environment.

With no DATABASE_URL / REDIS_URL the app runs on embedded defaults (SQLite, a
file-system Celery broker, a file cache) so that `make run` works with Python alone.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from redbook.media_settings import media_storages, public_media_origin

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # embedded-mode state: sqlite file, broker folders, cache

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Production must set SECRET_KEY: without DEBUG a missing key fails loudly at startup.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production") if DEBUG else env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.admin_config.RedBookAdminConfig",  # django.contrib.admin, with RedBook's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "notifications",
    "posts",
    "shop",
    "feeds",
    "outbox",
    "search",
    "reliability",
    "demo",
    "moderation",
    "partners",
    "analytics",
]

MIDDLEWARE = [
    # First: forwarding headers from anyone but a trusted proxy are dropped before
    # SecurityMiddleware reads X-Forwarded-Proto (redbook/client_ip.py).
    "redbook.client_ip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "redbook.middleware.RejectNulBytesMiddleware",  # NUL in path or query: 400, not a DataError 500
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    "redbook.middleware.SecurityHeadersMiddleware",  # Permissions-Policy, locked-down /media/
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "feeds.middleware.LastActiveMiddleware",  # User.last_active_at, at most once per few minutes
    "redbook.exceptions.ApiErrorMiddleware",  # JSON for any error under /api/; a DataError is a 400
    # Last, so its process_exception sees a view's database error first: 503, not 500.
    "redbook.db_errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "redbook.urls"
WSGI_APPLICATION = "redbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
            ],
            # `money` and `when` in every template: one money and one date format (redbook/formats.py).
            "builtins": ["redbook.template_filters"],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's native psycopg 3 pool. CONN_HEALTH_CHECKS makes Django give the pool
    # its `check` (a ping before handing a connection out), so the app recovers by
    # itself after Postgres restarts. (Passing "check" in the pool options instead
    # is a TypeError in Django 5.2: it sets that argument itself.)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=2),
        "max_size": env.int("DB_POOL_MAX", default=20),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10),
    }
    # With DB_PREPARE_THRESHOLD=N: server-side parameters, and a statement run N times on a
    # connection is prepared, so Postgres plans it once per connection instead of at every
    # execution (planning a feed's filter query cost more than running it). gunicorn.conf.py
    # turns it on for the web, whose requests run a fixed set of small statements; batch
    # work (Celery, manage.py) keeps Django's client-side binding, as a server-side
    # statement takes at most 65,535 parameters (a ranking run's `id IN (...)` has more).
    # Leave it empty behind a transaction-mode PgBouncer, which cannot keep prepared statements.
    if _threshold := env("DB_PREPARE_THRESHOLD", default=""):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=int(_threshold))
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # sqlite lock wait
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Read replicas (redbook/replicas.py): aliases replica1, replica2, ... of streaming
# replicas of DATABASE_URL. Reads of GET requests go to a healthy one; writes, reads in a
# transaction and a writer's next REPLICA_STICKY_SECONDS of reads go to the primary; a
# replica more than REPLICA_MAX_LAG_SECONDS behind (measured every
# REPLICA_LAG_CHECK_SECONDS per process) is skipped. /readyz reports each one's lag.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
REPLICA_STICKY_SECONDS = env.float("REPLICA_STICKY_SECONDS", default=5.0)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=10.0)
REPLICA_LAG_CHECK_SECONDS = env.float("REPLICA_LAG_CHECK_SECONDS", default=2.0)
# A replica that did not answer is skipped this long before it is tried again.
REPLICA_DOWN_RECHECK_SECONDS = env.float("REPLICA_DOWN_RECHECK_SECONDS", default=30.0)
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = env.db_url_config(_url)
    _replica["CONN_HEALTH_CHECKS"] = DATABASES["default"].get("CONN_HEALTH_CHECKS", False)
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast: a replica that is down must cost a request about a second, not the
        # primary's 10 s pool wait (its reads then go to the primary). libpq's minimum
        # connect_timeout is 2 s; the pool's 1 s wait bounds a request's wait anyway.
        _replica["OPTIONS"].setdefault("connect_timeout", 2)
        if isinstance(_replica["OPTIONS"].get("pool"), dict):
            _replica["OPTIONS"]["pool"] = {**_replica["OPTIONS"]["pool"], "timeout": 1.0}
    _replica["TEST"] = {"MIRROR": "default"}  # a test database has no replica of its own
    DATABASES[f"replica{_number}"] = _replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["redbook.replicas.ReplicaRouter"]
    # Before the sessions: from there on, every query of a request is routed knowing it.
    _sessions = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    MIDDLEWARE.insert(_sessions, "redbook.replicas.ReplicaRoutingMiddleware")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Redis, cache, Celery -------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Redis roles (README "Redis roles"): each may live on a Redis of its own; all default to
# REDIS_URL. REDIS_URL itself keeps the shared state: rate limits, view and search buffers.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)  # the Django cache
RANKING_REDIS_URL = env("RANKING_REDIS_URL", default=REDIS_URL)  # Explore lists and the ranking lock
if CACHE_URL:
    # Fails open (redbook/cache.py): with Redis down a read is a miss, not a 500.
    # Short socket timeouts so a hung Redis costs a request one second, not forever.
    CACHES = {
        "default": {
            "BACKEND": "redbook.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)  # redis://, or sentinel:// (README)
if CELERY_BROKER_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message taken by a worker that died (kill -9 of the main process) goes back
        # to the queue after this long. Longer than any countdown we use (retries cap
        # at 2 min, redbook/celery.py) and than a task should run; short enough that
        # a lost worker's task is redone within minutes, not hours.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=5 * 60),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        # A publish on a dead connection fails fast (and is parked by the outbox).
        "socket_timeout": 5,
        "socket_connect_timeout": 2,
    }
    if CELERY_BROKER_URL.startswith("sentinel://"):
        # Broker failover through Redis Sentinel: `sentinel://host1:26379;sentinel://host2:26379`
        # and the name of the monitored master (README "Redis roles").
        CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = env("CELERY_BROKER_SENTINEL_MASTER", default="redbook")
    else:
        # kombu's Redis transport, fixed so a worker survives Redis restarting (redbook/broker.py).
        CELERY_BROKER_TRANSPORT = "redbook.broker:Transport"
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "broker-control"),  # queue bindings; kombu's default is ./control
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker keeps reconnecting to a broker that is away, however long, instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# On broker connection loss, cancel running acks_late tasks: their messages go back to
# the queue and run again (tasks are idempotent) rather than finishing unacknowledged.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Queues: "celery" for the short tasks (notifications, one user's Explore refresh after a
# like, sweeps), "ranking" for the full Explore ranking, the one task that holds a core
# for long (every active user at once). With Redis, scripts/run.sh serves "ranking" with
# a worker of its own at the lowest CPU priority, so a run holds up neither the web nor
# the short tasks. A worker started without -Q consumes every queue listed here (the
# embedded mode, the tests' worker).
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Each with its own routing key: without one, Celery binds a queue with the default key
# ("celery"), and a message sent to that key would land in both.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ("celery", "ranking", "media")]
CELERY_TASK_ROUTES = {
    "feeds.rank_active_users": {"queue": "ranking"},
    "feeds.rank_batch": {"queue": "ranking"},  # a full run's batches (feeds/runs.py)
    # Video transcoding holds a core for up to a minute: the niced worker of scripts/run.sh.
    "posts.transcode_video": {"queue": "media"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One beat sends per deployment, whatever runs: a leader lock in Redis (redbook/beat.py).
CELERY_BEAT_SCHEDULER = "redbook.beat:LeaderScheduler"
# Each app adds its periodic tasks here.
CELERY_BEAT_SCHEDULE = {
    "outbox-resend": {"task": "outbox.resend_pending", "schedule": 60.0},
    "posts-flush-views": {"task": "posts.flush_views", "schedule": 30.0},
    # Explore lists of users active in the last week (feeds/tasks.py).
    "feeds-rank-explore": {"task": "feeds.rank_active_users", "schedule": env.float("EXPLORE_REFRESH_SECONDS", 900.0)},
    "canary": {"task": "redbook.canary", "schedule": 60.0},
    "notifications-catch-up": {"task": "reliability.notifications_catch_up", "schedule": 5 * 60.0},
    "shop-expire-unpaid-orders": {"task": "shop.expire_unpaid_orders", "schedule": 60.0},
    "shop-payments-sweep": {"task": "shop.payments_sweep", "schedule": 60.0},
    "shop-reconcile": {"task": "shop.reconcile", "schedule": 60.0 * 60},
    "shop-purge-guest-carts": {"task": "shop.purge_guest_carts", "schedule": 60.0 * 60 * 24},
    # Search: fold buffered query counts into the table; refresh young notes' ranking prior.
    "search-flush-query-counts": {"task": "search.flush_query_counts", "schedule": 60.0},
    "search-refresh-hot": {"task": "search.refresh_hot", "schedule": 60.0 * 15},
    "search-index-backlog-catch-up": {"task": "search.index_backlog_catch_up", "schedule": 5 * 60.0},
    # Stored media no row names (a crash between store and commit), older than a day.
    "media-orphans-sweep": {"task": "reliability.media_orphans_sweep", "schedule": 60.0 * 60 * 24},
    "partners-flush-days": {"task": "partners.flush_days", "schedule": 60.0},
    # Analytics: buffered events into rollups (dashboards lag at most a minute or two); pruning.
    "analytics-refresh-rollups": {"task": "analytics.refresh_rollups", "schedule": 60.0},
    "analytics-prune": {"task": "analytics.prune", "schedule": 60.0 * 60},
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Like ModelBackend, but suspended accounts cannot log in and their sessions end.
AUTHENTICATION_BACKENDS = ["accounts.authentication.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff's second factor (accounts/two_factor.py): the name authenticator apps show.
OTP_TOTP_ISSUER = "RedBook"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key

# Password-reset mail: printed to the console unless EMAIL_URL names a server
# (e.g. smtp+tls://user:password@mail.example.com:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RedBook <no-reply@redbook.example>")

# --- API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",  # refuses suspended accounts
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "redbook.parsers.JSONObjectParser",  # a JSON body that is not an object is a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "redbook.pagination.CursorPagination",
    "EXCEPTION_HANDLER": "redbook.exceptions.api_exception_handler",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_RATES": {
        "login": env("THROTTLE_LOGIN", default="5/15m"),  # per username + IP, reset on success
        "signup": env("THROTTLE_SIGNUP", default="1000/hour"),
        # Abuse limits (redbook/throttling.py): per user, or per IP when anonymous.
        "login_ip": env("THROTTLE_LOGIN_IP", default="1000/hour"),
        "post": env("THROTTLE_POST", default="120/hour"),
        "comment": env("THROTTLE_COMMENT", default="120/hour"),
        "follow": env("THROTTLE_FOLLOW", default="200/hour"),
        "report": env("THROTTLE_REPORT", default="60/hour"),
        "checkout": env("THROTTLE_CHECKOUT", default="60/hour"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", default="5/hour"),
    },
}
# JSON request bodies (redbook/parsers.py): larger is a 413, deeper a 400, both before parsing.
JSON_MAX_BYTES = env.int("JSON_MAX_BYTES", default=1024 * 1024)
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)
SPECTACULAR_SETTINGS = {
    "TITLE": "RedBook API",
    "DESCRIPTION": "Notes, feeds, search and shop of RedBook.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from vendored files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status`: name each enum, so `check --deploy` stays quiet.
    "ENUM_NAME_OVERRIDES": {
        "NoteStatusEnum": "posts.models.Note.Status",
        "OrderStatusEnum": "shop.models.Order.Status",
    },
}

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = env("STATIC_URL", default="static/")  # a CDN in front: https://cdn.example.com/static/
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private originals on the local disk (when no object store is configured): beside
# MEDIA_ROOT, never served as files; the app hands out signed, short-lived URLs.
ORIGINALS_ROOT = env("ORIGINALS_ROOT", default="")  # empty: MEDIA_ROOT/../originals
ORIGINAL_URL_SECONDS = env.int("ORIGINAL_URL_SECONDS", default=300)
# "default" (public renditions) and "originals" (private): local disk, or S3-compatible
# storage with MEDIA_STORAGE_URL / AWS_STORAGE_BUCKET_NAME (redbook/media_settings.py).
STORAGES = {
    **media_storages(env),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# --- Video notes (posts/videos.py) ----------------------------------------------------
# The original video goes to the private "originals" store above; renditions to "default".
VIDEO_MAX_BYTES = env.int("VIDEO_MAX_BYTES", default=500 * 1024 * 1024)
VIDEO_MAX_SECONDS = env.int("VIDEO_MAX_SECONDS", default=10 * 60)
# Where the worker transcodes (a local copy of the original and the renditions in progress).
VIDEO_WORK_DIR = env("VIDEO_WORK_DIR", default=None)
# Files above FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file (Django's own
# handlers); the first handler refuses, while it streams, a file over VIDEO_MAX_BYTES.
FILE_UPLOAD_HANDLERS = [
    "posts.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Decoding costs memory and CPU by pixels, not bytes (redbook/images.py): at most this
# many per image as stored (a 50 MP phone photo), per image as decoded (a JPEG decodes at
# a reduced scale; PNG, WebP and HEIC in full, 4 bytes a pixel), and decoded per request.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
IMAGE_MAX_DECODED_PIXELS = env.int("IMAGE_MAX_DECODED_PIXELS", default=25_000_000)
IMAGE_MAX_PIXELS_PER_REQUEST = env.int("IMAGE_MAX_PIXELS_PER_REQUEST", default=120_000_000)

# --- Security -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"


def ws_origin(url: str) -> str:
    """scheme://host[:port] of a socket URL (REALTIME_WS_URL), "" when there is none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}" if parts.scheme and parts.netloc else ""


# No inline script or style anywhere: JS in static/js, CSS in static/css. Swagger UI
# (/api/docs/) alone relaxes style-src, by decorator in redbook/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Plus the object store or CDN that serves public media, when there is one.
        "img-src": ["'self'", "data:", "blob:", *filter(None, [public_media_origin(STORAGES)])],
        "media-src": ["'self'", *filter(None, [public_media_origin(STORAGES)])],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Plus the socket's own origin when it is served apart (`make run`: daphne on PORT+1).
        "connect-src": ["'self'", *filter(None, [ws_origin(env("REALTIME_WS_URL", default=""))])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Proxies (addresses or CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed;
# from anyone else those headers are dropped (redbook/client_ip.py). Empty: no proxy.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    ip_network(_proxy.strip(), strict=False)  # a typo fails at startup, not per request
# Believed only from TRUSTED_PROXIES: TrustedProxyMiddleware removes it from other requests.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # Plain HTTP is redirected to HTTPS, except the probes of a load balancer or orchestrator.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------------
EXPLORE_ACTIVE_WINDOW = timedelta(days=7)
# Search: index a written note/product right after commit in the request's process
# (Celery retries a failure); 0 sends every index write through Celery (search/services.py).
SEARCH_INDEX_INLINE = env.bool("SEARCH_INDEX_INLINE", default=True)
# Search privacy: a query is suggested to others, or trends, only once this many distinct
# signed-in accounts searched it (never fewer than 5: one person's history is private),
# and trending counts only accounts at least SEARCH_TRENDING_MIN_ACCOUNT_DAYS old.
SEARCH_PUBLIC_QUERY_ACCOUNTS = env.int("SEARCH_PUBLIC_QUERY_ACCOUNTS", default=5)
if SEARCH_PUBLIC_QUERY_ACCOUNTS < 5:
    raise ImproperlyConfigured("SEARCH_PUBLIC_QUERY_ACCOUNTS must be at least 5")
SEARCH_TRENDING_MIN_ACCOUNT_DAYS = env.int("SEARCH_TRENDING_MIN_ACCOUNT_DAYS", default=3)
# Explore ranking (feeds/): candidates per run, list length per user, users per numpy batch,
# (EXPLORE_REFRESH_SECONDS, in CELERY_BEAT_SCHEDULE, sets how often beat refreshes them.)
EXPLORE_MAX_CANDIDATES = env.int("EXPLORE_MAX_CANDIDATES", default=30_000)
EXPLORE_LIST_SIZE = env.int("EXPLORE_LIST_SIZE", default=300)
EXPLORE_BATCH_SIZE = env.int("EXPLORE_BATCH_SIZE", default=128)
# A full run with Redis is split into tasks of this many users, taken by any ranking worker.
EXPLORE_RUN_BATCH_USERS = env.int("EXPLORE_RUN_BATCH_USERS", default=500)
# Trust and safety: a note, comment or product whose reports weigh this much in total is
# hidden until reviewed (an established reporter weighs 1, a brand-new account about 0.03:
# moderation/weights.py). Accounts are never suspended automatically.
MODERATION_AUTO_HIDE_REPORTS = env.float("MODERATION_AUTO_HIDE_REPORTS", default=5.0)
# Reports from accounts younger than this many days count as "new"; this many of them on
# one target (and at least half of its reports) flag a suspected report ring in the queue.
MODERATION_NEW_ACCOUNT_DAYS = env.int("MODERATION_NEW_ACCOUNT_DAYS", default=7)
MODERATION_RING_REPORTS = env.int("MODERATION_RING_REPORTS", default=3)
# Shop: the payment gateway by name (shop/payments.py GATEWAYS) and how long an
# unpaid order holds its units before the beat task cancels it.
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="sandbox")
# Webhooks of hosted gateways: HMAC-SHA256 secret shared with the provider, and how old
# a signed delivery may be (replays after that are refused). Required for `hosted`.
PAYMENT_WEBHOOK_SECRET = env("PAYMENT_WEBHOOK_SECRET", default="dev-only-webhook-secret" if DEBUG else "")
PAYMENT_WEBHOOK_TOLERANCE_SECONDS = env.int("PAYMENT_WEBHOOK_TOLERANCE_SECONDS", default=300)
if PAYMENT_GATEWAY == "hosted" and not PAYMENT_WEBHOOK_SECRET:
    raise ImproperlyConfigured("PAYMENT_GATEWAY=hosted needs PAYMENT_WEBHOOK_SECRET")
# The payments sweep (beat, every minute) settles attempts and refunds untouched this long.
PAYMENT_SWEEP_AFTER_SECONDS = env.int("PAYMENT_SWEEP_AFTER_SECONDS", default=60)
ORDER_HOLD = timedelta(minutes=env.int("ORDER_HOLD_MINUTES", default=30))

# --- Partners (partners/) -------------------------------------------------------
# How long the partner API reuses a product's rendered notes (and its ETag) per partner;
# 0 builds every response afresh. Clients are told max-age=60 either way.
PARTNER_CACHE_SECONDS = env.int("PARTNER_CACHE_SECONDS", default=30)
# --- Messages and real time (messaging/) ------------------------------------------
# Served by an ASGI server (daphne, redbook/asgi.py): `make run` starts one. daphne is not an
# installed app: that would load Twisted (about 30 MB) into every gunicorn and Celery process.
INSTALLED_APPS = [*INSTALLED_APPS, "channels", "messaging"]
ASGI_APPLICATION = "redbook.asgi.application"
# Pushes to users' sockets. With Redis: channels-redis on CHANNELS_REDIS_URL (default
# REDIS_URL) under its own key prefix, shared by every web and ASGI process; without:
# in-memory, which reaches only the sockets of the process that sends (one runserver).
CHANNELS_REDIS_URL = env("CHANNELS_REDIS_URL", default=REDIS_URL)
if CHANNELS_REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNELS_REDIS_URL], "prefix": "rb-ws", "capacity": 500, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Where browsers open the socket (returned with each ticket): empty means /ws/ on the
# page's own host (production: the proxy routes /ws/ to the ASGI server). `make run`
# with Redis sets it to the daphne it starts next to gunicorn.
REALTIME_WS_URL = env("REALTIME_WS_URL", default="")
# Abuse limits on messages (messaging/throttles.py): accounts younger than
# MODERATION_NEW_ACCOUNT_DAYS get the stricter "_new" rates.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].update(
    {
        "message": env("THROTTLE_MESSAGE", default="1000/day"),
        "message_new": env("THROTTLE_MESSAGE_NEW", default="200/day"),
        "conversation": env("THROTTLE_CONVERSATION", default="100/day"),
        "conversation_new": env("THROTTLE_CONVERSATION_NEW", default="20/day"),
    }
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("messaging.context_processors.messages_badge")
# Note read model (posts/cards.py): how long a note's card (the same for every viewer) is
# cached; edits, likes, saves, comments, hides and deletes drop it sooner. 0 turns it off.
NOTE_CARD_CACHE_SECONDS = env.int("NOTE_CARD_CACHE_SECONDS", default=60)
# The product list's summaries (shop/product_cards.py), the same way: edits and stock, sales
# and notes count moves drop one sooner. 0 turns it off.
PRODUCT_CARD_CACHE_SECONDS = env.int("PRODUCT_CARD_CACHE_SECONDS", default=60)
