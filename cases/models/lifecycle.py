"""A case from referral to closure: the case itself, its timeline, break-glass access,
the exit plan and the closure requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import ReferenceItem, VersionedModel
from stalkingservice.personal_data import PersonalData

from ..statuses import CaseStatus, RiskLevel
from .client import Client

User = settings.AUTH_USER_MODEL


class ClosureReason(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        pass


class Case(VersionedModel):
    """One episode of support for one client."""

    reference = models.CharField(max_length=20, unique=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    episode = models.PositiveSmallIntegerField(default=1)
    previous_case = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_episode"
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    district = models.ForeignKey(
        "stalkingservice.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    allocated_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="allocated_cases"
    )
    co_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="co_worked_cases"
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Only the allocated workers and managers may open it; no break-glass.",
    )
    restricted_reason = models.CharField(max_length=200, blank=True)
    digital_element = models.BooleanField("Digital or cyber stalking", default=False)

    # Risk: the current level is the latest assessment's final level (set by risk services).
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_level_at_intake = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_assessed_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    # Dates of each step, kept for timeliness and reporting.
    referred_at = models.DateTimeField(default=timezone.now)
    triaged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    first_contact_due = models.DateField(null=True, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    exit_planning_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.ForeignKey(
        ClosureReason, null=True, blank=True, on_delete=models.PROTECT
    )
    closure_summary = models.TextField(blank=True)
    closure_approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    personal_data = PersonalData(
        erase=("closure_summary", "restricted_reason"), keep=("reference",)
    )

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["status", "referred_at"], name="case_status_referred"),
            models.Index(fields=["allocated_to", "status"], name="case_worker_status"),
            models.Index(fields=["co_worker", "status"], name="case_coworker_status"),
            models.Index(fields=["risk_level", "status"], name="case_risk_status"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
            models.Index(fields=["first_contact_due"], name="case_first_contact_due"),
            models.Index(fields=["next_review_due"], name="case_next_review_due"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseEvent(models.Model):
    """A fact on the case timeline and for reports: status changes and every recorded
    piece of work. Written only by services, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)

    # The summary may name people; what happened, and when, stays for the reports.
    personal_data = PersonalData(erase=("summary",), keep=("kind", "from_status", "to_status"))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="event_case_at"),
            models.Index(fields=["kind", "at"], name="event_kind_at"),
        ]

    def __str__(self):
        from ..events import label_for

        return f"{self.case_id} {label_for(self.kind)} {self.at:%Y-%m-%d}"

    @property
    def label(self):
        from ..events import label_for

        return label_for(self.kind)


class BreakGlassGrant(models.Model):
    """A caseworker opened a case that is not theirs, giving a reason (e.g. duty cover).
    Time-limited; logged and shown to managers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry")]

    def __str__(self):
        return f"Break-glass on case {self.case_id} by user {self.user_id}"


# ---- exit and closure ----------------------------------------------------------------


class ExitPlan(VersionedModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="exit_plan")
    readiness = models.TextField("Readiness to end support")
    ongoing_safety = models.TextField("Ongoing safety arrangements")
    who_to_contact = models.TextField("Who to contact after support ends")
    how_to_come_back = models.TextField("How to come back to the service")
    agreed_with_client = models.BooleanField("Agreed with the client", default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    EDITABLE_FIELDS = (
        "readiness",
        "ongoing_safety",
        "who_to_contact",
        "how_to_come_back",
        "agreed_with_client",
    )

    def __str__(self):
        return f"Exit plan for case {self.case_id}"


class ClosureRequest(VersionedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting manager approval"
        APPROVED = "approved", "Approved and closed"
        RETURNED = "returned", "Returned to the caseworker"
        CLOSED = "closed", "Closed (no approval needed)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.ForeignKey(ClosureReason, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("Closing summary")
    approval_needed_because = models.CharField(max_length=200, blank=True)
    carried_over_tasks = models.ManyToManyField("cases.Task", blank=True, related_name="+")
    send_letter = models.BooleanField("Send a closing letter", default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="closure_status_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="closure_one_pending_per_case",
            )
        ]

    def __str__(self):
        return f"Closure of case {self.case_id}: {self.get_status_display()}"


class StatusChange(models.Model):
    """One move of a record through its status table (an investigation, an order): the
    subclass adds the link to the record and the from/to statuses with its choices."""

    changed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status} on {self.changed_on}"
