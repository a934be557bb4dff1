from django.apps import AppConfig


class StalkingServiceConfig(AppConfig):
    name = "stalkingservice"
    verbose_name = "Accounts, roles and audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in audit receivers)
