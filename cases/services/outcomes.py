"""Outcome measures: the client's ratings at entry and at exit."""

import datetime as dt

from django.db import transaction

from stalkingservice.domain import (
    UNCHECKED,
    DomainError,
    SubmittedVersion,
    bump_version,
    check_version,
)
from stalkingservice.updates import save_with_reason

from .. import events
from ..models.lifecycle import Case, ClosureRequest
from ..models.outcomes import EXIT_MEASURES, OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from ..statuses import CaseStatus
from .common import within_case
from .lifecycle import case_record_event

RATING_RANGE = "Ratings are from 1 to 5. Choose 'not asked' or 'declined' if there is no rating."
SATISFACTION_AT_EXIT_ONLY = "Satisfaction is asked at exit only."
EXIT_OUTCOMES_NEED_ENTRY = "Record the entry outcome measures before the exit ones."
EXIT_SAME_DAY_AS_ENTRY = (
    "The exit ratings cannot be taken on the same day as the entry ratings unless the case "
    "is closing (exit planning or a closure requested): they would not show any change."
)


def case_is_closing(case: Case) -> bool:
    """In exit planning, or a closure has been asked for and not yet decided."""
    return (
        case.status == CaseStatus.EXIT_PLANNING
        or case.closure_requests.filter(status=ClosureRequest.Status.REQUESTED).exists()
    )


def _check_not_same_day(case: Case, stage: str, recorded_on: dt.date) -> None:
    """Entry and exit ratings on one day measure no change: refused unless the case is
    closing (a short episode can end the day it began)."""
    other = (
        OutcomeAssessment.Stage.ENTRY
        if stage == OutcomeAssessment.Stage.EXIT
        else OutcomeAssessment.Stage.EXIT
    )
    if case.outcome_assessments.filter(
        stage=other, recorded_on=recorded_on
    ).exists() and not case_is_closing(case):
        raise DomainError(EXIT_SAME_DAY_AS_ENTRY, field="recorded_on")


@transaction.atomic
def outcomes_record(
    *,
    case: Case,
    stage: str,
    answers: dict[str, str],
    recorded_on: dt.date,
    version: SubmittedVersion = UNCHECKED,
    by,
) -> OutcomeAssessment:
    """Save the client's ratings at entry or exit. Each answer is "1".."5", "not_asked",
    "declined" or "not_relevant"; anything else is refused. Recording a stage again
    replaces its answers, unless the page was out of date (`version`)."""
    within_case(case, recorded_on, field="recorded_on")
    measures = EXIT_MEASURES if stage == OutcomeAssessment.Stage.EXIT else EXIT_MEASURES[:-1]
    if stage == OutcomeAssessment.Stage.ENTRY and answers.get(OutcomeMeasure.SATISFACTION):
        raise DomainError(SATISFACTION_AT_EXIT_ONLY, field=OutcomeMeasure.SATISFACTION)
    if (
        stage == OutcomeAssessment.Stage.EXIT
        and not case.outcome_assessments.filter(stage=OutcomeAssessment.Stage.ENTRY).exists()
    ):
        raise DomainError(EXIT_OUTCOMES_NEED_ENTRY)
    _check_not_same_day(case, stage, recorded_on)
    rows: list[tuple[str, str, int | None]] = []
    for measure in measures:
        raw = str(answers.get(measure, OutcomeAnswer.Response.NOT_ASKED) or "not_asked")
        if raw in OutcomeAnswer.Response.values and raw != OutcomeAnswer.Response.RATED:
            rows.append((measure, raw, None))
            continue
        try:
            rating = int(raw)
        except ValueError:
            raise DomainError(RATING_RANGE, field=measure) from None
        if not 1 <= rating <= 5:
            raise DomainError(RATING_RANGE, field=measure)
        rows.append((measure, OutcomeAnswer.Response.RATED, rating))
    assessment, created = OutcomeAssessment.objects.get_or_create(
        case=case, stage=stage, defaults={"by": by, "recorded_on": recorded_on}
    )
    if not created:
        check_version(assessment, version)
        assessment.recorded_on = recorded_on
        assessment.by = by
        bump_version(assessment)
        save_with_reason(assessment, "Outcomes re-recorded")
        assessment.answers.all().delete()
    for measure, response, score in rows:
        save_with_reason(
            OutcomeAnswer(assessment=assessment, measure=measure, response=response, rating=score),
            "Outcome answer",
        )
    case_record_event(
        case=case,
        kind=events.OUTCOMES_RECORDED,
        by=by,
        summary=f"{assessment.get_stage_display()} outcome measures",
        data={"stage": stage},
    )
    return assessment
