"""Benchmark settings: production behaviour (DEBUG off, real hashing, Redis cache) on a
local machine without TLS, plus an X-Query-Count response header for the benchmark."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-key-not-for-production")  # noqa: S105
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["Ia1cFNOr0ZQ2KxcSPOw8pQ4-lTbHx7zh1Go8bRW3X1I="]
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MIDDLEWARE = ["stalkingservice.middleware.QueryCountHeaderMiddleware", *MIDDLEWARE]
# The benchmark seeds its databases with seed_demo; production settings leave it out.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
