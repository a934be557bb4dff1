"""A lower risk level waiting for a manager: the case keeps its level until one signs off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import PersonalData

from ..statuses import RiskLevel
from .lifecycle import Case

User = settings.AUTH_USER_MODEL


class RiskDowngrade(VersionedModel):
    """A proposal to lower a case's risk level (from an assessment that gave a lower level
    than the case holds), with its reason and a manager's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a manager's sign-off"
        APPROVED = "approved", "Signed off: level lowered"
        REJECTED = "rejected", "Not signed off: level kept"
        SUPERSEDED = "superseded", "Replaced by a later assessment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_downgrades")
    from_level = models.CharField("Level held", max_length=10, choices=RiskLevel.choices)
    proposed_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    reason = models.TextField("Reason for the lower level")
    # What proposed it, for the people reading it ("DASH of 3 December 2026") and a key
    # so the same result is not proposed twice ("risk.assessment:42").
    source = models.CharField(max_length=200, blank=True)
    source_ref = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        erase=("reason", "decision_note"),
        keep=("from_level", "proposed_level", "status", "source_ref"),
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="downgrade_status_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="downgrade_one_pending_per_case",
            )
        ]

    def __str__(self):
        return f"Risk downgrade on case {self.case_id}: {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
