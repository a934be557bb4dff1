"""Needs assessments and the care plan: a dated rating per area of need, and goals with
progress notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL


class NeedDomain(models.TextChoices):
    SAFETY = "safety", "Safety"
    HEALTH = "health", "Health and wellbeing"
    COPING = "coping", "Coping with everyday life"
    HOUSING = "housing", "Housing"
    MONEY = "money", "Money"
    WORK = "work", "Work or education"
    CRIMINAL_JUSTICE = "cjs", "Criminal justice"
    DIGITAL = "digital", "Digital safety"
    FAMILY = "family", "Family and children"
    SOCIAL = "social", "Social support"


class NeedRating(models.TextChoices):
    NONE = "none", "No need"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class NeedsAssessment(VersionedModel):
    """A dated needs assessment; the newest is the current picture, older ones are kept."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="needs_assessments"
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_on"], name="needs_case_date")]

    def __str__(self):
        return f"Needs assessment {self.assessed_on:%Y-%m-%d}"


class NeedScore(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(max_length=10, choices=NeedDomain.choices)
    rating = models.CharField(max_length=10, choices=NeedRating.choices)
    comment = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="needscore_unique")
        ]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.get_rating_display()}"


class CareGoal(VersionedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"
        WITHDRAWN = "withdrawn", "No longer wanted"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="care_goals")
    domain = models.CharField("Need", max_length=10, choices=NeedDomain.choices)
    goal = models.CharField(max_length=300)
    planned_interventions = models.TextField(max_length=2000)
    review_on = models.DateField("Review date")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    # What the goal form edits (the service copies these and nothing else).
    EDITABLE_FIELDS = ("domain", "goal", "planned_interventions", "review_on", "status")

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [
            models.Index(fields=["case", "status"], name="caregoal_case_status"),
            models.Index(fields=["status", "review_on"], name="caregoal_status_review"),
        ]

    def __str__(self):
        return self.goal


class GoalProgressNote(models.Model):
    goal = models.ForeignKey(CareGoal, on_delete=models.CASCADE, related_name="progress_notes")
    written_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=4000)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Progress on goal {self.goal_id}"
