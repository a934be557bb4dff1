"""The Django admin is the administrators' tool for accounts and reference data only.
Casework models are never registered here: administrators do not read casework."""

from collections import Counter

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

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

    def get_deleted_objects(self, objs, request):
        """Django's delete page lists every row that depends on the one being deleted: for a
        district or a staff account, that is clients by name and cases by reference. Rows
        of models that are not in this admin (casework) are counted here, never named."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        shown = {capfirst(model._meta.verbose_name) for model in self.admin_site._registry}
        hidden = Counter()

        def visible(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    kept.append(visible(item))
                elif str(item).split(":", 1)[0] in shown:
                    kept.append(item)
                else:
                    hidden[str(item).split(":", 1)[0]] += 1
            return [item for item in kept if item != []]

        to_delete = visible(to_delete)
        to_delete += [f"{label}: {n} (not listed)" for label, n in sorted(hidden.items())]
        hidden.clear()
        protected = visible(protected)
        protected += [f"{label}: {n} (not listed)" for label, n in sorted(hidden.items())]
        return to_delete, model_count, perms_needed, protected


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
