"""ASGI entry point (not used by the compose deployment, which runs gunicorn/WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stalkingservice.settings.production")

application = get_asgi_application()
