"""Data-protection bookkeeping: retention reviews and subject access requests.

These models were first made in the `stalkingservice` app and moved here (migration
0001 of this app). Their tables, and the history tables, keep the names they were
created with, so the move changed no table: the names are set explicitly below."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL

__all__ = ["RetentionRule", "RetentionReview", "SubjectAccessRequest"]


class RetentionRule(models.TextChoices):
    NEVER_TAKEN_UP = "never_taken_up", "Referral never taken up"
    NEVER_CONTACTED = "never_contacted", "Never contacted"
    SUPPORTED = "supported", "Supported"


class RetentionReview(models.Model):
    """A client whose records have reached the end of their retention period, listed by
    the weekly job for a manager to approve (anonymise) or hold (keep, with a reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        HELD = "held", "Held"
        ANONYMISED = "anonymised", "Anonymised"

    OPEN_STATUSES = (Status.PENDING, Status.HELD)

    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="retention_reviews"
    )
    rule = models.CharField(max_length=20, choices=RetentionRule.choices)
    due_on = models.DateField(help_text="When the retention period ended.")
    listed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    hold_reason = models.TextField(blank=True)
    history = HistoricalRecords(table_name="stalkingservice_historicalretentionreview")

    class Meta:
        db_table = "stalkingservice_retentionreview"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="retention_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status__in=["pending", "held"]),
                name="retention_one_open_review_per_client",
            )
        ]

    def __str__(self):
        return f"Retention review {self.pk} ({self.get_status_display()})"


class SubjectAccessRequest(models.Model):
    """A client's request for the data held about them. The law gives one calendar
    month to answer (UK GDPR Art. 12(3)); the due date is set from the received date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(table_name="stalkingservice_historicalsubjectaccessrequest")

    class Meta:
        db_table = "stalkingservice_subjectaccessrequest"
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="sar_status_due")]

    def __str__(self):
        return f"Subject access request {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
