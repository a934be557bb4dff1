"""Risk scores received from another agency (the police's DASH or DARA), as a referral
brings them, and the band a DASH score maps to. Risk tools and their thresholds are
risk's; referrals imports them (never the reverse)."""

from django.db import models

from cases.statuses import RiskLevel

__all__ = ["DASH_MAX_SCORE", "ReceivedRiskTool", "risk_band_at_intake"]

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


def risk_band_at_intake(*, tool: str, score: int | None, level: str = "") -> str:
    """The band a police risk score maps to. A level the referrer stated wins; a DASH score
    maps by the usual thresholds (14 or more 'yes' answers: high; 10 to 13: medium)."""
    if level in RiskLevel.values:
        return level
    if tool == ReceivedRiskTool.DASH and score is not None:
        if score >= DASH_HIGH_FROM:
            return RiskLevel.HIGH
        if score >= DASH_MEDIUM_FROM:
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD
    return ""
