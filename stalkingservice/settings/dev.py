"""Local development: works with nothing but Python (SQLite, Celery eager, no 2FA)."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

ENVIRONMENT = "development"

# seed_demo (run by `make run`) and the benchmark: development only, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only here: dev data is synthetic and never leaves the machine.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")  # noqa: S105
# An Ofcom drama number: never a real line.
SERVICE_PHONE = env("SERVICE_PHONE", default="01632 960001")
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["Ia1cFNOr0ZQ2KxcSPOw8pQ4-lTbHx7zh1Go8bRW3X1I="]
)
# Emails (password links, account notices) are printed on the console unless EMAIL_URL says.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
