from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    """Retention reviews, anonymisation and subject access: an app on top of the others.
    It reads every app's models (through the personal-data declarations and the model
    walk); no app imports it."""

    name = "dataprotection"
    verbose_name = "Data protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import events  # noqa: F401 - registers the event kinds
