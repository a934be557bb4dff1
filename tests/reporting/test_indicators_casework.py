"""The casework indicators on hand-built data with known answers. The quarter is 2026-Q2
(1 July to 30 September 2026, British Summer Time throughout): records dated 30 June or
1 October are outside it, records dated 1 July and 30 September are inside, and a time
of 00:30 BST on 1 July (23:30 UTC on 30 June) belongs to Q2, not Q1."""

import json
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from cases.models.handover import ServiceDirectoryEntry
from cases.models.outcomes import OutcomeAnswer, OutcomeAssessment
from cases.models.police_court import CourtSupport, Hearing, PoliceContact
from cases.models.service_records import AwarenessSession, Feedback
from reporting import figures, registry, services
from reporting.periods import Quarter
from reporting.registry import Period
from risk.models.assessment import MaracReferral
from risk.models.groups import GroupAttendance
from risk.models.safety_plan import SafetyPlanVersion
from tests.conftest import signed_in
from tests.factories import CaseFactory, UserFactory
from tests.factories_advocacy import HandoverFactory, InvestigationFactory, OrderFactory, service
from tests.factories_plans import (
    DigitalSafetyCheckFactory,
    GroupProgrammeFactory,
    GroupSessionFactory,
    OneToOneSessionFactory,
    SafetyPlanFactory,
)
from tests.factories_reporting import at

pytestmark = pytest.mark.django_db

Q1 = Quarter.parse("2026-Q1")
Q2 = Quarter.parse("2026-Q2")

NEW_CODES = {
    "marac_referrals",
    "safety_plans_agreed",
    "digital_checks_completed",
    "one_to_one_sessions",
    "group_sessions",
    "group_attendances",
    "police_advocacy_actions",
    "court_advocacy_actions",
    "orders_applied",
    "orders_granted",
    "handovers_by_destination",
    "handovers_by_kind",
    "outcomes_measured",
    "outcomes_improved",
    "outcomes_improved_share",
    "satisfaction",
    "awareness_sessions",
    "awareness_attendees",
    "compliments",
    "complaints",
}

NEW_SECTIONS = [
    "Risk management and safety planning",
    "One-to-one and group support",
    "Police, courts and orders",
    "Signposting and handovers to other services",
    "Outcomes for clients",
    "Awareness raising, compliments and complaints",
]

OUTSIDE = [date(2026, 6, 30), date(2026, 10, 1)]  # the days either side of 2026-Q2


def compute(code, quarter=Q2, until=None):
    return registry.get(code).compute(Period.for_quarter(quarter, until=until))


def rows(result):
    return {row.label: row.value for row in result.rows}


@pytest.fixture
def worker():
    return UserFactory(first_name="Ann", last_name="Able")


@pytest.fixture
def case(worker):
    return CaseFactory(allocated_to=worker)


def test_new_indicators_are_registered_in_sections_in_reading_order():
    codes = {ind.code: ind for ind in registry.all_indicators()}
    assert set(codes) >= NEW_CODES
    order = [code for code, _ in registry.GROUPS]
    assert order.index("caseload") < order.index("safety") < order.index("closures")
    assert order.index("closures") < order.index("outcomes") < order.index("equality")
    assert order[-1] == "service"
    for code in NEW_CODES:
        ind = codes[code]
        assert ind.definition and ind.period_rule
        assert ind.breakdown_label or ind.unit == "percent"
        assert registry.GROUP_LABELS[ind.group] in NEW_SECTIONS


def test_marac_referrals_on_the_first_and_last_day_with_criteria(case, worker):
    def marac(day, **criteria):
        MaracReferral.objects.create(case=case, referred_on=day, referred_by=worker, **criteria)

    for day in OUTSIDE:
        marac(day, visible_high_risk=True)
    marac(date(2026, 7, 1), visible_high_risk=True, repeat=True)
    marac(date(2026, 9, 30), professional_judgement=True)
    result = compute("marac_referrals")
    assert result.value == 2
    assert rows(result) == {
        "Visible high risk (DASH 14 or more)": 1,
        "Professional judgement": 1,
        "Potential escalation": 0,
        "Repeat (within 12 months of a referral)": 1,
    }


def test_safety_plans_agreed_are_counted_in_london_time(worker):
    def agreed(plan, number, when):
        SafetyPlanVersion.objects.create(plan=plan, number=number, agreed_at=when, agreed_by=worker)

    plan_a = SafetyPlanFactory(case=CaseFactory(allocated_to=worker))
    plan_b = SafetyPlanFactory(case=CaseFactory(allocated_to=worker))
    plan_c = SafetyPlanFactory(case=CaseFactory(allocated_to=worker))
    agreed(plan_a, 1, at(2026, 6, 30, 23, 30))  # Q1
    agreed(plan_a, 2, at(2026, 7, 1, 0, 30))  # 23:30 UTC on 30 June, but 1 July in London
    agreed(plan_b, 1, at(2026, 9, 30, 23, 59))  # last minute of Q2
    agreed(plan_c, 1, at(2026, 10, 1, 0, 0))  # Q3
    result = compute("safety_plans_agreed")
    assert result.value == 2
    assert rows(result) == {"First safety plan agreed": 1, "Plan agreed again after a review": 1}
    assert compute("safety_plans_agreed", Q1).value == 1


def test_digital_checks_completed_in_london_time_by_finding(case):
    def check(when, status="complete", **fields):
        DigitalSafetyCheckFactory(case=case, status=status, completed_at=when, **fields)

    check(at(2026, 7, 1, 0, 30), stalkerware="found", tracker_found=True)
    check(at(2026, 9, 30, 23, 59), stalkerware="no")
    check(None, status="draft", checked_on=date(2026, 8, 1))  # started, not completed
    check(at(2026, 6, 30, 23, 59))  # Q1
    check(at(2026, 10, 1, 0, 1))  # Q3
    result = compute("digital_checks_completed")
    assert result.value == 2
    assert rows(result) == {
        "Stalkerware not suspected": 1,
        "Stalkerware suspected": 0,
        "Stalkerware found": 1,
        "Tracking device found": 1,
    }
    assert compute("digital_checks_completed", Q1).value == 1


def test_one_to_one_sessions_delivered_by_type(case):
    def session(day, status="delivered", session_type="emotional"):
        OneToOneSessionFactory(
            case=case, session_date=day, status=status, session_type=session_type
        )

    session(date(2026, 7, 1))
    session(date(2026, 9, 30), session_type="practical")
    session(date(2026, 8, 1), status="planned")
    session(date(2026, 8, 2), status="cancelled")
    for day in OUTSIDE:
        session(day)
    result = compute("one_to_one_sessions")
    assert result.value == 2
    assert rows(result)["Emotional support"] == 1
    assert rows(result)["Practical support"] == 1
    assert sum(rows(result).values()) == 2


def test_group_sessions_and_attendances(worker):
    recovery = GroupProgrammeFactory(kind="recovery")
    digital = GroupProgrammeFactory(kind="digital")
    a, b, c = (CaseFactory(allocated_to=worker) for _ in range(3))

    def session(programme, day, marks, status="delivered"):
        s = GroupSessionFactory(programme=programme, session_date=day, status=status)
        for case, mark in marks:
            GroupAttendance.objects.create(session=s, case=case, status=mark, recorded_by=worker)

    session(recovery, date(2026, 7, 1), [(a, "attended"), (b, "attended"), (c, "dna")])
    session(digital, date(2026, 9, 30), [(a, "attended"), (b, "apologies")])
    session(recovery, date(2026, 8, 5), [], status="planned")
    session(recovery, date(2026, 8, 12), [], status="cancelled")
    session(recovery, date(2026, 6, 30), [(c, "attended")])
    session(digital, date(2026, 10, 1), [(c, "attended")])

    sessions = compute("group_sessions")
    assert sessions.value == 2
    assert rows(sessions)["Recovery and coping group"] == 1
    assert rows(sessions)["Digital safety workshop"] == 1
    attendances = compute("group_attendances")
    assert attendances.value == 3
    assert rows(attendances) == {
        "Attended": 3,
        "Apologies": 1,
        "Did not attend": 1,
        "Different clients who attended": 2,
    }


def test_police_and_court_advocacy_actions(worker):
    a = CaseFactory(allocated_to=worker)
    b = CaseFactory(allocated_to=worker)
    report = InvestigationFactory(case=a)

    def contact(day, investigation=None):
        PoliceContact.objects.create(
            case=a,
            investigation=investigation,
            contacted_on=day,
            who="DC Sam Jones",
            purpose="Chased the investigation",
            by=worker,
        )

    contact(date(2026, 7, 1), investigation=report)
    contact(date(2026, 9, 30))
    for day in OUTSIDE:
        contact(day)

    def hearing(day, **fields):
        Hearing.objects.create(
            case=a,
            hearing_type="trial",
            court="Stafford Crown Court",
            hearing_on=day,
            by=worker,
            **fields,
        )

    hearing(date(2026, 7, 1), caseworker_attended=True, pre_trial_visit=True)
    hearing(date(2026, 8, 3), caseworker_attended=True)
    hearing(date(2026, 8, 4))  # the client went alone: not an action of the service
    hearing(date(2026, 10, 1), caseworker_attended=True)
    CourtSupport.objects.create(
        case=a, vps_offered_on=date(2026, 6, 30), vps_made_on=date(2026, 7, 1)
    )
    CourtSupport.objects.create(case=b, vps_offered_on=date(2026, 9, 30))

    police = compute("police_advocacy_actions")
    assert police.value == 2
    assert rows(police) == {"About a crime report": 1, "Other contact with the police": 1}
    court = compute("court_advocacy_actions")
    assert rows(court) == {
        "Hearings attended with the client": 2,
        "Pre-trial court visits arranged": 1,
        "Victim Personal Statements offered": 1,
        "Victim Personal Statements made": 1,
    }
    assert court.value == 5


def test_orders_applied_for_and_granted_by_type(case):
    def order(order_type, status, applied, granted=None):
        OrderFactory(
            case=case, order_type=order_type, status=status, applied_on=applied, granted_on=granted
        )

    order("spo", "granted", date(2026, 6, 30), date(2026, 7, 1))
    order("restraining", "applied", date(2026, 7, 15))
    order("non_molestation", "granted", date(2026, 9, 30), date(2026, 10, 1))
    order("bail", "granted", date(2026, 8, 1), date(2026, 8, 1))
    applied = compute("orders_applied")
    assert applied.value == 3
    assert rows(applied) == {
        "Stalking Protection Order": 0,
        "Interim Stalking Protection Order": 0,
        "Restraining order": 1,
        "Non-molestation order": 1,
        "Bail conditions": 1,
    }
    granted = compute("orders_granted")
    assert granted.value == 2
    assert rows(granted)["Stalking Protection Order"] == 1
    assert rows(granted)["Bail conditions"] == 1
    assert rows(granted)["Non-molestation order"] == 0


def test_handovers_by_destination_and_kind(case):
    HandoverFactory(case=case, service=service("victim-gateway"), made_on=date(2026, 7, 1))
    HandoverFactory(case=case, service=service("local-idva"), made_on=date(2026, 8, 1))
    HandoverFactory(
        case=case,
        service=service("national-stalking-helpline"),
        kind="information",
        consent_to_share=False,
        made_on=date(2026, 9, 30),
    )
    for day in OUTSIDE:
        HandoverFactory(case=case, service=service("victim-gateway"), made_on=day)
    by_destination = compute("handovers_by_destination")
    assert by_destination.value == 3
    destinations = rows(by_destination)
    assert destinations["Victim support"] == 1
    assert destinations["Domestic abuse (IDVA)"] == 1
    assert destinations["Stalking"] == 1
    assert destinations["Housing"] == 0
    assert len(destinations) == len(ServiceDirectoryEntry.Category.choices)
    assert rows(compute("handovers_by_kind")) == {
        "Information given (signposting)": 1,
        "Managed handover with a warm introduction": 2,
    }


def _outcomes(case, worker, stage, day, answers):
    assessment = OutcomeAssessment.objects.create(
        case=case, stage=stage, recorded_on=day, by=worker
    )
    for measure, answer in answers.items():
        if isinstance(answer, int):
            OutcomeAnswer.objects.create(
                assessment=assessment, measure=measure, response="rated", rating=answer
            )
        else:
            OutcomeAnswer.objects.create(assessment=assessment, measure=measure, response=answer)


def test_outcome_measures_measured_improved_and_satisfaction(worker):
    one, two, three, four = (CaseFactory(allocated_to=worker) for _ in range(4))
    # One: safer 2 -> 4 (improved), health 3 -> 3, coping 3 -> 2 (worse); informed not
    # rated at entry and justice not relevant at exit are not measured.
    _outcomes(
        one,
        worker,
        "entry",
        date(2026, 4, 10),
        {"safer": 2, "health": 3, "coping": 3, "informed": "not_asked", "justice": 2},
    )
    _outcomes(
        one,
        worker,
        "exit",
        date(2026, 7, 1),
        {
            "safer": 4,
            "health": 3,
            "coping": 2,
            "informed": 4,
            "justice": "not_relevant",
            "satisfaction": 5,
        },
    )
    # Two: safer 3 -> 3 on the last day of the quarter.
    _outcomes(two, worker, "entry", date(2026, 5, 1), {"safer": 3})
    _outcomes(two, worker, "exit", date(2026, 9, 30), {"safer": 3, "satisfaction": 3})
    # Three: improved, but the exit was recorded in the next quarter.
    _outcomes(three, worker, "entry", date(2026, 5, 1), {"safer": 1})
    _outcomes(three, worker, "exit", date(2026, 10, 1), {"safer": 5, "satisfaction": 5})
    # Four: no entry ratings, so nothing measured; satisfaction still counts.
    _outcomes(four, worker, "exit", date(2026, 8, 1), {"safer": 5, "satisfaction": 4})

    measured = compute("outcomes_measured")
    assert measured.value == 2
    assert rows(measured) == {
        "Feeling safer": 2,
        "Health and wellbeing": 1,
        "Coping with everyday life": 1,
        "Informed and empowered": 0,
        "Able to engage with the criminal justice system": 0,
    }
    improved = compute("outcomes_improved")
    assert improved.value == 1
    assert rows(improved)["Feeling safer"] == 1
    assert sum(rows(improved).values()) == 1
    share = compute("outcomes_improved_share")
    assert share.value == 50.0
    assert share.base == 2
    satisfied = compute("satisfaction")
    assert satisfied.value == 66.7  # 5 and 4 of the three ratings 5, 3, 4
    assert satisfied.base == 3
    assert rows(satisfied) == {
        "5 (very satisfied)": 1,
        "4": 1,
        "3": 1,
        "2": 0,
        "1 (not at all satisfied)": 0,
    }


def test_awareness_sessions_and_attendees(worker):
    def talk(day, audience, attendees):
        AwarenessSession.objects.create(
            delivered_on=day,
            title="Recognising stalking",
            audience_type=audience,
            attendees=attendees,
            delivered_by=worker,
            created_by=worker,
        )

    talk(date(2026, 7, 1), "police", 20)
    talk(date(2026, 9, 30), "police", 15)
    talk(date(2026, 8, 1), "health", 3)
    for day in OUTSIDE:
        talk(day, "education", 40)
    sessions = compute("awareness_sessions")
    assert sessions.value == 3
    assert rows(sessions)["Police"] == 2
    assert rows(sessions)["Health professionals"] == 1
    assert rows(sessions)["Schools, colleges, universities"] == 0
    attendees = compute("awareness_attendees")
    assert attendees.value == 38
    assert rows(attendees)["Police"] == 35
    assert rows(attendees)["Health professionals"] == 3


def test_compliments_and_complaints(worker):
    def feedback(kind, day, received_from="client", outcome=""):
        Feedback.objects.create(
            kind=kind,
            received_from=received_from,
            received_on=day,
            summary="Feedback",
            outcome=outcome,
            recorded_by=worker,
        )

    feedback("compliment", date(2026, 7, 1))
    feedback("compliment", date(2026, 9, 30), received_from="professional")
    feedback("complaint", date(2026, 8, 1), outcome="upheld")
    feedback("complaint", date(2026, 8, 2))
    for day in OUTSIDE:
        feedback("compliment", day)
        feedback("complaint", day, outcome="not_upheld")
    compliments = compute("compliments")
    assert compliments.value == 2
    assert rows(compliments)["Client"] == 1
    assert rows(compliments)["Professional or partner agency"] == 1
    complaints = compute("complaints")
    assert complaints.value == 2
    assert rows(complaints) == {
        "Not resolved yet": 1,
        "Upheld": 1,
        "Partly upheld": 0,
        "Not upheld": 0,
        "Withdrawn": 0,
    }


def test_quarter_to_date_stops_at_the_dashboard_time(worker):
    """The dashboard's period ends now: a record dated today counts, tomorrow's does not."""
    for day in (date(2026, 8, 14), date(2026, 8, 15), date(2026, 8, 16)):
        AwarenessSession.objects.create(
            delivered_on=day,
            title="Stalking awareness",
            audience_type="employer",
            attendees=10,
            delivered_by=worker,
            created_by=worker,
        )
    assert compute("awareness_sessions", until=at(2026, 8, 15, 12)).value == 2
    assert compute("awareness_attendees", until=at(2026, 8, 15, 12)).value == 20


def test_published_counts_of_one_to_four_are_hidden_and_a_second_cell_with_them(worker):
    for _ in range(6):
        OneToOneSessionFactory(case=CaseFactory(allocated_to=worker), session_date=date(2026, 8, 3))
    OneToOneSessionFactory(
        case=CaseFactory(allocated_to=worker),
        session_date=date(2026, 8, 3),
        session_type="digital",
    )
    ind = registry.get("one_to_one_sessions")
    published = figures.publish(ind, ind.compute(Period.for_quarter(Q2)))
    assert published["value"] == 7
    assert published["breakdown"]["Digital safety"] == "<5"
    # 7 - 6 would reveal the 1, so the 6 is hidden as well.
    assert published["breakdown"]["Emotional support"] == "[c]"
    assert published["breakdown"]["Practical support"] == 0


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_commissioner_json_has_every_new_code_with_small_counts_hidden_and_pdf_sections(
    case, worker, manager, commissioner
):
    MaracReferral.objects.create(
        case=case, referred_on=date(2026, 7, 1), referred_by=worker, repeat=True
    )
    for n in range(3):
        AwarenessSession.objects.create(
            delivered_on=date(2026, 9, 1 + n),
            title="Stalking awareness",
            audience_type="police",
            attendees=25,
            delivered_by=worker,
            created_by=worker,
        )
    ret = services.return_generate(quarter="2026-Q2", by=manager)
    services.return_finalise(ret=ret, by=manager)

    response = signed_in(commissioner).get(reverse("reporting:download", args=[ret.pk, "json"]))
    assert response.status_code == 200
    doc = json.loads(b"".join(response.streaming_content))
    published = {i["code"]: i for i in doc["indicators"]}
    assert set(published) >= NEW_CODES
    assert published["marac_referrals"]["value"] == "<5"
    assert published["marac_referrals"]["breakdown"]["Repeat (within 12 months of a referral)"] == (
        "<5"
    )
    assert published["awareness_sessions"]["value"] == "<5"
    assert published["awareness_attendees"]["value"] == 75
    assert published["outcomes_improved_share"]["value"] is None  # nobody measured
    trends = signed_in(commissioner).get(reverse("reporting:trends")).content.decode()
    assert "Clients satisfied with the service" in trends
    assert "Share of clients whose outcomes improved" in trends

    ret.refresh_from_db()
    text = pdf_text(ret.pdf_file.path)
    for title in [*NEW_SECTIONS, "Outcome improvement by measure", "MARAC referrals made: <5"]:
        assert title in text, title


def test_manager_dashboard_shows_true_small_numbers_and_the_outcomes_chart(manager, case, worker):
    from django.utils import timezone

    MaracReferral.objects.create(case=case, referred_on=timezone.localdate(), referred_by=worker)
    page = signed_in(manager).get(reverse("reporting:dashboard")).content.decode()
    figure = page.split('data-indicator="marac_referrals"')[1][:80]
    assert ">1<" in figure.replace("\n", "").replace(" ", "") and "<5" not in figure
    assert "Outcomes for clients" in page
    assert "Outcome improvement by measure" in page
