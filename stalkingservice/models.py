from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .roles import Role, has_capability


class VersionedModel(models.Model):
    """A row edited through a form carries the version it was read at; a save from a
    stale version is refused by the service (see stalkingservice.domain.check_version)."""

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ReferenceItem(models.Model):
    """Editable reference data: a code, a label, an order and whether it is still offered."""

    code = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class UserManager(DjangoUserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` makes the first administrator: the role is what grants access.
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff or the Commissioner's office. One role each."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    job_title = models.CharField(max_length=100, blank=True)
    # Bumped by "sign out everywhere": it is part of the session hash, so every existing
    # session of this user stops verifying at once.
    session_epoch = models.PositiveIntegerField(default=0)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "stalkingservice.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        return self._get_session_auth_hash()

    def can(self, capability: str) -> bool:
        return has_capability(self, capability)

    @property
    def is_caseworker(self):
        return self.role == Role.CASEWORKER

    @property
    def is_manager(self):
        return self.role == Role.MANAGER

    @property
    def is_commissioner(self):
        return self.role == Role.COMMISSIONER

    @property
    def is_administrator(self):
        return self.role == Role.ADMINISTRATOR


class AuditEvent(models.Model):
    """Append-only record of sensitive actions: case views, exports, downloads,
    break-glass, sign-ins and role changes. Never edited or deleted by the application."""

    class Action(models.TextChoices):
        CASE_VIEW = "case_view", "Viewed a case"
        BREAK_GLASS = "break_glass", "Break-glass access"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded a file"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        SIGN_OUT = "sign_out", "Signed out"
        ROLE_CHANGE = "role_change", "Role changed"
        ACCOUNT_UNLOCK = "account_unlock", "Account unlocked"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor reset"
        SUBJECT_ACCESS = "subject_access", "Subject access bundle"
        RETENTION = "retention", "Retention action"
        RISK_DOWNGRADE = "risk_downgrade", "Lower risk level decided"
        PASSWORD_RESET_SENT = "password_reset_sent", "Password reset link sent"
        PASSWORD_SET = "password_set", "Password set"
        ROLE_CHANGE_REQUESTED = "role_change_requested", "Role change requested"
        ROLE_CHANGE_APPROVED = "role_change_approved", "Role change approved"
        ROLE_CHANGE_REJECTED = "role_change_rejected", "Role change rejected"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "stalkingservice.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    # The staff account an account action (password, role, two-factor) was done to.
    account = models.ForeignKey(
        "stalkingservice.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A plain id rather than a foreign key: the audit outlives anonymised or deleted cases.
    case_id = models.BigIntegerField(null=True, blank=True)
    page = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case_id", "-at"], name="audit_case_at"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"


class RoleChangeRequest(models.Model):
    """A change of role to manager or administrator (or a new account with one of those
    roles), waiting for a second person to approve it. The role is only given on approval
    (stalkingservice.services.role_change_decide), so one administrator alone cannot make
    anyone, themselves included, a manager."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(
        "stalkingservice.User", on_delete=models.CASCADE, related_name="role_change_requests"
    )
    # Blank for a new account (created unable to sign in until the request is approved).
    from_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    to_role = models.CharField(max_length=20, choices=Role.choices)
    requested_by = models.ForeignKey(
        "stalkingservice.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "stalkingservice.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_role_change_per_user",
            )
        ]

    def __str__(self):
        return f"Role change #{self.pk}"

    @property
    def is_new_account(self) -> bool:
        return not self.from_role

    def get_from_role_label(self) -> str:
        return Role(self.from_role).label if self.from_role else "new account"


class District(models.Model):
    """A local authority area. Reference data with validity dates, because local
    government reorganisation will change the list."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    police_team = models.CharField(max_length=60, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
