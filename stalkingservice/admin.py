"""The Django admin is the administrators' tool for accounts and reference data only.
Casework models are never registered here: administrators do not read casework."""

from collections import Counter

from django import forms
from django.contrib import admin, messages
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


class AccountChangeForm(forms.ModelForm):
    """An account as an administrator edits it. There is no password here, nor a link to a
    form that sets one: an administrator sends the owner a one-time link instead (the
    "Send a link to choose a password" action). The last-administrator and one-pending-
    role-change rules show as form errors instead of failing on save."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "job_title", "role", "is_active")

    def _post_clean(self):
        super()._post_clean()
        from .services import last_administrator_guard, role_change_pending_guard

        try:
            if "role" in self.changed_data:
                role_change_pending_guard(user=self.instance)
            last_administrator_guard(user=self.instance)
        except ValidationError as error:
            self.add_error("role" if "role" in self.fields else None, error)


class AccountCreationForm(forms.ModelForm):
    """A new account: no password is set by the administrator. Its owner is emailed a
    one-time link to choose their own; a manager or administrator role waits for a second
    person's approval."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "job_title", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = (
            "Their work address: the link to choose a password goes there, and only there."
        )


ROLE_HELP = (
    "A change to Service manager or System administrator is not made at once: it waits for "
    "another manager or administrator to approve it (Role changes)."
)


@admin.register(User)
class UserAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    """Accounts. Not Django's UserAdmin: that one has a page to set any user's password,
    which administrators must not have (issue 13, point 5)."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Access", {"fields": ("role", "is_active"), "description": ROLE_HELP}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Access", {"fields": ("role",), "description": ROLE_HELP}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["send_password_link"]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        from .services import user_account_save

        wanted = form.cleaned_data.get("role")
        user_account_save(user=obj, by=request.user, request=request)
        if wanted and obj.role != wanted:
            self.message_user(
                request,
                f"{obj.username} stays {obj.get_role_display()}"
                f"{'' if obj.is_active else ' (unable to sign in)'} until another manager or "
                f"administrator approves the change to {Role(wanted).label} (Role changes).",
                messages.WARNING,
            )
        if not change and obj.email:
            self.message_user(
                request, f"{obj.username} was emailed a one-time link to choose a password."
            )

    @admin.action(description="Send a link to choose a password (emailed to the owner only)")
    def send_password_link(self, request, queryset):
        from .domain import DomainError
        from .services import user_password_reset_send

        for user in queryset:
            try:
                user_password_reset_send(user=user, by=request.user, request=request)
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request, f"{user.username} was emailed a one-time link to choose a password."
                )


@admin.register(District)
class DistrictAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "code", "police_team", "valid_from", "valid_to")


# What administrators see of the audit: ids and actions. Never the page or the detail
# (free text: a break-glass reason, a username typed at sign-in, names in a summary), and
# nothing to search or filter by but the action, so the audit cannot be used to find out
# about a client by name (issue 13, point 5). Managers read the whole trail (audit_log).
AUDIT_ADMIN_FIELDS = ("id", "at", "staff_id", "action", "account_id_shown", "case_number")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit cannot be edited or deleted through the application."""

    list_display = AUDIT_ADMIN_FIELDS
    list_display_links = ("id",)
    fields = AUDIT_ADMIN_FIELDS
    readonly_fields = AUDIT_ADMIN_FIELDS
    list_filter = ("action",)
    search_fields = ()
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="Staff id")
    def staff_id(self, obj):
        return obj.user_id

    @admin.display(description="Account id")
    def account_id_shown(self, obj):
        return obj.account_id

    @admin.display(description="Case id")
    def case_number(self, obj):
        return obj.case_id

    def lookup_allowed(self, lookup, value, request=None):
        # Django allows any lookup on a local field in the address (?detail__icontains=):
        # here only the action filter.
        return lookup in ("action", "action__exact")

    def get_search_results(self, request, queryset, search_term):
        return queryset, False

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
