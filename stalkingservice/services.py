"""Writes for accounts: sign-out everywhere, account saves (a role of manager or
administrator only with a second person's approval), password links and password sets,
two-factor resets, unlocking a locked account. Keyword-only, atomic, audited; the
account's owner is told of every change to their account."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .account_mail import account_notice, password_link
from .audit import audit_record
from .domain import DomainError
from .models import AuditEvent, RoleChangeRequest, User
from .roles import ROLES_NEEDING_APPROVAL, Capability, Role, has_capability


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> User:
    """End every session this user has, on every device."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    return user


@transaction.atomic
def user_account_save(*, user: User, by: User, request=None) -> User:
    """Save an account an administrator has created or edited. Only administrators get
    `is_staff` (the admin site). A role of manager or administrator is not given here: it
    becomes a request that a second person approves (role_change_decide), and the account
    keeps its old role meanwhile (a new account is made unable to sign in until then).
    Any other new role is given at once, audited, and its owner told. A new account gets
    no password from anyone: its owner is emailed a one-time link to choose one."""
    old_role = (
        User.objects.filter(pk=user.pk).values_list("role", flat=True).first() if user.pk else None
    )
    new_account = user.pk is None
    wanted = Role(user.role)
    if old_role is not None and old_role != wanted:
        role_change_pending_guard(user=user)
    last_administrator_guard(user=user)
    held_back = wanted != old_role and wanted in ROLES_NEEDING_APPROVAL
    if held_back:
        if old_role is None:
            user.role = Role.CASEWORKER
            user.is_active = False
        else:
            user.role = old_role
    if new_account:
        user.set_unusable_password()
    user.is_staff = user.role == Role.ADMINISTRATOR
    user.save()
    if held_back:
        _role_change_request_create(
            user=user, from_role=old_role or "", to_role=wanted, by=by, request=request
        )
    elif old_role != user.role:
        before = Role(old_role).label if old_role else "new account"
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGE,
            user=by,
            request=request,
            account=user,
            detail=f"{user.username}: {before} -> {user.get_role_display()}",
        )
        if not new_account:
            account_notice(
                user=user,
                subject="your role has changed",
                text=f"Your role is now {user.get_role_display()} (it was {before}).",
            )
    if new_account and user.email:
        _password_link_send(user=user, by=by, request=request, new_account=True)
    return user


def role_change_pending_guard(*, user: User) -> None:
    """One change of role at a time: while one waits for approval, no other is made."""
    if (
        user.pk
        and RoleChangeRequest.objects.filter(
            user_id=user.pk, status=RoleChangeRequest.Status.PENDING
        ).exists()
    ):
        raise ValidationError(
            f"A change of role for {user.username} is already waiting for approval. It must "
            "be approved or rejected before another change of role."
        )


def _role_change_request_create(
    *, user: User, from_role: str, to_role: str, by: User, request=None
) -> RoleChangeRequest:
    change = RoleChangeRequest.objects.create(
        user=user, from_role=from_role, to_role=to_role, requested_by=by
    )
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGE_REQUESTED,
        user=by,
        request=request,
        account=user,
        detail=(
            f"{user.username}: {change.get_from_role_label()} -> {change.get_to_role_display()}"
            f" (request #{change.pk}, waiting for a second person to approve)"
        ),
    )
    account_notice(
        user=user,
        subject="a change to your role has been asked for",
        text=(
            f"{by.get_username()} has asked for your role to become "
            f"{change.get_to_role_display()}. It takes effect only when another manager or "
            "administrator approves it."
        ),
    )
    return change


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
    """Give an existing account another role (audited). Manager and administrator are
    only asked for here: see user_account_save."""
    user.role = Role(role)
    return user_account_save(user=user, by=by, request=request)


@transaction.atomic
def role_change_decide(
    *, change: RoleChangeRequest, by: User, approve: bool, request=None
) -> RoleChangeRequest:
    """Approve or reject a waiting change of role. The second person must be a manager or
    administrator who neither asked for the change nor is the account it is for: nobody
    approves their own request or their own promotion. On approval the role is given (and a
    new account may sign in); either way the decision is audited and the owner told."""
    change = RoleChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not has_capability(by, Capability.APPROVE_ROLE_CHANGES):
        raise DomainError("Only a manager or an administrator can decide a change of role.")
    if change.status != RoleChangeRequest.Status.PENDING:
        raise DomainError(f"This change of role was already {change.get_status_display().lower()}.")
    if approve and change.requested_by_id == by.pk:
        raise DomainError(
            "You asked for this change of role, so you cannot approve it: another manager or "
            "administrator must."
        )
    if change.user_id == by.pk:
        raise DomainError(
            "This change is to your own role: another manager or administrator must decide it."
        )
    user = User.objects.select_for_update().get(pk=change.user_id)
    change.status = (
        RoleChangeRequest.Status.APPROVED if approve else RoleChangeRequest.Status.REJECTED
    )
    change.decided_by = by
    change.decided_at = timezone.now()
    if approve:
        if change.from_role and user.role != change.from_role:
            raise DomainError(
                f"{user.username}'s role has changed since this was asked for. Reject it and "
                "ask again if the change is still wanted."
            )
        user.role = Role(change.to_role)
        if change.is_new_account:
            user.is_active = True
        try:
            last_administrator_guard(user=user)
        except ValidationError as error:
            raise DomainError(error.messages[0]) from None
        user.is_staff = user.role == Role.ADMINISTRATOR
        user.save(update_fields=["role", "is_active", "is_staff"])
    change.save(update_fields=["status", "decided_by", "decided_at"])
    summary = f"{change.get_from_role_label()} -> {change.get_to_role_display()}"
    audit_record(
        action=(
            AuditEvent.Action.ROLE_CHANGE_APPROVED
            if approve
            else AuditEvent.Action.ROLE_CHANGE_REJECTED
        ),
        user=by,
        request=request,
        account=user,
        detail=(
            f"{user.username}: {summary} (request #{change.pk} by "
            f"{change.requested_by.username if change.requested_by else 'a deleted account'})"
        ),
    )
    account_notice(
        user=user,
        subject="your role has changed" if approve else "a change to your role was rejected",
        text=(
            f"Your role is now {user.get_role_display()}."
            if approve
            else f"The request to make your role {change.get_to_role_display()} was rejected."
        ),
    )
    return change


def _base_url(request) -> str:
    return request.build_absolute_uri("/") if request is not None else settings.SITE_URL


def _password_link_send(*, user: User, by: User, request, new_account: bool) -> None:
    audit_record(
        action=AuditEvent.Action.PASSWORD_RESET_SENT,
        user=by,
        request=request,
        account=user,
        detail=f"Emailed {user.username} a one-time link to choose a password",
    )
    password_link(user=user, base_url=_base_url(request), new_account=new_account)


@transaction.atomic
def user_password_reset_send(*, user: User, by: User, request=None) -> User:
    """Email the account's owner a one-time link to choose a new password. Nobody else
    sees the link, so an administrator can help a worker who forgot their password without
    ever knowing (or choosing) it."""
    if not user.email:
        raise DomainError(
            f"{user.username} has no email address. Add theirs to the account first: the "
            "link goes only to them."
        )
    if not user.is_active:
        raise DomainError(f"{user.username}'s account is deactivated.")
    _password_link_send(user=user, by=by, request=request, new_account=False)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, request=None, how: str) -> User:
    """The owner sets their own password (`how`: "changed" from their account page, or
    "reset" through an emailed link). Every other session of theirs ends (the session hash
    covers the password); audited and the owner told."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action=AuditEvent.Action.PASSWORD_SET,
        user=user,
        request=request,
        account=user,
        detail=f"{user.username} set their password ({how})",
    )
    account_notice(
        user=user,
        subject="your password has changed",
        text="The password for your account was just changed.",
    )
    return user


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
        account=user,
        detail=f"Reset two-factor for {user.username} ({removed} device(s) removed)",
    )
    account_notice(
        user=user,
        subject="your two-factor sign-in was reset",
        text=(
            f"{by.get_username()} reset the two-factor authentication on your account and "
            "signed you out everywhere. You will set up your authenticator app again when "
            "you next sign in."
        ),
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
