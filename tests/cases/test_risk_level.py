"""Risk never drops silently: a lower level needs a reason and a manager's sign-off, and
until then the case keeps its level on every list, review and return. Each rule on each
path that sets a case's level: the assessment service (first save, a draft saved again,
another assessment in another tab), the admin, intake, a reopened case and a returning
client."""

import datetime

import pytest
from django.contrib import admin
from django.utils import timezone

from cases.models.lifecycle import Case, CaseEvent
from cases.models.risk_level import RiskDowngrade
from cases.selectors.caseload import (
    case_list_filtered,
    caseworkers_with_caseload,
    waiting_list,
)
from cases.services.lifecycle import case_reopen, closure_approval_reasons
from cases.services.risk_level import (
    DOWNGRADE_APPROVER_ONLY,
    DOWNGRADE_NOT_PENDING,
    DOWNGRADE_OWN,
    DOWNGRADE_REJECT_NEEDS_NOTE,
    risk_downgrade_approve,
    risk_downgrade_reject,
)
from cases.statuses import CaseStatus
from referrals.services import referral_record_checks
from risk.models.assessment import RiskAssessment
from risk.models.tools import risk_band_at_intake
from risk.selectors.assessment import high_risk_cases_needing_review
from risk.services.assessment import OVERRIDE_BELOW_COMPUTED, assessment_save
from stalkingservice.domain import DomainError
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory
from tests.factories_cases import WaitingCaseFactory
from tests.factories_referrals import make_referral
from tests.factories_risk import answers_for, complete_dash, tool

pytestmark = pytest.mark.django_db

HIGH, MEDIUM, STANDARD = 15, 11, 3  # DASH "yes" counts for each band
REASON = "Suspect has moved to Scotland and made no contact for 3 months"


@pytest.fixture
def high_case(caseworker):
    case = CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE)
    complete_dash(case, caseworker, HIGH, assessed_on=timezone.localdate() - datetime.timedelta(1))
    case.refresh_from_db()
    assert case.risk_level == "high"
    return case


def pending(case) -> RiskDowngrade:
    return RiskDowngrade.objects.get(case=case, status=RiskDowngrade.Status.PENDING)


# ---- judgement only raises ---------------------------------------------------------------


def test_judgement_below_the_checklist_is_refused_beside_the_judgement_field(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError) as exc:
        complete_dash(case, caseworker, HIGH, judgement_level="medium", judgement_reason="x")
    assert exc.value.field == "judgement_level"
    assert str(exc.value) == OVERRIDE_BELOW_COMPUTED.format(level="high")
    assert not RiskAssessment.objects.filter(case=case).exists()


# ---- a lower level: reason, pending, the case keeps its level ------------------------------


def test_a_lower_assessment_without_a_reason_is_refused_and_nothing_is_saved(high_case, caseworker):
    with pytest.raises(DomainError) as exc:
        complete_dash(high_case, caseworker, STANDARD)
    assert exc.value.field == "downgrade_reason"
    assert "lower risk level (standard) than the case holds (high)" in str(exc.value)
    assert RiskAssessment.objects.filter(case=high_case).count() == 1
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"
    assert not RiskDowngrade.objects.exists()


def test_a_lower_assessment_with_a_reason_waits_and_the_case_stays_high_everywhere(
    high_case, caseworker, manager, settings
):
    settings.REVIEW_INTERVAL_DAYS = {"high": 14, "medium": 28, "standard": 56}
    result = complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON)
    assert result.assessment.final_level == "standard"
    downgrade = result.downgrade
    assert downgrade == pending(high_case)
    assert (downgrade.from_level, downgrade.proposed_level, downgrade.reason) == (
        "high",
        "standard",
        REASON,
    )
    assert downgrade.proposed_by == caseworker and downgrade.decided_by is None
    high_case.refresh_from_db()
    # Lists, reviews, caseload counts, closure approval and returns all read risk_level.
    assert high_case.risk_level == "high"
    assert high_case.next_review_due == timezone.localdate() + datetime.timedelta(14)
    assert high_case in high_risk_cases_needing_review(
        today=timezone.localdate() + datetime.timedelta(30)
    )
    assert high_case in case_list_filtered(user=manager, filters={"risk": "high"})
    assert next(w for w in caseworkers_with_caseload() if w == caseworker).high_risk == 1
    assert "the case is high risk" in closure_approval_reasons(case=high_case)
    event = CaseEvent.objects.get(case=high_case, kind="risk_downgrade_proposed")
    assert REASON in event.summary and "stays high" in event.summary
    assert downgrade.history.count() == 1


def test_another_lower_assessment_in_another_tab_needs_its_own_reason_and_replaces_the_first(
    high_case, caseworker
):
    complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON)
    with pytest.raises(DomainError):
        complete_dash(high_case, caseworker, MEDIUM)
    complete_dash(high_case, caseworker, MEDIUM, downgrade_reason="Second look: still medium")
    assert RiskDowngrade.objects.filter(case=high_case).count() == 2
    assert pending(high_case).proposed_level == "medium"
    assert RiskDowngrade.objects.filter(status="superseded").count() == 1
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"


def test_a_draft_saved_again_keeps_the_reason_and_is_held_on_completion(high_case, caseworker):
    dash = tool("dash")
    draft = assessment_save(
        case=high_case,
        tool=dash,
        by=caseworker,
        complete=False,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, STANDARD, unanswered=4),
        downgrade_reason=REASON,
    ).assessment
    assert draft.downgrade_reason == REASON
    # The second save of the same draft, with no reason typed this time, is refused.
    with pytest.raises(DomainError):
        assessment_save(
            case=high_case,
            tool=dash,
            by=caseworker,
            complete=True,
            assessed_on=timezone.localdate(),
            answers=answers_for(dash, STANDARD),
            assessment=draft,
            version=draft.version,
        )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.downgrade_reason == REASON
    assessment_save(
        case=high_case,
        tool=dash,
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        answers=answers_for(dash, STANDARD),
        assessment=draft,
        version=draft.version,
        downgrade_reason=REASON,
    )
    high_case.refresh_from_db()
    assert high_case.risk_level == "high" and pending(high_case).reason == REASON


def test_a_back_dated_assessment_does_not_ask_for_the_reason_again(high_case, caseworker):
    complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON)
    complete_dash(
        high_case, caseworker, MEDIUM, assessed_on=timezone.localdate() - datetime.timedelta(5)
    )
    assert RiskDowngrade.objects.filter(case=high_case).count() == 1
    assert pending(high_case).proposed_level == "standard"


def test_the_same_or_a_higher_level_replaces_a_waiting_lower_one(high_case, caseworker):
    complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON)
    complete_dash(high_case, caseworker, HIGH + 2)
    assert not RiskDowngrade.objects.filter(status="pending").exists()
    assert RiskDowngrade.objects.get().status == "superseded"
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"


def test_rising_needs_no_reason_and_no_sign_off(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, STANDARD)
    complete_dash(case, caseworker, HIGH)
    case.refresh_from_db()
    assert case.risk_level == "high" and not RiskDowngrade.objects.exists()


def test_a_level_from_the_referral_is_held_against_a_lower_first_assessment(caseworker):
    case = CaseFactory(allocated_to=caseworker, risk_level_at_intake="high")
    with pytest.raises(DomainError):
        complete_dash(case, caseworker, STANDARD)
    complete_dash(case, caseworker, STANDARD, downgrade_reason=REASON)
    case.refresh_from_db()
    assert (case.risk_level, case.risk_level_at_intake) == ("high", "high")
    assert pending(case).from_level == "high"


# ---- the manager's sign-off ------------------------------------------------------------


def test_manager_sign_off_lowers_the_level_with_the_reason_on_the_timeline_and_an_audit_row(
    high_case, caseworker, manager, settings
):
    settings.REVIEW_INTERVAL_DAYS = {"high": 14, "medium": 28, "standard": 56}
    downgrade = complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON).downgrade
    risk_downgrade_approve(downgrade=downgrade, note="Agreed in supervision", by=manager)
    high_case.refresh_from_db()
    assert high_case.risk_level == "standard"
    assert high_case.next_review_due == timezone.localdate() + datetime.timedelta(56)
    downgrade.refresh_from_db()
    assert (downgrade.status, downgrade.decided_by) == ("approved", manager)
    assert downgrade.decided_at is not None
    event = CaseEvent.objects.filter(case=high_case, kind="risk_level_changed").first()
    assert event.summary.startswith("High to Standard, signed off by")
    assert REASON in event.summary and event.by == manager
    audit = AuditEvent.objects.get(action=AuditEvent.Action.RISK_DOWNGRADE)
    assert audit.user == manager and audit.case_id == high_case.pk
    assert REASON not in audit.detail  # the reason stays on the case
    assert high_case not in case_list_filtered(user=manager, filters={"risk": "high"})


def test_manager_keeps_the_level_with_a_note(high_case, caseworker, manager):
    downgrade = complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON).downgrade
    with pytest.raises(DomainError, match=DOWNGRADE_REJECT_NEEDS_NOTE):
        risk_downgrade_reject(downgrade=downgrade, note=" ", by=manager)
    risk_downgrade_reject(downgrade=downgrade, note="Bail ends next week", by=manager)
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"
    assert RiskDowngrade.objects.get().status == "rejected"
    assert CaseEvent.objects.filter(case=high_case, kind="risk_downgrade_rejected").exists()
    assert AuditEvent.objects.filter(action="risk_downgrade").count() == 1
    with pytest.raises(DomainError, match=DOWNGRADE_NOT_PENDING):
        risk_downgrade_approve(downgrade=downgrade, by=manager)


def test_a_caseworker_cannot_sign_off_at_all(high_case, caseworker, caseworker2):
    downgrade = complete_dash(high_case, caseworker, STANDARD, downgrade_reason=REASON).downgrade
    for worker in (caseworker, caseworker2):
        with pytest.raises(DomainError, match=DOWNGRADE_APPROVER_ONLY):
            risk_downgrade_approve(downgrade=downgrade, by=worker)
    high_case.refresh_from_db()
    assert high_case.risk_level == "high" and downgrade.is_pending


def test_a_manager_cannot_sign_off_their_own_proposal(manager):
    case = CaseFactory(allocated_to=manager)
    complete_dash(case, manager, HIGH)
    downgrade = complete_dash(case, manager, STANDARD, downgrade_reason=REASON).downgrade
    with pytest.raises(DomainError, match=DOWNGRADE_OWN):
        risk_downgrade_approve(downgrade=downgrade, by=manager)
    case.refresh_from_db()
    assert case.risk_level == "high"


# ---- other paths -----------------------------------------------------------------------


def test_the_admin_offers_no_way_to_set_a_case_level():
    """Casework is never registered in the admin, so no administrator's form can lower a
    level past the sign-off."""
    registered = set(admin.site._registry)
    assert not {Case, RiskAssessment, RiskDowngrade} & registered


@pytest.mark.parametrize(
    ("tool_name", "score", "stated", "band"),
    [
        ("DASH", 16, "standard", "high"),  # the stated level never lowers the score's band
        ("DASH", 11, "standard", "medium"),
        ("DASH", 3, "high", "high"),  # and the score never lowers the stated level
        ("DASH", 3, "", "standard"),
        ("DARA", None, "medium", "medium"),
        ("DARA", None, "", ""),
    ],
)
def test_intake_band_is_the_higher_of_score_and_stated_level(tool_name, score, stated, band):
    assert risk_band_at_intake(tool=tool_name, score=score, level=stated) == band


def test_intake_from_a_police_referral_takes_the_higher_level(caseworker):
    referral = make_referral(
        by=caseworker, risk_tool="DASH", risk_score=16, risk_level_received="standard"
    )
    assert referral.case.risk_level_at_intake == "high"


def test_received_police_dash_in_an_assessment_takes_the_higher_level(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    a = assessment_save(
        case=case,
        tool=tool("police"),
        by=caseworker,
        complete=True,
        assessed_on=timezone.localdate(),
        received_tool="DASH",
        received_score=15,
        received_level="Standard",
    ).assessment
    assert a.final_level == "high"


@pytest.mark.parametrize(
    ("risk_level", "at_intake", "expected"),
    [("high", "standard", "high"), ("", "medium", "medium"), ("standard", "high", "standard")],
)
def test_a_reopened_case_starts_at_the_last_known_level(manager, risk_level, at_intake, expected):
    closed = CaseFactory(
        status=CaseStatus.CLOSED, risk_level=risk_level, risk_level_at_intake=at_intake
    )
    new = case_reopen(case=closed, reason="New incidents", by=manager)
    assert (new.risk_level, new.risk_level_at_intake) == (expected, expected)


def test_a_reopened_case_is_ordered_by_its_level_on_the_waiting_list(manager):
    older = WaitingCaseFactory(
        risk_level_at_intake="medium", accepted_at=timezone.now() - datetime.timedelta(30)
    )
    closed = CaseFactory(status=CaseStatus.CLOSED, risk_level="high", allocated_to=None)
    # Reopened by a manager, its worker gone: it goes to the waiting list, at its level.
    new = case_reopen(case=closed, reason="Suspect released", by=manager)
    assert new.status == CaseStatus.WAITING
    assert list(waiting_list(user=manager))[:2] == [new, older]


def test_a_reopened_case_keeps_its_level_until_a_manager_signs_off(manager, caseworker):
    closed = CaseFactory(status=CaseStatus.CLOSED, risk_level="high", allocated_to=caseworker)
    new = case_reopen(case=closed, reason="New incidents", by=caseworker)
    with pytest.raises(DomainError):
        complete_dash(new, caseworker, STANDARD)
    complete_dash(new, caseworker, STANDARD, downgrade_reason=REASON)
    new.refresh_from_db()
    assert new.risk_level == "high"


@pytest.mark.parametrize(
    ("last_level", "referral_level", "expected"),
    [("high", "", "high"), ("high", "standard", "high"), ("standard", "high", "high")],
)
def test_a_returning_client_starts_at_the_last_known_level(
    caseworker, manager, last_level, referral_level, expected
):
    old_case = CaseFactory(
        status=CaseStatus.CLOSED,
        client__first_name="Amira",
        risk_level=last_level,
        allocated_to=caseworker,
    )
    old_client = old_case.client
    referral = make_referral(
        by=caseworker,
        first_name="Amira",
        last_name=old_client.last_name,
        date_of_birth=old_client.date_of_birth,
        safe_phone="",
        risk_level_received=referral_level,
    )
    referral_record_checks(
        referral=referral,
        link_to_client=old_client,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=caseworker,
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.previous_case == old_case
    assert (case.risk_level, case.risk_level_at_intake) == (expected, expected)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_completing_lower_assessments_at_once_leave_one_pending_and_the_case_high(
    caseworker,
):
    """Two real transactions at the same moment (two tabs): the case row lock serialises
    them, so there is one pending downgrade (the other superseded) and the case stays high."""
    import threading

    from django.db import connection

    case = CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE)
    complete_dash(case, caseworker, HIGH)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def tab(yes):
        try:
            start.wait()
            complete_dash(case, caseworker, yes, downgrade_reason=f"Tab with {yes}")
        except BaseException as exc:  # reported below: a thread cannot fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(yes,)) for yes in (STANDARD, MEDIUM)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    case.refresh_from_db()
    assert case.risk_level == "high"
    statuses = sorted(RiskDowngrade.objects.filter(case=case).values_list("status", flat=True))
    assert statuses == ["pending", "superseded"]
