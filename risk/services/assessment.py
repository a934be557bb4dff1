"""Every write for risk assessments, MARAC referrals and risk reviews. Each function is
atomic and records a case timeline event."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.models.risk_level import RiskDowngrade
from cases.services.lifecycle import case_record_event
from cases.services.risk_level import case_risk_level_set, higher_level
from cases.statuses import RISK_ORDER, RiskLevel
from stalkingservice.domain import (
    UNCHECKED,
    DomainError,
    SubmittedVersion,
    bump_version,
    check_version,
)
from stalkingservice.history import set_history_reason

from .. import events
from ..models.assessment import MaracReferral, RiskAnswer, RiskAssessment
from ..models.incidents import Incident
from ..models.tools import Answer, RiskTool
from ..models.tools import received_level as received_level_as_ours
from .common import FUTURE_DATE

# Messages shared with the tests.

ASSESSMENT_ALREADY_COMPLETE = (
    "This assessment is complete and cannot be changed. Start a new assessment instead."
)
ASSESSMENT_INCOMPLETE = (
    "Saved as a draft. A risk level can only be set when every question is answered; "
    "still to answer: {numbers}."
)
ASSESSOR_LEVEL_REQUIRED = (
    "Select the risk level you have set, with the number of yes answers in view"
)
OVERRIDE_BELOW_COMPUTED = (
    "Professional judgement can raise the risk level but never lower it below the level the "
    "checklist gives ({level})."
)
OVERRIDE_REASON_REQUIRED = "Enter the reason for raising the level by professional judgement"
SUMMARY_RATINGS_REQUIRED = "Enter the summary ratings from the assessment"
RECEIVED_SCORE_REQUIRED = "Enter the score or the level the police sent"
RECEIVED_TOOL_REQUIRED = "Select the tool the police used (DASH or DARA)"
DOWNGRADE_PENDING = (
    "This assessment gives a lower level ({proposed}) than the case holds. The case stays "
    "{held} risk until a manager signs the change off."
)


MARAC_CRITERION_REQUIRED = "Select at least one reason for the MARAC referral"
MEETING_BEFORE_REFERRAL = "The meeting date cannot be before the referral date"


# ---- risk assessments ----------------------------------------------------------------


@dataclass
class AssessmentResult:
    assessment: RiskAssessment
    missing: list[int] = field(default_factory=list)
    # A lower level than the case holds, waiting for a manager's sign-off.
    downgrade: RiskDowngrade | None = None

    @property
    def completed(self) -> bool:
        return self.assessment.is_complete


def _assessed_at(assessed_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    if assessed_on == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(assessed_on, datetime.time(12, 0)))


def _refresh_case_risk(*, case: Case, by, downgrade_reason: str = "") -> RiskDowngrade | None:
    """The case's risk follows the latest completed assessment's final level, except that
    it never drops on its own: a lower level needs a reason and waits for a manager
    (cases.services.risk_level). The level at intake is the higher of the level the case
    came in with (a referrer's) and the first assessment's."""
    # Two completions at once (two tabs) are serialised here, so the second reads the
    # first's result and the level the first left on the case.
    case = Case.objects.select_for_update().get(pk=case.pk)
    latest = (
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.COMPLETE)
        .exclude(final_level="")
        .order_by("-assessed_on", "-completed_at", "-id")
        .first()
    )
    if latest is None:
        return None
    # assessment_save stamps every assessment it completes.
    assert latest.completed_at is not None
    first = (
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.COMPLETE)
        .exclude(final_level="")
        .order_by("assessed_on", "completed_at", "id")
        .first()
    )
    assert first is not None  # the same rows as latest, in the other order
    return case_risk_level_set(
        case=case,
        level=latest.final_level,
        by=by,
        reason=downgrade_reason,
        source=f"{latest.tool.name} of {latest.assessed_on:%-d %B %Y}",
        source_ref=f"risk.assessment:{latest.pk}",
        assessed_at=_assessed_at(latest.assessed_on, latest.completed_at),
        assessed_on=latest.assessed_on,
        intake_level=higher_level(case.risk_level_at_intake, first.final_level),
    )


@transaction.atomic
def assessment_save(
    *,
    case: Case,
    tool: RiskTool,
    by,
    complete: bool,
    assessed_on: datetime.date,
    answers: dict[int, tuple[str, str]] | None = None,
    assessor_level: str = "",
    judgement_level: str = "",
    judgement_reason: str = "",
    summary_ratings: str = "",
    received_tool: str = "",
    received_version: str = "",
    received_score: int | None = None,
    received_level: str = "",
    received_from: str = "",
    notes: str = "",
    downgrade_reason: str = "",
    assessment: RiskAssessment | None = None,
    version: SubmittedVersion = UNCHECKED,
) -> AssessmentResult:
    """Save an assessment. With complete=False, or when questions are unanswered, it is
    kept as a draft with no level. On completion the score gives the computed level,
    professional judgement may only raise it (with a reason), and the case's current
    risk level, review date and intake level follow the latest completed assessment; a
    level lower than the case holds needs `downgrade_reason` and a manager's sign-off
    before the case moves (the whole save is refused without the reason)."""
    if assessed_on > timezone.localdate():
        raise DomainError(FUTURE_DATE, field="assessed_on")
    # Two saves on one case at once (two tabs) run one after the other from here, so the
    # later one is stamped later and reads the earlier one's result and level: each lower
    # result is its own downgrade, the earlier one superseded (the case row is the lock).
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    if assessment is None:
        assessment = RiskAssessment(case=case, tool=tool, assessor=by)
    else:
        if assessment.is_complete:
            raise DomainError(ASSESSMENT_ALREADY_COMPLETE)
        check_version(assessment, version)
        bump_version(assessment)
    assessment.assessed_on = assessed_on
    assessment.notes = notes
    assessment.downgrade_reason = downgrade_reason
    assessment.judgement_reason = judgement_reason
    assessment.summary_ratings = summary_ratings
    assessment.received_tool = received_tool
    assessment.received_version = received_version
    assessment.received_level = received_level
    assessment.received_from = received_from
    missing: list[int] = []

    if tool.has_items:
        items = list(tool.items.all())
        answers = answers or {}
        assessment.score = sum(1 for a, _ in answers.values() if a == Answer.YES)
        missing = [i.number for i in items if not answers.get(i.pk, ("", ""))[0]]
    elif tool.scoring == RiskTool.Scoring.RECEIVED:
        assessment.score = received_score

    if not complete or missing:
        # A draft keeps everything typed but sets no level.
        assessment.status = RiskAssessment.Status.DRAFT
        assessment.computed_level = assessment.final_level = ""
        assessment.assessor_level = assessor_level
        assessment.judgement_level = judgement_level
        set_history_reason(assessment, "Draft saved")
        assessment.save()
        _save_answers(assessment, tool, answers)
        case_record_event(
            case=case,
            kind=events.ASSESSMENT_DRAFT_SAVED,
            by=by,
            summary=f"{tool.name}: draft saved",
            data={"assessment": assessment.pk},
        )
        return AssessmentResult(assessment, missing)

    computed = ""
    if tool.scoring == RiskTool.Scoring.BANDED:
        computed = tool.level_for_score(assessment.score)
    elif tool.scoring == RiskTool.Scoring.COUNT:
        if not assessor_level:
            raise DomainError(ASSESSOR_LEVEL_REQUIRED, field="assessor_level")
    elif tool.scoring == RiskTool.Scoring.SUMMARY:
        if not summary_ratings.strip():
            raise DomainError(SUMMARY_RATINGS_REQUIRED, field="summary_ratings")
    elif tool.scoring == RiskTool.Scoring.RECEIVED:
        if not received_tool:
            raise DomainError(RECEIVED_TOOL_REQUIRED, field="received_tool")
        if received_score is None and not received_level.strip():
            raise DomainError(RECEIVED_SCORE_REQUIRED, field="received_score")
        if received_tool == "DASH":
            # The level the police stated never lowers the band their score gives.
            computed = higher_level(
                tool.level_for_score(received_score), received_level_as_ours(received_level)
            )
    base = computed or assessor_level
    final = base
    if judgement_level and judgement_level != base:
        if RISK_ORDER[judgement_level] < RISK_ORDER[base]:
            raise DomainError(
                OVERRIDE_BELOW_COMPUTED.format(level=RiskLevel(base).label.lower()),
                field="judgement_level",
            )
        if not judgement_reason.strip():
            raise DomainError(OVERRIDE_REASON_REQUIRED, field="judgement_reason")
        final = judgement_level
    else:
        judgement_level = ""

    now = timezone.now()
    assessment.status = RiskAssessment.Status.COMPLETE
    assessment.computed_level = computed
    assessment.assessor_level = assessor_level if not computed else ""
    assessment.judgement_level = judgement_level
    assessment.final_level = final
    assessment.completed_at = now
    set_history_reason(assessment, "Completed")
    assessment.save()
    _save_answers(assessment, tool, answers)
    summary = f"{tool.name}"
    if assessment.score is not None:
        summary += f": score {assessment.score}"
    if final:
        summary += f", {RiskLevel(final).label.lower()} risk"
        if judgement_level:
            summary += " (raised by professional judgement)"
    case_record_event(
        case=case,
        kind=events.ASSESSMENT_COMPLETED,
        by=by,
        summary=summary,
        data={"assessment": assessment.pk, "score": assessment.score, "level": final},
    )
    downgrade = None
    if final:
        downgrade = _refresh_case_risk(case=case, by=by, downgrade_reason=downgrade_reason)
    return AssessmentResult(assessment, [], downgrade)


def _save_answers(assessment, tool, answers) -> None:
    if not tool.has_items or answers is None:
        return
    existing = {a.item_id: a for a in assessment.answers.all()}
    for item in tool.items.all():
        answer, comment = answers.get(item.pk, ("", ""))
        row = existing.get(item.pk)
        if row is None:
            row = RiskAnswer(assessment=assessment, item=item)
        elif row.answer == answer and row.comment == comment:
            continue
        row.answer = answer
        row.comment = comment
        set_history_reason(row, "Answer saved")
        row.save()


# ---- MARAC ---------------------------------------------------------------------------

MARAC_CRITERIA = ("visible_high_risk", "professional_judgement", "potential_escalation", "repeat")


@transaction.atomic
def marac_refer(
    *,
    case: Case,
    referred_on: datetime.date,
    criteria: dict[str, bool],
    reason: str = "",
    meeting_on: datetime.date | None = None,
    by,
) -> MaracReferral:
    """Record a referral to MARAC with the routes that apply."""
    if referred_on > timezone.localdate():
        raise DomainError(FUTURE_DATE, field="referred_on")
    if not any(criteria.get(c) for c in MARAC_CRITERIA):
        raise DomainError(MARAC_CRITERION_REQUIRED, field="visible_high_risk")
    if meeting_on and meeting_on < referred_on:
        raise DomainError(MEETING_BEFORE_REFERRAL, field="meeting_on")
    referral = MaracReferral(
        case=case,
        referred_on=referred_on,
        reason=reason,
        meeting_on=meeting_on,
        referred_by=by,
        **{c: bool(criteria.get(c)) for c in MARAC_CRITERIA},
    )
    set_history_reason(referral, "Referred to MARAC")
    referral.save()
    case_record_event(
        case=case,
        kind=events.MARAC_REFERRED,
        by=by,
        summary="Referred to MARAC: " + ", ".join(referral.criteria_labels).lower(),
        data={"marac": referral.pk},
    )
    return referral


@transaction.atomic
def marac_update(
    *,
    referral: MaracReferral,
    meeting_on: datetime.date | None,
    actions: str,
    outcome: str,
    version: SubmittedVersion = UNCHECKED,
    by,
) -> MaracReferral:
    """Record the meeting date, the actions agreed and the outcome of a referral."""
    check_version(referral, version)
    if meeting_on and meeting_on < referral.referred_on:
        raise DomainError(MEETING_BEFORE_REFERRAL, field="meeting_on")
    referral.meeting_on = meeting_on
    referral.actions = actions
    referral.outcome = outcome
    bump_version(referral)
    set_history_reason(referral, "Meeting, actions or outcome recorded")
    referral.save()
    case_record_event(
        case=referral.case,
        kind=events.MARAC_UPDATED,
        by=by,
        summary="MARAC meeting, actions or outcome recorded",
        data={"marac": referral.pk},
    )
    return referral


# ---- reviews -------------------------------------------------------------------------


def review_after_serious_incident(*, case: Case, incident: Incident, by) -> None:
    """A serious incident brings the case's risk review forward (never pushes it back)."""
    due = timezone.localdate() + datetime.timedelta(
        days=settings.RISK_REVIEW_AFTER_SERIOUS_INCIDENT_DAYS
    )
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.next_review_due is not None and case.next_review_due <= due:
        return
    case.next_review_due = due
    bump_version(case)
    set_history_reason(case, "Risk review after a serious incident")
    case.save()
    case_record_event(
        case=case,
        kind=events.REVIEW_DUE_SET,
        by=by,
        summary=f"Risk review due by {due:%-d %B %Y} after a serious incident",
        data={"incident": incident.pk, "due": due.isoformat()},
    )
