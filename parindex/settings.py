"""Settings for PAR INDEX, read from the environment (see .env.example)."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
# With DEBUG on, an unexpected error shows the Vietnamese 500 page (traceback in the log) unless this asks for
# Django's technical page, for a developer at work.
DEBUG_TECHNICAL_500 = env_bool("DEBUG_TECHNICAL_500", False)

# --- Deployment safe by default: secret key ---
# The development key is only ever used with DEBUG on (`make run`); without DEBUG the site refuses to start
# rather than sign sessions and password-reset links with a key that is public in this repository.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
PLACEHOLDER_SECRET_KEYS = {DEV_SECRET_KEY, "change-me-to-a-long-random-string", "change-me", "secret"}
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
# Commands that only read the code serve no request and sign nothing: on a fresh clone they run without a key
# (`manage.py makemigrations --check`), with a throw-away one. Everything else still refuses below.
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "showmigrations", "help", "version"}
if (
    not SECRET_KEY
    and Path(sys.argv[0]).name == "manage.py"
    and len(sys.argv) > 1
    and sys.argv[1] in KEYLESS_COMMANDS
):
    SECRET_KEY = secrets.token_urlsafe(50)
if not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY in PLACEHOLDER_SECRET_KEYS
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG is off "
        "(not the placeholder of .env.example). Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Deployment safe by default: HTTPS, cookies and headers ---
# Every item of `manage.py check --deploy` is on when DEBUG is off and can be turned off from the environment
# (e.g. SECURE_SSL_REDIRECT=false when the proxy in front already redirects, or for the test suite).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = env_bool("SESSION_COOKIE_HTTPONLY", True)
SECURE_CONTENT_TYPE_NOSNIFF = env_bool("SECURE_CONTENT_TYPE_NOSNIFF", True)
SECURE_REFERRER_POLICY = env_str("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = env_str("SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
X_FRAME_OPTIONS = env_str("X_FRAME_OPTIONS", "DENY")
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https". Only set it when the proxy always sets (and
# overwrites) that header, or any client could claim to be on HTTPS.
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be two comma-separated values: HEADER,value")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
# Container healthchecks call /healthz over plain HTTP from inside; it holds no secrets.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_filters",
    "django_htmx",
    "template_partials",
    # Accounts and logins: lockout after failed passwords, TOTP second factor with backup codes.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "scoring",
    "appraisal",
    "surveys",
    "reports",
]

MIDDLEWARE = [
    # First: a body over its path's limit is refused before any other middleware can read it.
    "parindex.uploads.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "parindex.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # With DEBUG on too, a wrong address or a bad request gets the Vietnamese page, not Django's English one.
    "parindex.errors.ErrorPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Accounts and logins: request.user.is_verified(), then the second factor before the password change.
    "django_otp.middleware.OTPMiddleware",
    "scoring.accounts.middleware.TwoFactorRequiredMiddleware",
    "scoring.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Simultaneous saves: a SQLite lock that outlasts the busy timeout answers 409, not 500.
    "parindex.middleware.DatabaseBusyMiddleware",
    # Accounts and logins: last, as django-axes asks, to turn a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "scoring.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Simultaneous saves on SQLite ---------------------------------------------------------------------------
# SQLite has no row locks: two saves of one item raced to upgrade their read transactions and the loser got
# "database is locked" (a 500) instead of the version check's 409. Every atomic block now takes the write lock
# when it begins (BEGIN IMMEDIATE) and waits for it, so the second save reads the first one's version.
# WAL lets pages be read while a save writes. PostgreSQL is untouched.
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000};"
            ),
        }
    )

AUTH_USER_MODEL = "scoring.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "scoring.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Accounts and logins ---
# The lockout backend first: it refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "scoring.accounts.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Failed passwords before a lock, counted per account (whatever the address) and per address (whatever the account).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Minutes until a lock lifts by itself (a body administrator or the Django admin can lift it sooner).
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Reverse proxies in front of the app that append to X-Forwarded-For (0 = none: the header is ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "scoring.accounts.backends.client_address"
# Failed attempts are kept, successful logins are not: the log of successes would grow by one row per login.
AXES_DISABLE_ACCESS_LOG = True
# Roles (scoring.models.Role codes) that must sign in with a one-time code too; empty = nobody.
# Required by default in production; `make run` (DEBUG) sets it empty so that the demo stays click-through.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG else "body_admin,council_member"
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PAR INDEX")
# Hours a password-reset link stays valid.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 2) * 3600

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# parindex/admin_locale: Vietnamese for the Django admin strings Django's own vi catalog lacks ("Skip to main
# content", "Toggle theme"); LOCALE_PATHS come before the apps' catalogs, so its entries win.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "parindex" / "admin_locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve static files straight from the apps in `make run` without a collectstatic step.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Deployment safe by default: hashed, compressed static files (long cache, no stale JS after an upgrade)
        # when DEBUG is off; `collectstatic` must have run (docker-compose's web does it at every start).
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- Personal API tokens (tokens) ---
# A new token lasts API_TOKEN_DEFAULT_DAYS unless its owner picks another end, at most API_TOKEN_MAX_DAYS away.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal API tokens (`Authorization: Bearer …`) first: the first class also names the 401's
        # WWW-Authenticate challenge. DRF's `Token …` keys stay accepted until their holders move to personal ones.
        "scoring.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # Deployment safe by default: rate limits on every API view, the public rankings included. Anonymous callers
    # are counted per IP address, signed-in ones per user, in the default cache (CACHE_URL to share it between
    # gunicorn workers).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PAR INDEX API",
    "DESCRIPTION": "Chỉ số cải cách hành chính — API (rankings, criteria, assessments, the year's setup).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from this server (drf-spectacular-sidecar), not a CDN: closed networks get the docs too.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Deployment safe by default: worker heartbeat ---
# /healthz reports the worker stale (503) when no heartbeat arrived for this many seconds. Beat sends one every
# WORKER_HEARTBEAT_SECONDS through the queue, so a live worker that takes tasks keeps it fresh.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 180)

CELERY_IMPORTS = ["parindex.health"]

# Without a broker, tasks run in-process so that the embedded default needs no Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
# --- Jobs that finish exactly once (README "Jobs that finish exactly once") ---
# One message at a time per worker process: a worker that dies holds no others hostage.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Late-acknowledged messages (scoring.tasks.job_run_task) of a dead worker come back after the visibility
# timeout; longer than the longest countdown, while a job's own lease (below) brings it back sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    "socket_connect_timeout": 2,
}
# A broker that is down must be told within seconds (Celery's defaults wait ~19 s, then a 500 page).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
# A running job is renewed every third of this; unrenewed this long, its worker is taken for dead.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60)
# Runs lost to a dead worker before the job is failed (with a reason) instead of queued again.
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A job queued this long and never claimed lost its message: the sweep sends it again.
JOB_QUEUED_TIMEOUT_SECONDS = env_int("JOB_QUEUED_TIMEOUT_SECONDS", 600)
# Reminders to units that have not submitted: every morning, for every period whose deadline is near or past.
CELERY_BEAT_SCHEDULE = {
    "assessment-reminders-daily": {
        "task": "scoring.tasks.assessment_reminders_daily_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # One e-mail a day listing the unread notifications of users who chose the daily digest.
    # Live results older than their last change (a lost recompute: worker killed, broker away) are queued again.
    "results-refresh-sweep": {
        "task": "reports.tasks.results_refresh_sweep_task",
        "schedule": 60.0,
    },
    # Jobs whose worker died (lease expired) or whose message was lost are queued again (Jobs that finish once).
    "jobs-sweep": {
        "task": "scoring.tasks.job_sweep_task",
        "schedule": 60.0,
    },
    "notification-digests-daily": {
        "task": "scoring.tasks.notification_digests_daily_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Deployment safe by default: a worker that runs this proves to /healthz that it takes tasks.
    "worker-heartbeat": {
        "task": "parindex.health.worker_heartbeat_task",
        "schedule": float(WORKER_HEARTBEAT_SECONDS),
        "options": {"expires": WORKER_HEARTBEAT_SECONDS},
    },
}

# --- E-mail (password resets, notifications): SMTP when EMAIL_HOST is set, else printed to the log ---
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "parindex@localhost")
# Absolute links in e-mails (no request to take the host from in a background task).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Units that have not submitted are reminded from this many days before their deadline on.
REMINDER_DAYS_BEFORE_DEADLINE = env_int("REMINDER_DAYS_BEFORE_DEADLINE", 3)

EVIDENCE_MAX_UPLOAD_MB = env_int("EVIDENCE_MAX_UPLOAD_MB", 20)
# A unit's explanation of one item flagged in round 1, in characters.
EXPLANATION_MAX_LENGTH = env_int("EXPLANATION_MAX_LENGTH", 2000)

# --- Bounded imports and uploads (imports) ---------------------------------------------------------------
# A request body over its path's limit is answered 413 before it is read (parindex.uploads).
# Evidence and other documents: one file's limit plus a margin for the form fields and multipart framing.
UPLOAD_MARGIN_MB = env_int("UPLOAD_MARGIN_MB", 2)
# Spreadsheet imports (criteria, users, survey forms, ballots, SIPAS, published and national results).
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 50)
# Every other request (forms, JSON): as large as the form data Django accepts in memory.
REQUEST_MAX_BODY_MB = env_int("REQUEST_MAX_BODY_MB", 10)
# Which paths take documents and which take imports (regular expressions, matched from the start of the path).
UPLOAD_DOCUMENT_PATHS = [
    r"^/tu-danh-gia/\d+/tai-lieu/tai-len/$",
    r"^/api/v1/assessments/\d+/evidence/$",
    r"^/tham-dinh/\d+/giai-trinh/\d+/tai-lieu/$",
    r"^/tham-dinh/hoi-dong/\d+/$",
    r"^/ket-qua/cong-bo/",
]
UPLOAD_IMPORT_PATHS = [
    r"^/tieu-chi/[\w-]+/nhap-excel/$",
    r"^/admin/scoring/user/nhap/$",
    r"^/dieu-tra/ky/\d+/(mau-phieu/nhap-excel|nhap-tep|sipas)/$",
    r"^/ket-qua/(nhap|chi-so-tinh/nhap)/$",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_MAX_FORM_MB", 10) * 1024 * 1024
# Files above this are spooled to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# The first handler stops reading a body that turns out longer than its limit (a chunked or lying body).
FILE_UPLOAD_HANDLERS = [
    "parindex.uploads.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Spreadsheet contents, checked on the zip directory before parsing and row by row while streaming.
# Cells bound the time of the imports that run in the web request: 300,000 cells took 11-14 s with both cores busy.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 60)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 300_000)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 50)
IMPORT_MAX_ZIP_MEMBERS = env_int("IMPORT_MAX_ZIP_MEMBERS", 200)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 200)
# A province imports up to 100,000 ballots at once: 34 columns, 11 MB zipped, 163 MB of sheet XML.
BALLOT_IMPORT_MAX_ROWS = env_int("BALLOT_IMPORT_MAX_ROWS", 150_000)
BALLOT_IMPORT_MAX_COLUMNS = env_int("BALLOT_IMPORT_MAX_COLUMNS", 300)
BALLOT_IMPORT_MAX_CELLS = env_int("BALLOT_IMPORT_MAX_CELLS", 6_000_000)
BALLOT_IMPORT_MAX_UNCOMPRESSED_MB = env_int("BALLOT_IMPORT_MAX_UNCOMPRESSED_MB", 400)

# --- Deployment safe by default: logs, error reporting, health ---
# LOG_FORMAT=json writes one JSON object a line (python-json-logger) for a log collector; default: plain text.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Errors are sent to Sentry (or a compatible service such as GlitchTip) only when SENTRY_DSN is set; without it
# the SDK is not even imported. No personal data (users, IPs, bodies) is sent.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        send_default_pii=False,
    )

# Shared cache (rate-limit counters): Redis when CACHE_URL is set, else each process keeps its own in memory.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Deployment safe by default: Content-Security-Policy (django-csp 4) ---
# Scripts and styles only from this server: no inline <script>, no on*= handlers, no eval, no style="" and no
# injected <style> (htmx is configured not to inject one). data: images are Pico's form icons and the favicon.
# The API docs (Swagger UI, Redoc) need inline styles; their views relax style-src for themselves only.
_csp_report_uri = env_str("CSP_REPORT_URI")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    },
}
