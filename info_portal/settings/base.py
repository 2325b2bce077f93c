"""Settings shared by every environment; each value comes from the environment where it varies."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-key-only-for-the-embedded-setup")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "import_export",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "info_portal",
    "jobs",
    "organizations",
    "accounts",
    "notifications",
    "sectors",
    "certification",
    "deadlines",
    "dashboards",
    "home",
    "api",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "info_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "info_portal.middleware.ControlCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view is private unless marked @login_not_required (login, invitation, about, health, language).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.ForcedPasswordChangeMiddleware",
    # Axes must come last so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "info_portal.urls"
WSGI_APPLICATION = "info_portal.wsgi.application"
ASGI_APPLICATION = "info_portal.asgi.application"

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
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread",
                "deadlines.context_processors.deadline",
            ],
            "builtins": ["info_portal.templatetags.thai"],
        },
    },
]

# Only the portal's own files run or style a page: no inline script, style or event handler, no CDN, no frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}

# The embedded default is a SQLite file in the repository; production passes a PostgreSQL URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A streaming replica, when there is one, serves the dashboards' and exports' reads (info_portal.db_router).
# In tests it mirrors the default database: a physical replica already holds the test database the
# primary creates, so Django must not try to create it there.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    # A restarted replica must cost a reconnect, not an error, when connections are kept open.
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["replica"]["ENGINE"]:
        # An unreachable replica is given up on quickly; its reads go to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
# PostgreSQL binds parameters on the server, so psycopg prepares a query the fifth time a connection sends it: the
# planner then works once per query and connection instead of on every request (2-4 ms of the database's CPU for
# each query of the sector page). Behind a pooler in transaction mode, set DATABASE_SERVER_SIDE_BINDING=false.
for _database in DATABASES.values():
    if "postgresql" in _database["ENGINE"] and env.bool("DATABASE_SERVER_SIDE_BINDING", default=True):
        _database.setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
DATABASE_ROUTERS = ["info_portal.db_router.ReplicaRouter"]
# Replica reads fall back to the primary while the replica lags by more than this, or is unreachable.
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=30.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# SQLite serves several requests at once only with a write-ahead log (readers never block the writer), transactions
# that take the write lock when they begin (a reader cannot fail to upgrade later) and a wait for that lock.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database.setdefault("OPTIONS", {}).update({
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        })

# One cache for every web and worker process in production (Redis, e.g. redis://redis:6379/2); the embedded
# set-up keeps it in each process's memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "info_portal.cache.PortalRedisCache"  # Django's, without a client per call

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PortalModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id first (accounts/hashers.py); the others only check older hashes, which are upgraded at sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("INVITATION_TIMEOUT_SECONDS", default=7 * 24 * 3600)

# Idle sessions end after this long untouched. Their expiry is renewed by accounts.middleware at most once per
# SESSION_IDLE_REFRESH_SECONDS, not on every request: an idle session ends after SESSION_COOKIE_AGE at most.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# A lockout holds one username from one address: an attacker elsewhere cannot lock a known user out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The number of reverse proxies in front of the portal that append to X-Forwarded-For (1 for the documented nginx);
# 0 trusts no header. The address comes from accounts.client_ip, never from a header a client can forge.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.lockout"
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="INFO อปท.")
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Guardian: no anonymous user row; permissions are granted to real accounts only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_404 = False

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# Uploaded files: small enough to refuse a zip bomb's envelope before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)

# E-mail: the console by default, SMTP (or any backend) by URL, e.g. smtp+tls://user:pass@host:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="INFO <no-reply@info.localhost>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: without a broker URL, tasks run in-process, through the same code paths.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Background jobs write in chunks of this many items, each chunk in its own transaction and safe to write twice.
JOB_CHUNK_SIZE = env.int("JOB_CHUNK_SIZE", default=1000)

# The read API (api/): keys only, per-key throttling, OpenAPI 3 schema from drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AgencyKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.HasAgencyKey"],
    "DEFAULT_THROTTLE_CLASSES": ["api.authentication.AgencyKeyThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_KEY_THROTTLE_RATE = env("API_KEY_THROTTLE_RATE", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "INFO portal API",
    "DESCRIPTION": "Certified data of Thailand's Local Administrative Organizations: the registry, the catalogue, "
                   "certified values with their seals, completion of reports and aggregates by area. "
                   "Every request carries `Authorization: Api-Key <key>`.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.error_responses"],
    "ENUM_NAME_OVERRIDES": {"LAOTypeEnum": "organizations.models.LAOType"},
}
# Open data (opendata/): a figure over fewer LAOs than this is suppressed; the licence and publisher of the datasets.
OPEN_DATA_MIN_LAOS = env.int("OPEN_DATA_MIN_LAOS", default=5)
OPEN_DATA_LICENCE_NAME = env("OPEN_DATA_LICENCE_NAME", default="Creative Commons Attribution 4.0 (CC BY 4.0)")
OPEN_DATA_LICENCE_URL = env("OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_PUBLISHER = env("OPEN_DATA_PUBLISHER", default="กรมส่งเสริมการปกครองท้องถิ่น")
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
