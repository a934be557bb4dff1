"""Scoring for every tool, drafts, the professional-judgement rule and what the case
shows afterwards."""

import datetime

import pytest
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from risk.models.assessment import RiskAssessment
from risk.services.assessment import (
    OVERRIDE_BELOW_COMPUTED,
    OVERRIDE_REASON_REQUIRED,
    assessment_save,
)
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_risk import answers_for, complete_dash, tool

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("yes", "dont_know", "score", "level"),
    [
        (0, 0, 0, "standard"),
        (9, 0, 9, "standard"),
        (9, 5, 9, "standard"),  # "don't know" is not a yes
        (10, 0, 10, "medium"),
        (13, 0, 13, "medium"),
        (13, 11, 13, "medium"),
        (14, 0, 14, "high"),
        (24, 0, 24, "high"),
    ],
)
def test_dash_score_and_band(caseworker, yes, dont_know, score, level):
    case = CaseFactory(allocated_to=caseworker)
    dash = tool("dash")
    result = assessment_save(
        case=case,
        tool=dash,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, yes, dont_know),
    )
    a = result.assessment
    assert (a.status, a.score, a.computed_level, a.final_level) == ("complete", score, level, level)
    case.refresh_from_db()
    assert case.risk_level == level


def test_dash_bands_are_data_and_editable(caseworker):
    dash = tool("dash")
    dash.high_from = 12
    dash.save()
    case = CaseFactory(allocated_to=caseworker)
    assert complete_dash(case, caseworker, 12).assessment.final_level == "high"


def test_dash_has_24_items_and_sdash_11():
    assert tool("dash").items.count() == 24
    assert tool("sdash").items.count() == 11


def test_partial_dash_is_a_draft_with_no_level(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    dash = tool("dash")
    result = assessment_save(
        case=case,
        tool=dash,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, 16, unanswered=2),
        judgement_level="high",
        judgement_reason="Escalating",
    )
    assert result.assessment.status == RiskAssessment.Status.DRAFT
    assert result.missing == [23, 24]
    assert result.assessment.final_level == ""
    assert result.assessment.answers.exclude(answer="").count() == 22
    case.refresh_from_db()
    assert case.risk_level == "" and case.risk_assessed_at is None


def test_draft_completed_later_keeps_its_answers(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    dash = tool("dash")
    draft = assessment_save(
        case=case,
        tool=dash,
        by=caseworker,
        complete=False,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, 11, unanswered=5),
    ).assessment
    done = assessment_save(
        case=case,
        tool=dash,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, 11),
        assessment=draft,
        version=draft.version,
    ).assessment
    assert done.pk == draft.pk and done.final_level == "medium"
    with pytest.raises(DomainError, match="complete and cannot be changed"):
        assessment_save(
            case=case,
            tool=dash,
            by=caseworker,
            complete=True,
            assessed_on=timezone.localdate(),
            answers=answers_for(dash, 2),
            assessment=done,
        )


@pytest.mark.parametrize(
    ("yes", "judgement", "reason", "final", "error"),
    [
        (5, "high", "Threats to kill last week", "high", None),
        (5, "medium", "New address found", "medium", None),
        (11, "high", "Recent strangulation", "high", None),
        (11, "standard", "Client feels safer", None, "never lower it below"),
        (15, "medium", "Suspect in prison", None, "never lower it below"),
        (5, "high", "", None, OVERRIDE_REASON_REQUIRED),
        (15, "high", "", "high", None),  # same as computed: not an override
    ],
)
def test_professional_judgement_may_raise_never_lower(
    caseworker, yes, judgement, reason, final, error
):
    case = CaseFactory(allocated_to=caseworker)
    if error:
        with pytest.raises(DomainError) as exc:
            complete_dash(case, caseworker, yes, judgement_level=judgement, judgement_reason=reason)
        assert error in str(exc.value)
        assert not RiskAssessment.objects.filter(case=case).exists()
        return
    a = complete_dash(
        case, caseworker, yes, judgement_level=judgement, judgement_reason=reason
    ).assessment
    assert a.final_level == final
    case.refresh_from_db()
    assert case.risk_level == final


def test_override_below_message_names_the_computed_level(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError) as exc:
        complete_dash(case, caseworker, 14, judgement_level="standard", judgement_reason="x")
    assert str(exc.value) == OVERRIDE_BELOW_COMPUTED.format(level="high")


@pytest.mark.parametrize(("yes", "level"), [(0, "standard"), (4, "medium"), (11, "high")])
def test_sdash_counts_yes_and_the_assessor_sets_the_level(caseworker, yes, level):
    case = CaseFactory(allocated_to=caseworker)
    sdash = tool("sdash")
    a = assessment_save(
        case=case,
        tool=sdash,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        answers=answers_for(sdash, yes, dont_know=1),
        assessor_level=level,
    ).assessment
    assert (a.score, a.computed_level, a.final_level) == (yes, "", level)


def test_sdash_without_a_level_is_refused(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    sdash = tool("sdash")
    with pytest.raises(DomainError, match="Select the risk level"):
        assessment_save(
            case=case,
            tool=sdash,
            by=caseworker,
            complete=True,
            assessed_on=timezone.localdate(),
            answers=answers_for(sdash, 3),
        )


@pytest.mark.parametrize("code", ["sash", "srp", "sam"])
def test_summary_records_need_ratings_and_have_no_items(caseworker, code):
    case = CaseFactory(allocated_to=caseworker)
    summary_tool = tool(code)
    assert summary_tool.items.count() == 0
    with pytest.raises(DomainError, match="summary ratings"):
        assessment_save(
            case=case,
            tool=summary_tool,
            by=caseworker,
            complete=True,
            assessed_on=timezone.localdate(),
        )
    a = assessment_save(
        case=case,
        tool=summary_tool,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        summary_ratings="Overall: moderate concern",
        assessor_level="medium",
    ).assessment
    assert a.final_level == "medium" and a.score is None
    case.refresh_from_db()
    assert case.risk_level == "medium"


@pytest.mark.parametrize(
    ("received_tool", "score", "level_received", "assessor_level", "final"),
    [
        ("DASH", 9, "", "", "standard"),
        ("DASH", 10, "", "", "medium"),
        ("DASH", 14, "", "", "high"),
        ("DARA", None, "High", "high", "high"),
        ("DARA", None, "Medium", "", ""),
    ],
)
def test_score_received_from_police(
    caseworker, received_tool, score, level_received, assessor_level, final
):
    case = CaseFactory(allocated_to=caseworker)
    a = assessment_save(
        case=case,
        tool=tool("police"),
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        received_tool=received_tool,
        received_score=score,
        received_level=level_received,
        assessor_level=assessor_level,
    ).assessment
    assert a.status == "complete"
    assert a.final_level == final
    assert a.score == score and a.received_level == level_received


def test_case_risk_follows_latest_completed_assessment(caseworker, settings):
    settings.REVIEW_INTERVAL_DAYS = {"high": 14, "medium": 28, "standard": 56}
    case = CaseFactory(allocated_to=caseworker)
    today = timezone.localdate()
    complete_dash(case, caseworker, 11, assessed_on=today - datetime.timedelta(days=40))
    complete_dash(case, caseworker, 15, assessed_on=today - datetime.timedelta(days=10))
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.risk_level_at_intake == "medium"
    assert case.next_review_due == today - datetime.timedelta(days=10) + datetime.timedelta(14)
    assert timezone.localtime(case.risk_assessed_at).date() == today - datetime.timedelta(days=10)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("risk_assessment_completed") == 2
    assert kinds.count("risk_level_changed") == 2


def test_a_lower_latest_assessment_leaves_the_case_at_its_level(caseworker, settings):
    """The old behaviour (high to medium with no reason) is gone: the case keeps high, and
    its review stays on the high interval, until a manager signs the change off
    (tests/cases/test_risk_level.py has the rest of the rule)."""
    settings.REVIEW_INTERVAL_DAYS = {"high": 14, "medium": 28, "standard": 56}
    case = CaseFactory(allocated_to=caseworker)
    today = timezone.localdate()
    complete_dash(case, caseworker, 15, assessed_on=today - datetime.timedelta(days=40))
    complete_dash(
        case,
        caseworker,
        11,
        assessed_on=today - datetime.timedelta(days=10),
        downgrade_reason="Suspect moved away",
    )
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.risk_level_at_intake == "high"
    assert case.next_review_due == today - datetime.timedelta(days=10) + datetime.timedelta(14)
    assert timezone.localtime(case.risk_assessed_at).date() == today - datetime.timedelta(days=10)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("risk_assessment_completed") == 2
    assert kinds.count("risk_level_changed") == 1
    assert kinds.count("risk_downgrade_proposed") == 1


def test_future_assessment_date_refused(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match="future"):
        complete_dash(
            case, caseworker, 3, assessed_on=timezone.localdate() + datetime.timedelta(days=1)
        )
