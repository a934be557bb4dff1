"""Reference data of advocacy for administrators: the services directory. Casework
(handovers, outcomes, closures...) is never registered here."""

from django.contrib import admin

from stalkingservice.admin import AdministratorOnlyMixin

from .models.handover import ServiceDirectoryEntry


@admin.register(ServiceDirectoryEntry)
class ServiceDirectoryEntryAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    list_display = ("label", "category", "scope", "phone", "accepts_managed_handover", "active")
    list_filter = ("category", "scope", "active")
    search_fields = ("label", "code")
