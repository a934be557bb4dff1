"""Risk assessments, their answers and MARAC referrals. An assessment keeps the answers
it was given against one version of one tool."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.lifecycle import Case
from cases.statuses import RiskLevel
from stalkingservice.models import VersionedModel

from .tools import Answer, RiskTool, RiskToolItem

User = settings.AUTH_USER_MODEL


class RiskAssessment(VersionedModel):
    """One assessment (or summary record, or received score) on a case."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessed_on = models.DateField(default=timezone.localdate)
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    assessor_level = models.CharField(
        "Level set by the assessor", max_length=10, choices=RiskLevel.choices, blank=True
    )
    judgement_level = models.CharField(
        "Level by professional judgement", max_length=10, choices=RiskLevel.choices, blank=True
    )
    judgement_reason = models.TextField(blank=True)
    final_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    summary_ratings = models.TextField(blank=True)
    received_tool = models.CharField(max_length=10, blank=True)
    received_version = models.CharField(max_length=30, blank=True)
    received_level = models.CharField(max_length=30, blank=True)
    received_from = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)
    # Why the risk is lower than the case's level, when it is: the case keeps its level
    # until a manager signs the lower one off (cases.models.risk_level.RiskDowngrade).
    downgrade_reason = models.TextField("Reason the risk is lower", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["case", "status", "-completed_at"], name="riskassess_case_done"),
        ]

    def __str__(self):
        return f"{self.tool.name} on {self.assessed_on:%Y-%m-%d}"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def raised_by_judgement(self) -> bool:
        return bool(self.judgement_level) and self.judgement_level == self.final_level


class RiskAnswer(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(RiskToolItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="riskanswer_once")
        ]

    def __str__(self):
        return f"{self.item_id}: {self.answer or 'not answered'}"


class MaracReferral(VersionedModel):
    """A referral to the Multi-Agency Risk Assessment Conference and what came of it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="marac_referrals")
    visible_high_risk = models.BooleanField("Visible high risk (DASH 14 or more)", default=False)
    professional_judgement = models.BooleanField(default=False)
    potential_escalation = models.BooleanField(default=False)
    repeat = models.BooleanField("Repeat (incident within 12 months of a referral)", default=False)
    referred_on = models.DateField()
    reason = models.TextField(blank=True)
    meeting_on = models.DateField("MARAC meeting date", null=True, blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    outcome = models.TextField(blank=True)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["case", "-referred_on"], name="marac_case_referred")]

    def __str__(self):
        return f"MARAC referral {self.referred_on:%Y-%m-%d}"

    @property
    def criteria_labels(self) -> list[str]:
        names = ["visible_high_risk", "professional_judgement", "potential_escalation", "repeat"]
        return [
            str(self._meta.get_field(n).verbose_name).capitalize()
            for n in names
            if getattr(self, n)
        ]
