"""MARAC prompts computed from the records, review due dates, and the manager's list of
high-risk cases without a recent review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from cases.statuses import CaseStatus
from risk.selectors.assessment import marac_prompts, review_status
from risk.services.assessment import MARAC_CRITERION_REQUIRED, marac_refer
from risk.services.incidents import incident_record
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_risk import IncidentFactory, complete_dash

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def codes(case):
    return [p.code for p in marac_prompts(case=case)]


@pytest.mark.parametrize(
    ("incident_days_ago", "expected"),
    [
        ([], False),
        ([5, 40], False),
        ([5, 40, 300], True),
        ([5, 40, 360, 400], True),
        ([5, 40, 380], False),  # the third is more than 12 months ago
        ([1, 2, 3, 4], True),
    ],
)
def test_potential_escalation_from_incident_count(caseworker, incident_days_ago, expected):
    case = CaseFactory(allocated_to=caseworker)
    for n in incident_days_ago:
        IncidentFactory(case=case, occurred_at=days_ago(n))
    assert ("potential_escalation" in codes(case)) is expected


def test_escalation_threshold_is_a_setting(caseworker, settings):
    settings.MARAC_ESCALATION_INCIDENTS = 2
    case = CaseFactory(allocated_to=caseworker)
    IncidentFactory(case=case, occurred_at=days_ago(5))
    IncidentFactory(case=case, occurred_at=days_ago(50))
    assert "potential_escalation" in codes(case)


@pytest.mark.parametrize(("yes", "prompted"), [(13, False), (14, True)])
def test_visible_high_risk_from_dash(caseworker, yes, prompted):
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, yes)
    assert ("visible_high_risk" in codes(case)) is prompted


def test_professional_judgement_prompt_when_raised_to_high(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, 8, judgement_level="high", judgement_reason="Threats")
    assert codes(case) == ["professional_judgement"]


@pytest.mark.parametrize(
    ("referral_days_ago", "incident_days_ago", "repeat"),
    [
        (100, 10, True),
        (100, 150, False),  # incident before the referral
        (400, 10, False),  # more than 12 months after the referral
        (None, 10, False),
    ],
)
def test_repeat_referral_prompt(caseworker, referral_days_ago, incident_days_ago, repeat):
    case = CaseFactory(allocated_to=caseworker)
    if referral_days_ago is not None:
        marac_refer(
            case=case,
            referred_on=timezone.localdate() - datetime.timedelta(days=referral_days_ago),
            criteria={"visible_high_risk": True},
            by=caseworker,
        )
    IncidentFactory(case=case, occurred_at=days_ago(incident_days_ago))
    assert ("repeat" in codes(case)) is repeat


def test_prompts_shown_on_the_risk_tab_and_prefill_the_referral(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    for n in (3, 30, 90):
        IncidentFactory(case=case, occurred_at=days_ago(n))
    http = as_user(caseworker)
    page = http.get(reverse("risk:case_risk", args=[case.pk])).content.decode()
    assert "MARAC referral criteria met" in page
    assert "3 incidents logged in the last 12 months" in page
    form = http.get(reverse("risk:marac_new", args=[case.pk])).content.decode()
    assert (
        'name="potential_escalation" class="checkboxinput form-check-input" id="id_potential_escalation" checked'
        in form
    )


def test_marac_referral_needs_a_reason_and_records_an_event(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match=MARAC_CRITERION_REQUIRED):
        marac_refer(case=case, referred_on=timezone.localdate(), criteria={}, by=caseworker)
    http = as_user(caseworker)
    url = reverse("risk:marac_new", args=[case.pk])
    response = http.post(url, {"referred_on": timezone.localdate().isoformat(), "reason": "kept"})
    assert response.status_code == 200
    assert MARAC_CRITERION_REQUIRED in response.content.decode()
    assert "kept" in response.content.decode()
    response = http.post(
        url,
        {
            "referred_on": timezone.localdate().isoformat(),
            "professional_judgement": "on",
            "reason": "Threats to kill",
        },
    )
    assert response.status_code == 302
    referral = case.marac_referrals.get()
    assert CaseEvent.objects.filter(case=case, kind="marac_referred").exists()
    edit = reverse("risk:marac_edit", args=[case.pk, referral.pk])
    meeting = timezone.localdate() + datetime.timedelta(days=14)
    response = http.post(
        edit,
        {
            "meeting_on": meeting.isoformat(),
            "actions": "Police to fit alarm",
            "outcome": "Adopted",
            "version": referral.version,
        },
    )
    assert response.status_code == 302
    page = http.get(reverse("risk:case_risk", args=[case.pk])).content.decode()
    assert "Police to fit alarm" in page and "Adopted" in page


@pytest.mark.parametrize(("yes", "days"), [(3, 56), (11, 28), (20, 14)])
def test_review_due_by_level(caseworker, yes, days):
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, yes)
    case.refresh_from_db()
    assert case.next_review_due == timezone.localdate() + datetime.timedelta(days=days)


def test_review_interval_comes_from_settings(caseworker, settings):
    settings.REVIEW_INTERVAL_DAYS = {"high": 7, "medium": 21, "standard": 42}
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, 20)
    case.refresh_from_db()
    assert case.next_review_due == timezone.localdate() + datetime.timedelta(days=7)


def test_serious_incident_brings_the_review_forward(caseworker, settings):
    settings.RISK_REVIEW_AFTER_SERIOUS_INCIDENT_DAYS = 2
    case = CaseFactory(allocated_to=caseworker)
    complete_dash(case, caseworker, 3)  # standard: due in 56 days
    data = {
        "occurred_at": days_ago(1),
        "behaviour": "threats",
        "description": "Threat to burn the house",
        "serious": True,
    }
    incident_record(case=case, data=data, by=caseworker)
    case.refresh_from_db()
    assert case.next_review_due == timezone.localdate() + datetime.timedelta(days=2)
    assert CaseEvent.objects.filter(case=case, kind="risk_review_due").exists()
    # A non-serious incident leaves it alone.
    incident_record(
        case=case, data={**data, "serious": False, "description": "Text"}, by=caseworker
    )
    case.refresh_from_db()
    assert case.next_review_due == timezone.localdate() + datetime.timedelta(days=2)


def test_review_status_overdue_and_due_soon():
    case = CaseFactory.build(next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    assert review_status(case=case).overdue
    case.next_review_due = timezone.localdate() + datetime.timedelta(days=3)
    status = review_status(case=case)
    assert status.due_soon and not status.overdue


def test_managers_list_of_high_risk_cases_without_a_recent_review(manager, caseworker, as_user):
    today = timezone.localdate()
    overdue = CaseFactory(
        allocated_to=caseworker, risk_level="high", next_review_due=today - datetime.timedelta(3)
    )
    in_date = CaseFactory(
        allocated_to=caseworker, risk_level="high", next_review_due=today + datetime.timedelta(5)
    )
    medium = CaseFactory(
        allocated_to=caseworker, risk_level="medium", next_review_due=today - datetime.timedelta(3)
    )
    closed = CaseFactory(
        allocated_to=caseworker,
        risk_level="high",
        status=CaseStatus.CLOSED,
        next_review_due=today - datetime.timedelta(3),
    )
    page = as_user(manager).get(reverse("risk:high_risk_reviews")).content.decode()
    assert overdue.reference in page and "Overdue" in page
    for hidden in (in_date, medium, closed):
        assert hidden.reference not in page
    home = as_user(manager).get("/").content.decode()
    assert reverse("risk:high_risk_reviews") in home
