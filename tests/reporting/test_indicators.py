"""Each indicator on hand-built data with known answers, including the quarter's first
and last London minutes, a bank holiday and the October clock change."""

import pytest

from cases import equality
from cases.statuses import CaseStatus, RiskLevel
from reporting import figures, registry
from reporting.periods import Quarter
from reporting.registry import Period
from stalkingservice import workdays
from tests.factories import CaseFactory, UserFactory, district
from tests.factories_reporting import at, attempt, closure_reason, referral

pytestmark = pytest.mark.django_db

Q3 = Quarter.parse("2026-Q3")


def compute(code, quarter=Q3):
    return registry.get(code).compute(Period.for_quarter(quarter))


def rows(result):
    return {row.label: row.value for row in result.rows}


def test_registry_entries_are_complete():
    indicators = registry.all_indicators()
    assert len({i.code for i in indicators}) == len(indicators)
    for ind in indicators:
        assert ind.label and ind.definition and ind.period_rule and ind.unit
        assert ind.group in registry.GROUP_LABELS


def test_referrals_received_counts_the_quarter_in_london_time():
    referral(received=at(2026, 9, 30, 23, 30))  # BST: still 30 September in London
    referral(received=at(2026, 10, 1, 0, 0))  # first minute of the quarter (23:00 UTC)
    referral(received=at(2026, 12, 31, 23, 59), source="self")  # last minute
    referral(received=at(2027, 1, 1, 0, 0))  # next quarter
    result = compute("referrals_received")
    assert result.value == 2
    assert rows(result)["Staffordshire Police"] == 1
    assert rows(result)["Self-referral"] == 1


def test_referrals_by_district():
    referral(received=at(2026, 11, 2), district=district("stafford"))
    referral(received=at(2026, 11, 3), district=district("stafford"))
    referral(received=at(2026, 11, 4), district=district("lichfield"))
    result = compute("referrals_by_district")
    assert result.value == 3
    assert rows(result)["Stafford"] == 2
    assert rows(result)["Lichfield"] == 1
    assert rows(result)["Tamworth"] == 0


def test_referrals_by_month_and_source():
    referral(received=at(2026, 10, 31, 23, 30))  # after the clock change, still October
    referral(received=at(2026, 11, 1, 0, 30), source="self")
    result = compute("referrals_by_month_source")
    assert rows(result)["October 2026: Staffordshire Police"] == 1
    assert rows(result)["November 2026: Self-referral"] == 1
    assert rows(result)["November 2026: Staffordshire Police"] == 0


def test_triage_outcomes_and_decline_reasons():
    referral(received=at(2026, 10, 5))
    referral(received=at(2026, 10, 6), outcome="declined", decline="no-consent")
    referral(received=at(2026, 10, 7), outcome="declined", decline="no-consent")
    referral(received=at(2026, 10, 8), outcome="signposted")
    referral(received=at(2026, 10, 9), outcome="pending")
    outcomes = rows(compute("triage_outcomes"))
    assert outcomes == {
        "Awaiting triage": 1,
        "Accepted": 1,
        "Declined": 2,
        "Signposted or handed over": 1,
    }
    declined = compute("referrals_declined")
    assert declined.value == 2
    assert rows(declined) == {"No consent to the referral": 2}


def test_time_to_first_contact_in_working_days():
    # Thursday 24 Dec 2026 -> Tuesday 29 Dec: Christmas Day (Fri) and the Boxing Day
    # substitute (Mon 28 Dec) are bank holidays, so this is 1 working day.
    r1 = referral(received=at(2026, 12, 24, 16))
    attempt(r1.case, at(2026, 12, 29, 9), outcome="reached")
    assert workdays.working_days_between(at(2026, 12, 24, 16), at(2026, 12, 29, 9)) == 1
    # Monday 19 Oct 2026 00:30 BST is Sunday 23:30 UTC: counted on the London date,
    # Monday -> Thursday is 3 working days (not 4).
    r2 = referral(received=at(2026, 10, 19, 0, 30))
    attempt(r2.case, at(2026, 10, 20, 9), outcome="no_answer")
    attempt(r2.case, at(2026, 10, 22, 9), outcome="reached")
    # Friday 23 Oct -> Monday 26 Oct, across the clock change: 1 working day; first
    # successful contact Friday 30 Oct: 5 working days.
    r3 = referral(received=at(2026, 10, 23, 17))
    attempt(r3.case, at(2026, 10, 26, 8), outcome="unsafe")
    attempt(r3.case, at(2026, 10, 30, 8), outcome="reached")
    # No attempt yet: not measured.
    referral(received=at(2026, 11, 10))

    # Attempts: 1, 1, 1 -> median 1, all within 2 days.
    assert compute("first_attempt_median").value == 1
    assert compute("first_attempt_within_target").value == 100.0
    # Successful contact: 1, 3, 5 -> median 3; 1 of 3 within 2 working days.
    med = compute("first_contact_median")
    assert med.value == 3
    assert med.base == 3
    pct = compute("first_contact_within_target")
    assert pct.value == 33.3
    assert rows(pct) == {"Within 2 working days": 1, "More than 2 working days": 2}


def test_time_to_first_contact_uses_the_target_setting(settings):
    settings.FIRST_CONTACT_DUE_WORKING_DAYS = 5
    r = referral(received=at(2026, 10, 19, 9))
    attempt(r.case, at(2026, 10, 23, 9), outcome="reached")  # Mon -> Fri: 4 days
    assert compute("first_contact_within_target").value == 100.0


def test_new_cases_open_caseload_and_per_caseworker():
    worker_a = UserFactory(first_name="Ann", last_name="Able")
    worker_b = UserFactory(first_name="Bob", last_name="Best")
    # Accepted in Q3, still open.
    referral(
        received=at(2026, 10, 1, 9),
        allocated_to=worker_a,
        risk_level=RiskLevel.HIGH,
        risk_level_at_intake=RiskLevel.HIGH,
    )
    referral(
        received=at(2026, 12, 31, 9),
        allocated_to=worker_a,
        risk_level=RiskLevel.MEDIUM,
        risk_level_at_intake=RiskLevel.HIGH,
    )
    # Accepted in Q2, closed in January (open at the end of Q3).
    referral(
        received=at(2026, 9, 1),
        allocated_to=worker_b,
        risk_level=RiskLevel.STANDARD,
        closed_at=at(2027, 1, 5),
        status=CaseStatus.CLOSED,
    )
    # Accepted in Q2, closed in Q3: not open at the end.
    referral(
        received=at(2026, 8, 1),
        allocated_to=worker_b,
        closed_at=at(2026, 11, 5),
        status=CaseStatus.CLOSED,
    )
    # Declined at triage: never part of the caseload.
    referral(received=at(2026, 10, 2), outcome="declined", decline="no-consent")

    new = compute("new_cases")
    assert new.value == 2
    assert rows(new)["High"] == 2
    caseload = compute("open_caseload")
    assert caseload.value == 3
    assert rows(caseload) == {"High": 1, "Medium": 1, "Standard": 1, "Not recorded": 0}
    per_worker = compute("open_caseload_per_caseworker")
    assert rows(per_worker) == {"Ann Able": 2, "Bob Best": 1}
    published = figures.publish(registry.get("open_caseload_per_caseworker"), per_worker)
    assert "Ann Able" not in str(published)
    assert set(published["breakdown"]) == {"Caseworker A", "Caseworker B"}


def test_cases_closed_by_reason_and_risk_change():
    done = closure_reason("support-completed")
    gone = closure_reason("moved-away")
    kwargs = {"status": CaseStatus.CLOSED}
    referral(
        received=at(2026, 6, 1),
        closed_at=at(2026, 10, 1, 0, 5),
        closure_reason=done,
        risk_level_at_intake="high",
        risk_level="standard",
        **kwargs,
    )
    referral(
        received=at(2026, 6, 2),
        closed_at=at(2026, 11, 1),
        closure_reason=done,
        risk_level_at_intake="medium",
        risk_level="medium",
        **kwargs,
    )
    referral(
        received=at(2026, 6, 3),
        closed_at=at(2026, 12, 31, 23),
        closure_reason=gone,
        risk_level_at_intake="standard",
        risk_level="high",
        **kwargs,
    )
    referral(
        received=at(2026, 6, 4),
        closed_at=at(2026, 12, 1),
        closure_reason=gone,
        risk_level_at_intake="",
        risk_level="high",
        **kwargs,
    )
    referral(
        received=at(2026, 6, 5), closed_at=at(2027, 1, 1, 0, 1), closure_reason=gone, **kwargs
    )  # next quarter
    closed = compute("cases_closed")
    assert closed.value == 4
    assert rows(closed) == {"Support completed: goals met": 2, "Moved out of area": 2}
    assert rows(compute("risk_at_intake_closed")) == {
        "High": 1,
        "Medium": 1,
        "Standard": 1,
        "Not recorded": 1,
    }
    assert rows(compute("risk_at_closure")) == {
        "High": 2,
        "Medium": 1,
        "Standard": 1,
        "Not recorded": 0,
    }
    reduced = compute("risk_reduced")
    assert reduced.value == 1
    assert rows(reduced)["Risk increased"] == 1
    share = compute("risk_reduced_share")
    assert share.value == 33.3  # 1 of the 3 with both levels recorded
    assert share.base == 3


def test_equality_counts_each_client_once_with_age_bands():
    r1 = referral(
        received=at(2026, 10, 3),
        client_kwargs={
            "ethnicity": "white_british",
            "gender": "woman",
            "age_at_referral": 30,
            "disability": "yes",
        },
    )
    # The same client's second episode: counted once.
    CaseFactory(
        client=r1.case.client,
        referred_at=at(2026, 11, 3),
        accepted_at=at(2026, 11, 3),
        status=CaseStatus.ACTIVE,
    )
    referral(
        received=at(2026, 10, 4),
        client_kwargs={
            "ethnicity": "asian_indian",
            "gender": "man",
            "age_at_referral": None,
            "date_of_birth": at(1990, 12, 31).date(),
        },
    )
    referral(
        received=at(2026, 10, 5),
        client_kwargs={"ethnicity": equality.PREFER_NOT, "gender": "woman", "age_at_referral": 17},
    )
    ethnicity = compute("equality_ethnicity")
    assert ethnicity.value == 3
    assert rows(ethnicity)["White"] == 1
    assert rows(ethnicity)["Asian or Asian British"] == 1
    assert rows(ethnicity)["Prefer not to say"] == 1
    assert rows(compute("equality_gender"))["Woman"] == 2
    assert rows(compute("equality_disability"))["Yes"] == 1
    ages = rows(compute("equality_age"))
    # Born 31 Dec 1990: 36 on 31 Dec 2026, the last day of the quarter.
    assert ages == {
        "Under 18": 1,
        "18-24": 0,
        "25-34": 1,
        "35-44": 1,
        "45-54": 0,
        "55-64": 0,
        "65 and over": 0,
        "Not known": 0,
    }


def test_digital_share():
    referral(received=at(2026, 10, 3), digital=True)
    referral(received=at(2026, 10, 4), digital_element=True)
    referral(received=at(2026, 10, 5))
    referral(received=at(2026, 10, 6))
    result = compute("digital_share")
    assert result.value == 50.0
    assert rows(result) == {"Digital or cyber element": 2, "No digital element recorded": 2}


def test_publication_hides_small_percentages_and_small_counts(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    referral(received=at(2026, 10, 3), digital=True)
    referral(received=at(2026, 10, 4))
    share = registry.get("digital_share")
    published = figures.publish(share, share.compute(Period.for_quarter(Q3)))
    assert published["value"] == "[c]"  # 50% of 2 people would reveal them
    assert published["breakdown"] == {
        "Digital or cyber element": "<5",
        "No digital element recorded": "<5",
    }
