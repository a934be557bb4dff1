"""Writes for accounts: sign-out everywhere, account saves (with the role change audited),
unlocking a locked account. Keyword-only, atomic, audited."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import audit_record
from .domain import DomainError
from .models import AuditEvent, User
from .roles import Role


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> User:
    """End every session this user has, on every device."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    return user


@transaction.atomic
def user_account_save(*, user: User, by: User, request=None) -> User:
    """Save an account an administrator has created or edited. Only administrators get
    `is_staff` (the admin site); a new role, or a new account's role, is audited."""
    old_role = (
        User.objects.filter(pk=user.pk).values_list("role", flat=True).first() if user.pk else None
    )
    last_administrator_guard(user=user)
    user.is_staff = user.role == Role.ADMINISTRATOR
    user.save()
    if old_role != user.role:
        before = Role(old_role).label if old_role else "new account"
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGE,
            user=by,
            request=request,
            detail=f"{user.username}: {before} -> {user.get_role_display()}",
        )
    return user


def last_administrator_guard(*, user: User) -> None:
    """Refuse a change that would leave the service with no active administrator: nobody
    could then manage accounts, unlock a locked-out worker or reset their two-factor."""
    if user.role == Role.ADMINISTRATOR and user.is_active:
        return
    if not user.pk:
        return
    was_active_admin = User.objects.filter(
        pk=user.pk, role=Role.ADMINISTRATOR, is_active=True
    ).exists()
    others = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exclude(pk=user.pk)
    if was_active_admin and not others.exists():
        raise ValidationError(
            f"{user.username} is the only active administrator. Give another account the "
            "administrator role first, so someone can still manage accounts."
        )


@transaction.atomic
def user_role_change(*, user: User, role: str, by: User, request=None) -> User:
    """Give an existing account another role (audited)."""
    user.role = Role(role)
    return user_account_save(user=user, by=by, request=request)


@transaction.atomic
def user_two_factor_reset(*, user: User, by: User, request=None) -> int:
    """For a worker who has lost the phone their authenticator app was on: remove their
    two-factor devices and end their sessions everywhere, so the next sign-in (password
    first) asks them to set up two-factor again. Returns how many devices went."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    user_sign_out_everywhere(user=user)
    audit_record(
        action=AuditEvent.Action.TWO_FACTOR_RESET,
        user=by,
        request=request,
        detail=f"Reset two-factor for {user.username} ({removed} device(s) removed)",
    )
    return removed


TWO_FACTOR_CODE_WRONG = "That code is not right. Codes change every 30 seconds: try the newest one"


@transaction.atomic
def user_two_factor_enrol(*, user: User, device, token: str):
    """Save the authenticator `device` (unsaved, its secret made for this enrolment and
    kept only in the enrolling session) once `token` proves the app holds that secret.

    Nothing is stored before the code is right, so an enrolment cannot be pre-empted: no
    half-made device waits in the database for someone else's app to claim. The account
    row is locked so two sessions cannot both enrol; leftover unconfirmed devices (made by
    older versions of this page) go."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User.objects.select_for_update().filter(pk=user.pk).first()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise DomainError("Two-factor authentication is already set up for this account.")
    try:
        code = int(token)
    except (TypeError, ValueError):
        raise DomainError(TWO_FACTOR_CODE_WRONG, field="token") from None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(code, device.tolerance):
        raise DomainError(TWO_FACTOR_CODE_WRONG, field="token")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device.user = user
    device.confirmed = True
    device.last_t = totp.t()  # the code just used cannot be replayed at the next step
    device.save()
    return device


@transaction.atomic
def user_unlock(*, user: User, by: User, request=None) -> int:
    """Lift a sign-in lock-out before it runs out; returns how many lock records went."""
    from axes.utils import reset

    removed = reset(username=user.get_username())
    audit_record(
        action=AuditEvent.Action.ACCOUNT_UNLOCK,
        user=by,
        request=request,
        detail=f"Unlocked {user.username} after failed sign-ins",
    )
    return removed


def broker_status() -> str:
    """'ok' when the Redis broker answers a ping within two seconds, else 'unavailable'."""
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        return "unavailable"
    return "ok"
