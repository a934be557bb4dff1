"""Referral reference data for administrators. Referrals themselves are casework and are
never registered here."""

from django.contrib import admin

from stalkingservice.admin import AdministratorOnlyMixin

from .models import DeclineReason, ReferralSource


class ReferenceItemAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    list_display = ("label", "code", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active",)
    search_fields = ("label", "code")

    def has_delete_permission(self, request, obj=None):
        # Past referrals and returns point at these: retire an item (untick active) instead.
        return False


admin.site.register(ReferralSource, ReferenceItemAdmin)
admin.site.register(DeclineReason, ReferenceItemAdmin)
