"""Settings of Kerja Sama: one file, every deploy knob read from the environment.

The defaults let a fresh clone run on one laptop: SQLite, Celery tasks run eagerly,
e-mail printed to the console. Production sets DEBUG=false and must then provide
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL (see README.md).
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kerjasama.media_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _secret_key(debug: bool) -> str:
    """Read SECRET_KEY verbatim.

    django-environ treats a value starting with "$" as a reference to another
    variable; a generated key may well start with "$", so it is read from
    os.environ directly.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if debug:
        return "django-insecure-development-only-key-never-use-in-production"
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret_key(DEBUG)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "simple_history",
    "kerjasama",
    "registry",
    "planning",
    "monitoring",
    "public",
]

MIDDLEWARE = [
    # Docker's healthcheck, from inside the container only (kerjasama/health.py).
    "kerjasama.health.HealthCheckMiddleware",
    # An oversized body is refused before anything reads it.
    "kerjasama.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kerjasama.middleware.PrivateDownloadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kerjasama.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Where the container's own healthcheck asks (loopback only; the proxy refuses the path).
HEALTHCHECK_PATH = env.str("HEALTHCHECK_PATH", default="/-/health/")

ROOT_URLCONF = "kerjasama.urls"
WSGI_APPLICATION = "kerjasama.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kerjasama.context_processors.navigation",
            ],
        },
    },
]

# Forms' widgets render Django's own templates through Jinja2 (kerjasama/form_renderer.py).
FORM_RENDERER = "kerjasama.form_renderer.FormRenderer"

# Database -------------------------------------------------------------------


def _database() -> dict:
    """The database: POSTGRES_HOST with its parts, else DATABASE_URL, else the SQLite file.

    A generated password (`openssl rand -base64 32`) holds "/", "+" and "=", and may hold "@",
    ":" or "#": pasted into a URL it breaks the parsing. With POSTGRES_HOST set, each part is its
    own variable and POSTGRES_PASSWORD is taken verbatim (a "$" included), as the PostgreSQL
    image itself takes it. A DATABASE_URL must percent-encode such characters.
    """
    host = os.environ.get("POSTGRES_HOST", "")
    if not host:
        return env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": host,
        "PORT": env.int("POSTGRES_PORT", default=5432),
        "NAME": os.environ.get("POSTGRES_DB", "kerjasama"),
        "USER": os.environ.get("POSTGRES_USER", "kerjasama"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
    }


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and an immediate transaction mode let concurrent writers queue up instead of
    # failing with "database is locked" (the lifecycle and the number counters lock rows).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests on SQLite use a file, not shared-cache memory, so that concurrent writers
    # queue on the lock as they do in production.
    # One file per process, so that two test runs on one machine never share a database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")
else:
    # Persistent connections, checked before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: the public register's pages and the rate limits of anonymous requests. One process's
# memory by default; production points CACHE_URL at Redis (e.g. redis://redis:6379/1, another
# database than the broker's) so that every gunicorn worker shares the pages and the counters.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any other backend.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account out for a while after five failed logins from the same address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address is the one our proxy appended to X-Forwarded-For (kerjasama/addresses.py), as for
# every rate limit: a client cannot escape the lock-out by sending its own header.
AXES_CLIENT_IP_CALLABLE = "kerjasama.addresses.client_address"
# Against password spraying (one address trying a few passwords on many accounts): failed logins
# per address across usernames, in django-ratelimit's notation; an office behind one NAT address
# shares it, so it is well above AXES_FAILURE_LIMIT.
LOGIN_FAILURES_PER_ADDRESS = env.str("LOGIN_FAILURES_PER_ADDRESS", default="30/h")
# Password reset by e-mail: requests per address, and how long a link stays valid (seconds).
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="5/h")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "kerjasama.views.csrf_failure"

# Security when served over HTTPS (anything but DEBUG).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=not DEBUG) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Django's own Content Security Policy: every script and style is a static file,
# nothing inline. Data for charts travels in json_script blocks (type
# application/json), which the policy does not execute.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}

# Requests: limits on what a client may send.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest PDF accepted as an upload (scans of signed agreements run to a few MB).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Largest request body, refused with 413 before it is read (kerjasama/middleware.py): the largest
# upload or import plus room for the form around it. The proxy's limit (Caddyfile) is the same.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=0) or (
    max(UPLOAD_MAX_BYTES, env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)) + 1024 * 1024
)

# Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# WIB by default; a regency in WITA (Asia/Makassar) or WIT (Asia/Jayapura) sets its own.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
FORMAT_MODULE_PATH = ["kerjasama.formats"]

# Static and media -------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media on disk under MEDIA_ROOT, or in S3-compatible object storage when MEDIA_STORAGE_URL is set:
# "s3://bucket/prefix?endpoint_url=https://minio.example.go.id:9000&region=us-east-1", with the
# credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (kerjasama/media_storage.py).
STORAGES = {
    "default": media_storage(env.str("MEDIA_STORAGE_URL", default="")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "kerjasama.storage.StaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files without running collectstatic first.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_MANIFEST_STRICT = False

# E-mail ---------------------------------------------------------------------------
# EMAIL_URL, e.g. "smtp+tls://user:password@mail.example.go.id:587"; console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kerja Sama <kerjasama@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute address of the site, used in e-mails and on printed QR codes. Required in production
# (a system check of `check --deploy`, kerjasama/checks.py): issued QR codes never change.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Celery ---------------------------------------------------------------------------
# Without a broker the tasks run in-process, so the app works on one machine.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Nothing reads a task's result: the database rows are the record of the work (kerjasama/jobs.py).
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once it has run, and given back when its worker dies under it; every
# task is idempotent, so running it again is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request publishing a task waits at most about two seconds for the broker, however it
# fails (refused, unreachable, accepting and never answering); the job row stays queued and the
# sweeper publishes it again (kerjasama/jobs.py).
BROKER_TIMEOUT_SECONDS = env.float("BROKER_TIMEOUT_SECONDS", default=1.5)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "max_retries": 1,
    # Redis gives an unacknowledged message to another worker after this long: longer than the
    # longest task (CELERY_TASK_TIME_LIMIT), far shorter than the one-hour default.
    "visibility_timeout": 600,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A worker's claim on a job (a rendering, an e-mail) lasts this long; then the sweeper takes the
# job back for another worker. Above CELERY_TASK_TIME_LIMIT, so a live worker is never overtaken.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=420)
# A job still queued this long after its commit is published again (its message was lost).
JOB_REPUBLISH_SECONDS = env.int("JOB_REPUBLISH_SECONDS", default=60)

# Forms and UI ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-filter's empty choice, the same words as every other select (kerjasama.apps).
FILTERS_EMPTY_CHOICE_LABEL = _("— Choose —")
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Domain settings (docs/domain.md). Each default carries its source; a regency whose
# own rules differ sets the environment variable.
# PP 28/2018 Pasal 30(4): 45 hari kerja for KSDPL/KSDLL, applied to every kind by default.
DPRD_DEADLINE_WORKDAYS = env.int("DPRD_DEADLINE_WORKDAYS", default=45)
# A request letter sent to the DPRD whose receipt is not recorded after this many working days is
# reminded to the TKKSD: the DPRD's term runs only from the day of receipt (PP 28/2018 Pasal 30(4)).
DPRD_RECEIPT_REMINDER_WORKDAYS = env.int("DPRD_RECEIPT_REMINDER_WORKDAYS", default=3)
# Deemed approval on silence existed under the repealed PP 50/2007 Pasal 12; PP 28 is silent.
DPRD_SILENCE_MEANS_APPROVAL = env.bool("DPRD_SILENCE_MEANS_APPROVAL", default=False)
# Monthly implementation report due on this day of the following month (practice, seed 003).
REPORT_DUE_DAY = env.int("REPORT_DUE_DAY", default=10)
# Evaluations by PPKSD per year (Kota Yogyakarta practice).
EVALUATIONS_PER_YEAR = env.int("EVALUATIONS_PER_YEAR", default=2)
# Longest PKS term before a warning (Kota Yogyakarta practice; no national rule found).
KSD_MAX_TERM_YEARS = env.int("KSD_MAX_TERM_YEARS", default=5)
# A Kesepakatan Bersama with no PKS after this many months is flagged (no legal limit found).
KB_TO_PKS_WARNING_MONTHS = env.int("KB_TO_PKS_WARNING_MONTHS", default=6)
# Days before the end date at which an expiry reminder is sent.
EXPIRY_WARNING_DAYS = env.list("EXPIRY_WARNING_DAYS", cast=int, default=[180, 90, 30, 7, 0])
# "Expiring soon" on every status badge.
EXPIRING_SOON_DAYS = env.int("EXPIRING_SOON_DAYS", default=180)
# An agreement in implementation with no accepted report for this many months is dormant.
DORMANT_AFTER_MONTHS = env.int("DORMANT_AFTER_MONTHS", default=3)
# Each OPD appoints at least this many PPKSD (seed 001, Kab. Hulu Sungai Selatan).
MIN_PPKSD_PER_OPD = env.int("MIN_PPKSD_PER_OPD", default=2)
# An agreement being prepared that has not moved for this many days is listed in the TKKSD's work
# queue (kerjasama/workqueue.py; practice, no legal limit found).
STAGE_STALE_DAYS = env.int("STAGE_STALE_DAYS", default=60)

# An issued document still waiting for its signed original (wet-ink scan or electronic signature)
# this many working days after its issue is listed and reminded (Tata Naskah Dinas practice).
SIGNATURE_REMINDER_DAYS = env.int("SIGNATURE_REMINDER_DAYS", default=3)


def _signing_passphrase(office: str) -> str:
    """An office's PKCS#12 passphrase, from SIGNING_PASSPHRASE_<OFFICE> or the file named by
    SIGNING_PASSPHRASE_FILE_<OFFICE> (a Docker secret); never from the database."""
    path = env.str(f"SIGNING_PASSPHRASE_FILE_{office.upper()}", default="")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"SIGNING_PASSPHRASE_FILE_{office.upper()}: {error}") from error
    return env.str(f"SIGNING_PASSPHRASE_{office.upper()}", default="")


# Electronic signatures (registry/official/esign.py): the backend, and per signatory office a PKCS#12 file
# (e.g. the certificate BSrE issued to the Bupati) in SIGNING_PKCS12_BUPATI / SIGNING_PKCS12_KETUA_TKKSD.
SIGNING_BACKEND = env.str("SIGNING_BACKEND", default="registry.official.esign.LocalCertificateBackend")
SIGNING_CERTIFICATES = {
    office: {
        "pkcs12": env.str(f"SIGNING_PKCS12_{office.upper()}", default=""),
        "passphrase": _signing_passphrase(office),
    }
    for office in ("bupati", "ketua_tkksd")
}
# PEM or DER files of the roots electronic signatures must chain to (e.g. the BSrE root CA).
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])

# Monitoring (monitoring/reminders.py, the dashboard) -----------------------------------------------
# The due day of reports, the dormant period, the KB-to-PKS period and the expiry thresholds
# are the domain settings above; these say when the daily scan reminds people.
# Days before a monthly report's due day at which its PPKSD are reminded (practice).
MONITORING_REPORT_REMINDER_DAYS = env.list("MONITORING_REPORT_REMINDER_DAYS", cast=int, default=[3])
# Days before the DPRD's answer deadline at which the DPRD and the TKKSD are reminded.
MONITORING_DPRD_REMINDER_DAYS = env.list("MONITORING_DPRD_REMINDER_DAYS", cast=int, default=[10, 3])
# Days before a TKKSD plenary at which the TKKSD and the Pimpinan are reminded.
MONITORING_PLENARY_REMINDER_DAYS = env.list("MONITORING_PLENARY_REMINDER_DAYS", cast=int, default=[7, 1])
# After an outage the scan catches up at most this many days (older reminders are stale).
MONITORING_SCAN_MAX_DAYS = env.int("MONITORING_SCAN_MAX_DAYS", default=62)
# The dashboard's figures are refreshed in the background every five minutes (kerjasama/celery.py,
# monitoring/dashboard.py); a page computes them itself only when they are older than this many
# seconds (the refresh is not running). The list of agreements needing attention is shared as
# long. 0: computed on every load.
MONITORING_DASHBOARD_CACHE_SECONDS = env.int("MONITORING_DASHBOARD_CACHE_SECONDS", default=900)

# Importing registers (registry/imports/) ------------------------------------------------------
# Largest spreadsheet accepted, in bytes, and the most rows and columns a sheet may have.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=60)
# A file with more rows is previewed and committed by a Celery task, with a progress bar.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=500)
# Rows written per transaction when an import is committed.
IMPORT_BATCH_ROWS = env.int("IMPORT_BATCH_ROWS", default=500)
# A partner name matching a registered partner at least this well (rapidfuzz, 0-100) is taken
# as that partner without asking; below it the user decides.
IMPORT_PARTNER_MATCH_SCORE = env.int("IMPORT_PARTNER_MATCH_SCORE", default=90)

# The public register (public/) --------------------------------------------------------------
# How long a public page or open-data file is kept in the cache and by browsers, in seconds.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# Where the open data files are written and served from (public/opendata.py): local disk the
# server's user may write to, a few tens of megabytes per file at a hundred thousand agreements.
OPEN_DATA_DIR = Path(env.str("OPEN_DATA_DIR", default=str(Path(tempfile.gettempdir()) / "kerjasama-open-data")))
# Requests per address to the public pages, in django-ratelimit's notation ("120/m").
PUBLIC_RATE_LIMIT = env.str("PUBLIC_RATE_LIMIT", default="120/m")
# Code lookups and uploaded copies per address on the public verification pages (/verifikasi/).
VERIFY_RATE_LIMIT = env.str("VERIFY_RATE_LIMIT", default="20/m")
RATELIMIT_USE_CACHE = "default"
# The client's address: behind the TLS proxy, the one it appends to X-Forwarded-For.
RATELIMIT_IP_META_KEY = "kerjasama.addresses.client_address"

# Backups (kerjasama/backups.py): where `manage.py backup` and the nightly task write, and how many
# nightly backups are kept there.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# `make bench` routes its yardstick views and counts each response's queries; never on in production.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
if BENCHMARK_VIEWS:
    # First, so that the session and user lookups count too.
    MIDDLEWARE.insert(0, "kerjasama.middleware.QueryCountMiddleware")

# Logging: one handler, on the root logger, so every line prints once. LOG_LEVEL (INFO) is the
# root's level; LOG_FORMAT=json writes one JSON object per line for a log collector.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "kerjasama.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers go to the root's handler only (its default config adds another).
        "django": {"level": LOG_LEVEL, "handlers": [], "propagate": True},
        "django.server": {"level": LOG_LEVEL, "handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
        # Subsetting a font for every PDF logs each table it prunes; WeasyPrint logs every
        # rendering step at INFO (render jobs read them for their progress): only their warnings.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
