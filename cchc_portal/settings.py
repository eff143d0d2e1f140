"""Settings for the CCHC Portal, read from environment variables (see .env.example).

With nothing set the portal runs embedded: SQLite in WAL mode and a Celery worker on kombu's
filesystem broker under var/. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to PostgreSQL and Redis.
"""

import sys
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or not ALLOWED_HOSTS:
        missing = " and ".join(
            name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
            if not value
        )
        # One line on stderr, no traceback: the operator sees at once what is missing.
        sys.stderr.write(f"DEBUG=0 requires {missing} to be set (see .env.example).\n")
        raise SystemExit(2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "reports",  # the core: units, periods, the report and its workflow, documents
]

# --- Plug-ins -------------------------------------------------------------------------------------
# Domain apps built on the core, chosen per installation. Each registers its report parts, facts,
# navigation, home panels and documents in AppConfig.ready(), and its URLs under its own prefix
# (AppConfig.url_prefix), so the core never names them. Empty: the core alone (a province that
# scores elsewhere runs the portal without the PAR-index module).
KNOWN_PLUGINS = {"procedures": (), "indicators": ("procedures",)}  # name: plug-ins it needs
CCHC_PLUGINS = [n.strip() for n in env.list("CCHC_PLUGINS", default=["procedures", "indicators"]) if n.strip()]
_plugin_problems = [f"unknown plug-in {name!r}" for name in CCHC_PLUGINS if name not in KNOWN_PLUGINS] + [
    f"{name!r} needs {needed!r}" for name in CCHC_PLUGINS for needed in KNOWN_PLUGINS.get(name, ())
    if needed not in CCHC_PLUGINS
]
if _plugin_problems:
    sys.stderr.write(f"CCHC_PLUGINS: {'; '.join(_plugin_problems)} (known: {', '.join(KNOWN_PLUGINS)}).\n")
    raise SystemExit(2)
# Installed in dependency order whatever the order typed.
INSTALLED_APPS += [name for name in KNOWN_PLUGINS if name in CCHC_PLUGINS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"

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
                "reports.context_processors.navigation",
            ],
            # {{ x|unlocalize }} everywhere: ids, years and revisions must not get "1.234" grouping.
            "builtins": ["django.templatetags.l10n"],
        },
    },
]

WSGI_APPLICATION = "cchc_portal.wsgi.application"

# --- Database -----------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the Celery worker write at once: WAL lets readers proceed, IMMEDIATE
    # transactions take the write lock up front, and the timeout waits for it instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=30),
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "SQLITE_TEST_NAME", default=str(VAR_DIR / "test-db.sqlite3")
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
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
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["cchc_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Uploaded evidence and rendered documents live outside the web root and are served only
# through permission-checked views; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CCHC Portal <no-reply@localhost>")

# --- Celery -------------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    for _sub in ("queue", "control", "processed"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=(
        f"file://{VAR_DIR / 'celery-results'}"
        if CELERY_BROKER_URL.startswith("filesystem://")
        else CELERY_BROKER_URL
    ),
)
if CELERY_RESULT_BACKEND.startswith("file://"):
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "open-next-year-periods": {
        "task": "reports.open_year_periods",
        # 1 December: next year's periods exist before its first data window opens (15/12).
        "schedule": crontab(
            minute=0, hour=1, day_of_month=1, month_of_year=12
        ),
    },
    "deadline-reminders": {
        "task": "reports.send_deadline_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    "expire-rendered-documents": {
        # Generated files of superseded versions (and day-old ZIPs) are removed after their retention,
        # with the temporary files of killed renders; rows lost by a dead worker are sent again.
        "task": "reports.expire_documents",
        "schedule": crontab(minute=30, hour=2),
    },
}
REPORT_REMINDER_DAYS = env.int("REPORT_REMINDER_DAYS", default=5)

# Generated files (documents and workbooks): see reports/documents/services.py.
DOCUMENT_RETENTION_DAYS = env.int("DOCUMENT_RETENTION_DAYS", default=7)
DOCUMENT_STALE_MINUTES = env.int("DOCUMENT_STALE_MINUTES", default=10)
DOCUMENT_MAX_ATTEMPTS = env.int("DOCUMENT_MAX_ATTEMPTS", default=3)
DOCUMENT_PART_MAX_AGE_MINUTES = env.int("DOCUMENT_PART_MAX_AGE_MINUTES", default=60)
DOCUMENT_RENDER_TIME_LIMIT = env.int("DOCUMENT_RENDER_TIME_LIMIT", default=600)

# --- Forms and UI -------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SITE_NAME = env.str("SITE_NAME", default="Cổng báo cáo CCHC")

# --- Security (production) ----------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# No page is framed; a view that must be (a PDF preview) says so with @xframe_options_sameorigin.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
