from django import forms

from .forms import BaseForm
from .models import AuditEvent, RoleChangeRequest, User
from .roles import Capability


class AuditFilterForm(BaseForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.all(), required=False, label="Member of staff"
    )
    case = forms.IntegerField(required=False, label="Case number (internal id)", min_value=1)
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditEvent.Action.choices], required=False
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )


def audit_events_filtered(*, user, params):
    """The audit trail as managers may search it: by user, case and date."""
    if not user.can(Capability.VIEW_AUDIT):
        return AuditEvent.objects.none(), AuditFilterForm()
    form = AuditFilterForm(params or None)
    qs = AuditEvent.objects.select_related("user")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            qs = qs.filter(user=data["user"])
        if data.get("case"):
            qs = qs.filter(case_id=data["case"])
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
    return qs, form


def user_get(*, pk: int) -> User:
    """An account, for administrators' account actions (404 when there is none)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(User, pk=pk)


def accounts_overview() -> dict:
    """What an administrator needs on their home page: every account with its role, last
    sign-in, whether it has two-factor set up and whether it is locked out now."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Count, Exists, OuterRef
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .roles import Role

    locked_since = timezone.now() - settings.AXES_COOLOFF_TIME
    # django-axes keys its lock-outs by the username tried, not by a foreign key.
    lockouts = AccessAttempt.objects.filter(
        username=OuterRef("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=locked_since,
    )
    accounts = list(
        User.objects.annotate(
            has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            is_locked=Exists(lockouts),
        ).order_by("role", "username")
    )
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {
        "accounts": accounts,
        "role_changes_pending": RoleChangeRequest.objects.filter(
            status=RoleChangeRequest.Status.PENDING
        ).count(),
        "active_by_role": [(label, counts.get(value, 0)) for value, label in Role.choices],
        "recent_failed_sign_ins": list(
            AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).only(
                "at", "username", "ip_address"
            )[:10]
        ),
    }


def admin_reference_data(*, request) -> list[dict]:
    """The models administrators may manage in the admin, by app, for their home page."""
    from django.contrib import admin

    return admin.site.get_app_list(request)


def role_changes_pending():
    """Changes of role waiting for a second person's approval, oldest first."""
    return (
        RoleChangeRequest.objects.filter(status=RoleChangeRequest.Status.PENDING)
        .select_related("user", "requested_by")
        .order_by("requested_at", "id")
    )


def role_changes_decided(*, limit: int = 20):
    """The latest decided changes of role, newest first."""
    return (
        RoleChangeRequest.objects.exclude(status=RoleChangeRequest.Status.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def role_change_get(*, pk: int) -> RoleChangeRequest:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(RoleChangeRequest.objects.select_related("user"), pk=pk)
