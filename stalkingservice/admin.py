"""The Django admin is the administrators' tool for accounts and reference data only.
Casework models are never registered here: administrators do not read casework."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from .models import AuditEvent, District, User
from .roles import Role


class AdministratorOnlyMixin:
    """Administrators get full rights on these models whatever their Django permissions."""

    def has_module_permission(self, request):
        return request.user.role == Role.ADMINISTRATOR

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: request.user.role == Role.ADMINISTRATOR
    )

    def has_delete_permission(self, request, obj=None):
        return request.user.role == Role.ADMINISTRATOR


class AccountChangeForm(UserChangeForm):
    """Shows the last-administrator rule as a form error instead of failing on save."""

    def _post_clean(self):
        super()._post_clean()
        from .services import last_administrator_guard

        try:
            last_administrator_guard(user=self.instance)
        except ValidationError as error:
            self.add_error("role" if "role" in self.fields else None, error)


@admin.register(User)
class UserAdmin(AdministratorOnlyMixin, DjangoUserAdmin):
    form = AccountChangeForm
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        from .services import user_account_save

        user_account_save(user=obj, by=request.user, request=request)


@admin.register(District)
class DistrictAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "code", "police_team", "valid_from", "valid_to")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit cannot be edited or deleted through the application."""

    list_display = ("at", "username", "action", "case_id", "page")
    list_filter = ("action",)

    def has_module_permission(self, request):
        return request.user.role == Role.ADMINISTRATOR

    def has_view_permission(self, request, obj=None):
        return request.user.role == Role.ADMINISTRATOR

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
