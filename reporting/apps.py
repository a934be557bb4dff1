from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Performance reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The one place the built-in indicators are registered: the registry itself
        # imports no indicator module, so the two cannot form an import loop.
        from . import indicators  # noqa: F401
