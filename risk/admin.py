"""Administrators edit the risk tools (bands, wording, which tools are offered) as
reference data. Assessments, incidents and exhibits are casework and never registered."""

from django.contrib import admin

from stalkingservice.admin import AdministratorOnlyMixin

from .models.tools import RiskTool, RiskToolItem


class RiskToolItemInline(AdministratorOnlyMixin, admin.TabularInline):
    model = RiskToolItem
    extra = 0


@admin.register(RiskTool)
class RiskToolAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "code", "version", "scoring", "medium_from", "high_from", "active")
    list_filter = ("scoring", "active")
    inlines = [RiskToolItemInline]
