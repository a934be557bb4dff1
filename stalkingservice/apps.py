from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StalkingServiceConfig(AppConfig):
    name = "stalkingservice"
    verbose_name = "Accounts, roles and audit"
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self):
        from . import personal_data, signals  # noqa: F401  (declaration check, sign-in audit)


class AdministrationConfig(admin_apps.AdminConfig):
    """django.contrib.admin, but `admin.site` is the administrators-only site."""

    default = False
    default_site = "stalkingservice.admin_site.AdministratorsAdminSite"
