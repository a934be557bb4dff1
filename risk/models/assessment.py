"""Risk tools, assessments, MARAC, reviews, incidents and evidence.

Risk tools are data (loaded by a data migration and editable by administrators), not
code: a tool has a code, a version, its items and a scoring rule. Assessments keep the
answers they were given against one version of one tool."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.lifecycle import Case
from cases.statuses import RiskLevel
from referrals.models import Behaviour
from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL

__all__ = [
    "Answer",
    "Exhibit",
    "Incident",
    "MaracReferral",
    "RiskAnswer",
    "RiskAssessment",
    "RiskTool",
    "RiskToolItem",
]


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"


class RiskTool(models.Model):
    """One version of one risk tool. Reference data: administrators may edit the bands."""

    class Scoring(models.TextChoices):
        BANDED = "banded", "Count of yes, level from bands"
        COUNT = "count", "Count of yes, level set by the assessor"
        SUMMARY = "summary", "Summary record (licensed tool, no items)"
        RECEIVED = "received", "Score received from another agency"

    code = models.SlugField(max_length=30)
    version = models.CharField(max_length=30)
    name = models.CharField(max_length=150)
    scoring = models.CharField(max_length=10, choices=Scoring.choices)
    description = models.TextField(blank=True)
    medium_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Lowest score that is medium risk (banded tools)"
    )
    high_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Lowest score that is high risk (banded tools)"
    )
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True, help_text="Offered for new assessments")

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="risktool_code_version")
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"

    @property
    def has_items(self) -> bool:
        return self.scoring in (self.Scoring.BANDED, self.Scoring.COUNT)

    def level_for_score(self, score: int | None) -> str:
        """The level a banded tool gives a score; "" when the tool has no bands."""
        if score is None or self.medium_from is None or self.high_from is None:
            return ""
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD


class RiskToolItem(models.Model):
    tool = models.ForeignKey(RiskTool, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    prompt = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["tool", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="risktoolitem_tool_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.prompt}"


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


class Incident(VersionedModel):
    """One occasion in the course of conduct (DOMAIN 5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField("Date and time")
    place = models.CharField(max_length=200, blank=True)
    behaviour = models.CharField(max_length=30, choices=Behaviour.choices)
    description = models.TextField("What happened (facts only)")
    channel = models.CharField("Channel or platform", max_length=100, blank=True)
    account_used = models.CharField("Account, number or handle used", max_length=200, blank=True)
    proxy_involved = models.BooleanField("Someone else acted for the suspect", default=False)
    witnesses = models.TextField(blank=True)
    feared_violence = models.BooleanField("Client feared violence", default=False)
    impact = models.TextField("Impact on daily life", blank=True)
    breach_of_order = models.BooleanField("Breach of an order or bail", default=False)
    reported_to_police = models.BooleanField(default=False)
    police_reported_on = models.DateField("Date reported to police", null=True, blank=True)
    police_officer = models.CharField("Officer", max_length=150, blank=True)
    crime_reference = models.CharField(max_length=60, blank=True)
    serious = models.BooleanField("Serious (triggers a risk review)", default=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="incident_case_at"),
            models.Index(fields=["case", "behaviour"], name="incident_case_behaviour"),
        ]

    def __str__(self):
        return f"{self.get_behaviour_display()} on {self.occurred_at:%Y-%m-%d}"


class Exhibit(models.Model):
    """A file kept as evidence (stored outside the web root under a random name) or a
    note of a physical item and where it is held."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exhibits")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="exhibits")
    reference = models.CharField(max_length=20)
    description = models.CharField(max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    physical_item = models.CharField(max_length=300, blank=True)
    held_where = models.CharField("Where the original is held", max_length=300, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="exhibit_case_reference")
        ]

    def __str__(self):
        return self.reference

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)
