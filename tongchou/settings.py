"""Settings come from the environment so that one codebase serves the embedded default and production.

- ``TONGCHOU_HOME`` (default ``./var``): data folder holding the SQLite file, uploaded originals and the
  generated secret key.
- ``DATABASE_URL``: any dj-database-url URL; default ``sqlite:///$TONGCHOU_HOME/tongchou.sqlite3``.
- ``SECRET_KEY``: for production; the embedded default generates one on first run and keeps it.
- ``DEBUG``: off unless set to 1/true.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
TONGCHOU_HOME = Path(os.environ.get("TONGCHOU_HOME", "var")).resolve()
TONGCHOU_HOME.mkdir(parents=True, exist_ok=True)
# The seed documents live beside the project (../shared/seeds); they are user input, never shipped.
SEEDS_DIR = Path(os.environ.get("TONGCHOU_SEEDS", BASE_DIR.parent.parent / "shared" / "seeds"))


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = TONGCHOU_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = _truthy(os.environ.get("DEBUG"))
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # django-ninja as an app: /api/docs then loads Swagger UI from the files the ninja wheel ships
    # (served by WhiteNoise like ours) instead of a CDN
    "ninja",
    "tongchou.core",
    "tongchou.accounts",
    "tongchou.regions",
    "tongchou.enterprises",
    "tongchou.facts",
    "tongchou.financing",
    "tongchou.policies",
    "tongchou.rules",
    "tongchou.appeals",
    "tongchou.workdays",
    "tongchou.dashboard",
    "tongchou.operations",
    "tongchou.epidemic",
    "tongchou.projects",
    "tongchou.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # outermost of ours: every error under /api/ leaves as {code, message, detail} JSON
    "tongchou.core.middleware.ApiErrorsAsJson",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tongchou.core.middleware.TongchouErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tongchou.urls"
WSGI_APPLICATION = "tongchou.wsgi.application"

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
                "tongchou.dashboard.context_processors.navigation",
                "tongchou.core.care.care_mode",
                "tongchou.core.context_processors.platform",
            ],
        },
    }
]

# A DATABASE_URL that cannot be parsed leaves a database that refuses every query, and system check
# tongchou.E002 says why (falling back to a local SQLite file would hide the mistake in production).
DATABASE_URL_ERROR = ""
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{TONGCHOU_HOME / 'tongchou.sqlite3'}",
            conn_max_age=60,
        )
    }
except (ValueError, KeyError, TypeError) as exc:
    DATABASE_URL_ERROR = str(exc) or exc.__class__.__name__
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
if DATABASES["default"]["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    if not DATABASE_URL_ERROR:
        DATABASE_URL_ERROR = (
            f"不支持的数据库引擎 {DATABASES['default']['ENGINE']}：平台只支持 SQLite 和 PostgreSQL"
        )
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker thread write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:home"

# Lock-out: 5 failures for the same username from the same address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = _truthy(os.environ.get("SECURE_COOKIES"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = TONGCHOU_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = TONGCHOU_HOME / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
# Bounds of an uploaded spreadsheet (registry and department data files; tongchou.core.tables):
# larger files and longer sheets are refused with a Chinese message before they are loaded.
TONGCHOU_IMPORT_MAX_BYTES = int(os.environ.get("TONGCHOU_IMPORT_MAX_BYTES", 30 * 1024 * 1024))
TONGCHOU_IMPORT_MAX_ROWS = int(os.environ.get("TONGCHOU_IMPORT_MAX_ROWS", 200_000))

# Where notifications go besides the in-app inbox: dotted paths of Sender classes.
TONGCHOU_SENDERS = [
    s.strip()
    for s in os.environ.get("TONGCHOU_SENDERS", "tongchou.core.notifications.ConsoleSender").split(",")
    if s.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"tongchou": {"level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": True}},
}

# Background jobs (core.scheduler): dotted paths of each app's list of scheduler Jobs. `tongchou
# serve` runs the one scheduler loop over all of them (once per server, in its parent process);
# `tongchou worker` runs the loop alone. A DB lease per job makes each run happen once however many
# loops run.
TONGCHOU_SCHEDULED_JOBS: list[str] = [
    "tongchou.appeals.worker.JOBS",
    "tongchou.rules.tasks.JOBS",
    "tongchou.operations.jobs.JOBS",
    "tongchou.epidemic.jobs.JOBS",
    "tongchou.financing.jobs.JOBS",
    "tongchou.projects.jobs.JOBS",
    "tongchou.supervision.jobs.JOBS",
]
# What the kernel (core, which imports no other app) asks of the apps: the user's role, for
# workflow transitions declared with role names, and the working-day calendar, for deadlines and
# working-days-only jobs (core/hooks.py).
TONGCHOU_ROLE_OF = "tongchou.accounts.roles.role_of"
TONGCHOU_WORKDAY_CALENDAR = "tongchou.workdays.services.calendar"
# What `tongchou serve` runs once before serving (and before forking its serving processes): each
# app's warm-up, so no request pays a dictionary load or a cache build.
TONGCHOU_SERVING_WARMUPS: list[str] = [
    "tongchou.appeals.routing_db.prepare_for_serving",
]

# What `tongchou demo` loads, in order: dotted paths of functions taking (stdout) and returning a
# one-line Chinese summary. Each app owns its step.
# how many synthetic enterprises the demo registers (the whole-site browser tests use fewer)
TONGCHOU_DEMO_ENTERPRISES = 3000
TONGCHOU_DEMO_STEPS: list[str] = [
    "tongchou.regions.demo.step_reference",
    "tongchou.accounts.demo.step_accounts",  # one account per role (the next two add theirs)
    "tongchou.enterprises.demo.step_enterprise_account",
    "tongchou.financing.demo.step_bank_account",
    "tongchou.policies.demo.step_policies",
    "tongchou.rules.demo.seed",  # keep after the policies step
    "tongchou.appeals.demo.seed",  # after accounts and policies
    "tongchou.epidemic.demo.seed",  # towns' grades first: operations and others read them
    "tongchou.operations.demo.seed",
    "tongchou.financing.demo.seed",
    "tongchou.projects.demo.seed",
    "tongchou.supervision.demo.seed",  # last: its ledger links to every other module's data
]

# What the home page, the command centre and the navigation are made of: each app's provider module
# (core/providers.py says what one defines: NAV, tiles(ctx), panels(ctx)). Tiles and panels are sorted
# by their `order`; a new module adds `tongchou.<app>.dashboard` here.
TONGCHOU_DASHBOARD_PROVIDERS: list[str] = [
    "tongchou.dashboard.dashboard",
    "tongchou.accounts.dashboard",
    "tongchou.enterprises.dashboard",
    "tongchou.policies.dashboard",
    "tongchou.rules.dashboard",
    "tongchou.appeals.dashboard",
    "tongchou.operations.dashboard",
    "tongchou.epidemic.dashboard",
    "tongchou.financing.dashboard",
    "tongchou.projects.dashboard",
    "tongchou.supervision.dashboard",
]

# --- settings the apps read, with their defaults (set them here or in the environment) ---------
# Appeals: an order is dispatched automatically when the router's confidence (the top score's share
# of the top three) and the top score both reach these; otherwise it waits for a dispatcher.
APPEALS_AUTO_DISPATCH_CONFIDENCE = float(os.environ.get("APPEALS_AUTO_DISPATCH_CONFIDENCE", "0.55"))
APPEALS_AUTO_DISPATCH_MIN_SCORE = float(os.environ.get("APPEALS_AUTO_DISPATCH_MIN_SCORE", "3.0"))
# The region whose router `tongchou serve` warms up, and `tongchou route` uses without --region.
APPEALS_DEFAULT_REGION = os.environ.get("APPEALS_DEFAULT_REGION", "370306")
# 免申即享: working days a delivery stays on public notice before it may be paid.
TONGCHOU_PUBLICITY_WORKING_DAYS = int(os.environ.get("TONGCHOU_PUBLICITY_WORKING_DAYS", "5"))
# How often the background matcher re-runs the published rules over every enterprise (seconds).
TONGCHOU_MATCH_INTERVAL_SECONDS = int(os.environ.get("TONGCHOU_MATCH_INTERVAL_SECONDS", str(24 * 3600)))
