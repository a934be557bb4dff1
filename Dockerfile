FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
# The whole tree, demo/ included: it is on disk but not installed, as production settings
# leave it out of INSTALLED_APPS (and its faker and psutil are not in requirements.lock).
COPY . .
# Static files are collected with the production storage (hashed names, compressed), so
# the manifest whitenoise needs is in the image. The values below exist only for this
# build step; the real ones come from the environment when the container runs.
RUN DJANGO_SETTINGS_MODULE=stalkingservice.settings.production \
    SECRET_KEY=build-time-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
    ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEYS=Ia1cFNOr0ZQ2KxcSPOw8pQ4-lTbHx7zh1Go8bRW3X1I= \
    python manage.py collectstatic --noinput
RUN useradd --create-home app && mkdir -p /app/var/media && chown -R app /app/var
USER app
ENV DJANGO_SETTINGS_MODULE=stalkingservice.settings.production
EXPOSE 8000
CMD ["gunicorn", "stalkingservice.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
