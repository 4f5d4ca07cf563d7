"""Settings for youthleague, read from the environment.

Every setting that differs between a laptop and a server comes from an environment variable
(optionally from a ``.env`` file beside ``manage.py``, which the development launcher writes).
With ``DJANGO_DEBUG`` unset or ``0`` the production settings apply and a missing
``DJANGO_SECRET_KEY`` stops the app at start.
"""

import os
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path):
    """Load KEY=VALUE lines from ``path`` into the environment without overriding it."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


# DJANGO_ENV_FILE names another file; set it empty to read none.
_env_file = os.environ.get("DJANGO_ENV_FILE", ".env")
if _env_file:
    _load_dotenv(BASE_DIR / _env_file)


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production settings)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

# Keys that sign stamped report spreadsheets: "kid:secret[,kid:secret...]", the first one signs.
# Separate from SECRET_KEY so that either can be rotated alone; keep old kids to verify old tables.
REPORT_SIGNING_KEYS = env("REPORT_SIGNING_KEYS", "")
if not REPORT_SIGNING_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("REPORT_SIGNING_KEYS must be set when DJANGO_DEBUG is off.")
    REPORT_SIGNING_KEYS = "dev:development-only-report-signing-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "branches.apps.LeagueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "spreadsheets",
    "branches",
    "members",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "youthleague.db_router.ReadYourWritesMiddleware",
    "youthleague.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes goes last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "youthleague.urls"
WSGI_APPLICATION = "youthleague.wsgi.application"
ASGI_APPLICATION = "youthleague.asgi.application"

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
                "branches.context_processors.organization_access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages count up to two million rows in one grouped query; PostgreSQL's JIT compiles
    # each such query for about 0.1 s and gains less than that back (BENCHMARKS.md, breakdowns).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development default: no persistent connections, and writers wait rather than fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

# Read replicas (comma-separated URLs): aliases replica1, replica2, ... Reads of dashboards,
# reports, look-ups and exports go to a healthy one; see youthleague/db_router.py. In tests each
# mirrors the primary's test database (a streaming replica copies the whole cluster).
REPLICA_DATABASES = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer is skipped, not waited for.
        DATABASES[_alias].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
        # Reports read here: JIT off, as on the primary.
        _options = DATABASES[_alias]["OPTIONS"]
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    REPLICA_DATABASES.append(_alias)
# Replica-safe reads go to a replica at all (the test settings turn it off but for the tests
# of the router, whose data is committed where a replica can see it).
REPLICA_READS = env_bool("DJANGO_REPLICA_READS", True)
# A replica whose replay lags more than this is skipped; its health is checked at most this often.
REPLICA_MAX_LAG_SECONDS = env_int("DJANGO_REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_HEALTH_CACHE_SECONDS = env_int("DJANGO_REPLICA_HEALTH_CACHE_SECONDS", 5)
# A user who wrote within this many seconds reads from the primary.
READ_YOUR_WRITES_SECONDS = env_int("DJANGO_READ_YOUR_WRITES_SECONDS", 10)
if REPLICA_DATABASES:
    DATABASE_ROUTERS = ["youthleague.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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

# Internationalisation: Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format everywhere (2019-05-30): youthleague/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["youthleague.formats"]
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions end after an idle period (each request renews the expiry).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy, set DJANGO_SECURE_SSL_REDIRECT=0 and let the proxy redirect.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    if not SECURE_SSL_REDIRECT:
        # The proxy does the redirect; Django's own check cannot see that.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Login throttling (django-axes): lock a username from one address after repeated failures, and
# an address after repeated failures whatever the usernames tried (password spraying).
AXES_USERNAME_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", 7)
AXES_FAILURE_LIMIT = "youthleague.throttle.failure_limit"
AXES_COOLOFF_TIME = env_int("DJANGO_AXES_COOLOFF_HOURS", 1)
# The first entry must stay the username with the address: youthleague.throttle relies on it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "youthleague.client_ip.client_ip"
# Behind a reverse proxy: the header carrying the client address, and how many proxies add to it.
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", "")
CLIENT_IP_PROXY_COUNT = env_int("DJANGO_CLIENT_IP_PROXY_COUNT", 1)

# Background work: a database-backed queue served by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "youthleague.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Uploaded spreadsheets (every import and /reports/verify/): each limit is checked before a row is
# read; see spreadsheets/guards.py for what each one bounds.
UPLOAD_LIMITS = {
    "MAX_FILE_BYTES": env_int("YOUTHLEAGUE_UPLOAD_MAX_MB", 50) * 2**20,
    "MAX_PARTS": env_int("YOUTHLEAGUE_UPLOAD_MAX_PARTS", 500),
    "MAX_PART_BYTES": env_int("YOUTHLEAGUE_UPLOAD_MAX_PART_MB", 512) * 2**20,
    "MAX_TOTAL_BYTES": env_int("YOUTHLEAGUE_UPLOAD_MAX_EXPANDED_MB", 640) * 2**20,
    "MAX_RATIO": env_int("YOUTHLEAGUE_UPLOAD_MAX_RATIO", 100),
    "MAX_ROWS": env_int("YOUTHLEAGUE_UPLOAD_MAX_ROWS", 200_000),
}
# Uploaded files go to a temporary file as they arrive, and stop being stored past the size limit.
FILE_UPLOAD_HANDLERS = ["spreadsheets.uploads.BoundedUploadHandler"]
# Uploads larger than this run their dry run and their import in the task worker.
BACKGROUND_IMPORT_BYTES = env_int("YOUTHLEAGUE_BACKGROUND_IMPORT_KB", 1024) * 1024
# A background import still running after this long is reported as stopped (the worker died).
IMPORT_STALLED_AFTER_MINUTES = env_int("YOUTHLEAGUE_IMPORT_STALLED_AFTER_MINUTES", 60)

# Exports larger than this many rows run as background tasks with a progress page.
BACKGROUND_EXPORT_ROWS = env_int("YOUTHLEAGUE_BACKGROUND_EXPORT_ROWS", 50_000)

# E-mail (notifications): SMTP in production, printed to the console in development.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the application is reached at, for links in e-mails.
SITE_URL = env("DJANGO_SITE_URL", "http://localhost:8000")

# Domain rules of the membership work; one place, so that no module repeats them.
YOUTHLEAGUE = {
    # Members who joined on or after this date are "new members" (新发展团员).
    "NEW_MEMBER_SINCE": date(2017, 1, 1),
    # Members who joined on or after this date must be entered within ENTRY_DEADLINE_MONTHS.
    "ENTRY_DEADLINE_SINCE": date(2019, 1, 1),
    "ENTRY_DEADLINE_MONTHS": 1,
    # Development numbers carry the join year; numbers of these years may be used for either.
    "INTERCHANGEABLE_NUMBER_YEARS": ((2017, 2018),),
    # A moved member who has not reported this many days after the move is overdue.
    "MOVE_OVERDUE_DAYS": env_int("DJANGO_MOVE_OVERDUE_DAYS", 30),
    # A move into an organisation of the system left unanswered this many days after it was
    # sent expires on both sides (and counts as overdue).
    "MOVE_EXPIRY_DAYS": env_int("DJANGO_MOVE_EXPIRY_DAYS", 90),
    # Terms of cadres ending within this many days are listed for re-election (换届提醒).
    "CADRE_TERM_WARNING_DAYS": 90,
    # A number taken with the entry form's button is held this long for that form, then freed.
    "NUMBER_RESERVATION_MINUTES": env_int("YOUTHLEAGUE_NUMBER_RESERVATION_MINUTES", 60),
    # Annual statistics: a figure that fell by more than this share of last year's frozen figure
    # needs a written explanation (情况说明).
    "STATISTICS_DECLINE_THRESHOLD": 0.05,
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
