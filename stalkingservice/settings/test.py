"""Test settings: PostgreSQL and Redis from the environment (as in CI); fast hashing."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env, postgres_options

ENVIRONMENT = "test"

# The demo app is tested like the rest; production settings leave it out.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# Tests run on PostgreSQL, as production does (the local default matches CI and dev boxes).
DATABASES = {  # noqa: F811
    "default": postgres_options(
        env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/stalkingservice")
    )
}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Browser tests drive a live server from Playwright's event-loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SECRET_KEY = env("SECRET_KEY", default="test-only-key")  # noqa: S105
# An Ofcom drama number: never a real line.
SERVICE_PHONE = env("SERVICE_PHONE", default="01632 960001")
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["Ia1cFNOr0ZQ2KxcSPOw8pQ4-lTbHx7zh1Go8bRW3X1I="]
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests call tasks eagerly unless a test starts a real worker (which sets this to false).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PROTECTED_FILES_ROOT = MEDIA_ROOT
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change data and look at the dashboard at once; the cache has its own test.
REPORTING_DASHBOARD_CACHE_SECONDS = 0
AXES_ENABLED = True
REQUIRE_2FA = False
# The live server (browser tests) wraps the app in a media handler that needs MEDIA_URL to
# be a string; None (production: media is never served directly) breaks every request.
MEDIA_URL = "/test-media/"
