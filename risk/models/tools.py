"""Risk tools are data (loaded by a data migration and editable by administrators), not
code: a tool has a code, a version, its items and a scoring rule. Also the scores received
from another agency (the police's DASH or DARA) as a referral brings them, and the band a
DASH score maps to: referrals imports those from here."""

from django.db import models

from cases.statuses import RISK_ORDER, RiskLevel


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


# DASH: one point per 'yes' to its 27 questions; the usual thresholds (the "police" tool
# loaded by risk's data migration has the same bands).
DASH_MAX_SCORE = 27
DASH_MEDIUM_FROM = 10
DASH_HIGH_FROM = 14


class ReceivedRiskTool(models.TextChoices):
    NONE = "", "No score received"
    DASH = "DASH", "DASH"
    DARA = "DARA", "DARA"
    OTHER = "other", "Other tool"


def received_level(level: str) -> str:
    """A level as a referrer wrote it ("High", "medium") as one of ours, or ""."""
    level = (level or "").strip().lower()
    return level if level in RiskLevel.values else ""


def risk_band_at_intake(*, tool: str, score: int | None, level: str = "") -> str:
    """The band a referral comes in at: the higher of the level the referrer stated and
    the band their DASH score maps to (14 or more 'yes' answers: high; 10 to 13: medium).
    A stated level never lowers the band the score gives, and the reverse."""
    stated = received_level(level)
    computed = ""
    if tool == ReceivedRiskTool.DASH and score is not None:
        if score >= DASH_HIGH_FROM:
            computed = RiskLevel.HIGH
        elif score >= DASH_MEDIUM_FROM:
            computed = RiskLevel.MEDIUM
        else:
            computed = RiskLevel.STANDARD
    return max(stated, computed, key=lambda band: RISK_ORDER[band])
