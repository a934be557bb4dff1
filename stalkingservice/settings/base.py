"""Settings shared by every environment. Everything secret or machine-specific comes from
the environment (django-environ); the environment modules only choose defaults."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Which settings module is in force; seed_demo refuses to run where this is "production".
ENVIRONMENT = "base"
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Staffordshire Stalking Advocacy Service"
COMMISSIONER_NAME = "Staffordshire Commissioner (Police, Fire and Crime)"
# The service's own number and email: printed on the client's copy of the safety plan
# ("Who to call") and shown on the public privacy notice. docker-compose refuses to start
# without the phone number.
SERVICE_PHONE = env("SERVICE_PHONE", default="")
SERVICE_EMAIL = env("SERVICE_EMAIL", default="")

INSTALLED_APPS = [
    # django.contrib.admin with a site only administrators can reach (see admin_site.py).
    "stalkingservice.apps.AdministrationConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "stalkingservice",
    "referrals",
    "cases",
    "risk",
    "reporting",
    "dataprotection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stalkingservice.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stalkingservice.middleware.LoginRequiredMiddleware",
    "stalkingservice.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stalkingservice.middleware.SessionAbsoluteLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stalkingservice.urls"
WSGI_APPLICATION = "stalkingservice.wsgi.application"

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
                "stalkingservice.context_processors.service",
            ],
        },
    },
]

# Dev falls back to SQLite in var/ so `make run` works with nothing installed;
# test and production settings insist on PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'dev.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a worker's connection open between requests (a new one per request costs more than
# most of our queries); checked before reuse so a restarted database is not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def postgres_options(database: dict) -> dict:
    """PostgreSQL session settings for every connection. JIT compilation is off: our
    queries are short (a page reads tens of rows), and compiling them cost more than it
    saved (the dashboard took twice as long with JIT on; docs/benchmark.md)."""
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return database


postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "stalkingservice.User"
# Each role's front door ("/"), by role value: the view lives in the app that does that
# work, so the core names it here instead of importing the app.
ROLE_HOME_VIEWS = {
    "caseworker": "cases.views.caseload.staff_home",
    "manager": "cases.views.caseload.staff_home",
    "commissioner": "stalkingservice.views.commissioner_home",
    "administrator": "stalkingservice.views.administrator_home",
}
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A one-time link to choose a password (emailed to the account's owner only) works for a day.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Where links in emails point when no request gives the address (a task, a command).
SITE_URL = env("SITE_URL", default="http://localhost:8000")
# Email to staff about their own accounts (password links, changes to their account).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = SERVICE_EMAIL or "no-reply@localhost"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor authentication (TOTP). On in production; the dev demo leaves it off.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Stalking Advocacy Service"
# Nobody may read a TOTP secret or its QR code back out of the admin (a worker who loses
# their phone is reset from the administrator's home page and enrols again). This also
# refuses those admin pages before they look up the device, so a wrong id is a 403.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Locked by username: staff share an office's NAT address, so locking by IP would lock the
# whole team out after one person's typos. Password spraying is met by the password rules
# and 2FA instead; hence the silenced axes.W006 below.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "stalkingservice.views.locked_out"
AXES_VERBOSE = False

# Sessions end after 30 minutes idle and when the browser closes.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# However active, a session ends this long after sign-in (SessionAbsoluteLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "stalkingservice.errors.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded exhibits and generated returns live outside the web root and are only served
# through permission-checked views.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = None
PROTECTED_FILES_ROOT = MEDIA_ROOT
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# Zip-based uploads (.docx, .odt) are unpacked to check them: a cap on what they unpack to
# and on how many parts they hold, so a small "zip bomb" cannot exhaust memory or CPU.
UPLOAD_ARCHIVE_MAX_SIZE = env.int("UPLOAD_ARCHIVE_MAX_SIZE", default=100 * 1024 * 1024)
UPLOAD_ARCHIVE_MAX_MEMBERS = env.int("UPLOAD_ARCHIVE_MAX_MEMBERS", default=1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = False

MESSAGE_TAGS = {40: "danger"}

# Security headers sent with every response.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "stk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Service rules that are local choices (DOMAIN.md): settings, not code.
FIRST_CONTACT_DUE_WORKING_DAYS = env.int("FIRST_CONTACT_DUE_WORKING_DAYS", default=2)
MINIMUM_CLIENT_AGE = env.int("MINIMUM_CLIENT_AGE", default=16)
# Safe-contact details confirmed longer ago than this are asked again at the next contact.
SAFE_CONTACT_RECONFIRM_DAYS = env.int("SAFE_CONTACT_RECONFIRM_DAYS", default=28)
REVIEW_INTERVAL_DAYS = {"high": 14, "medium": 28, "standard": 56}
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)
# How long the managers' dashboard figures are reused before being worked out again (per
# quarter, shared by every manager; the page says "figures as at"). 0 = always live.
REPORTING_DASHBOARD_CACHE_SECONDS = env.int("REPORTING_DASHBOARD_CACHE_SECONDS", default=60)
SELF_REFERRAL_RATE_LIMIT = env("SELF_REFERRAL_RATE_LIMIT", default="5/h")
# Reverse proxies in front of the app that append to X-Forwarded-For. 0: the app is
# reached directly, REMOTE_ADDR is the client. N: the Nth X-Forwarded-For entry from the
# right is the client (anything further left was sent by the client and is never read).
# The rate limit and the audit trail key on this address (stalkingservice/client_address.py).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
# A self-referral draft (kept, encrypted, in the visitor's session) is thrown away after
# this many minutes without use, so a quick exit whose discard did not arrive still leaves
# nothing for someone else on the device to find for long.
SELF_REFERRAL_DRAFT_MINUTES = env.int("SELF_REFERRAL_DRAFT_MINUTES", default=15)

# Encryption of the most dangerous fields (contact details). Comma-separated Fernet keys,
# newest first; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# ---- Data protection (security area) ---------------------------------------------------
# Retention periods per outcome (DOMAIN 10), as dateutil.relativedelta arguments. A local
# choice: the Commissioner may ask for longer.
RETENTION_PERIODS = {
    "never_taken_up": {"weeks": env.int("RETENTION_NEVER_TAKEN_UP_WEEKS", default=6)},
    "never_contacted": {"months": env.int("RETENTION_NEVER_CONTACTED_MONTHS", default=6)},
    "supported": {"years": env.int("RETENTION_SUPPORTED_YEARS", default=6)},
}
# Keyed hashes (blind indexes) of phone numbers and emails. Set it in production so the
# indexes do not depend on the encryption keys (see README, key rotation).
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="")
# Referrals and triage (intake area): where domestic-abuse related referrals are usually
# signposted or handed over (a local choice, proposed to the triager, who may change it).
DOMESTIC_ABUSE_SIGNPOST_TO = env(
    "DOMESTIC_ABUSE_SIGNPOST_TO", default="Local domestic-abuse (IDVA) service"
)

# Risk assessment, MARAC and incident log (risk/assessment area). Local choices (DOMAIN 4).
MARAC_ESCALATION_INCIDENTS = env.int("MARAC_ESCALATION_INCIDENTS", default=3)
MARAC_ESCALATION_MONTHS = env.int("MARAC_ESCALATION_MONTHS", default=12)
MARAC_REPEAT_MONTHS = env.int("MARAC_REPEAT_MONTHS", default=12)
RISK_REVIEW_AFTER_SERIOUS_INCIDENT_DAYS = env.int(
    "RISK_REVIEW_AFTER_SERIOUS_INCIDENT_DAYS", default=2
)
# Reporting (quarterly returns): the unread-notification badge in the header.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("reporting.context_processors.notifications")
