import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from risk.forms.common import DURATION_RANGE
from risk.forms.safety_plan import DUE_IN_PAST, OWNER_DETAIL_NEEDED
from risk.models.safety_plan import SafetyAction
from risk.models.sessions import OneToOneSession
from risk.services.safety_plan import safety_plan_agree
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory
from tests.factories_plans import (
    CareGoalFactory,
    DigitalSafetyCheckFactory,
    GroupMemberFactory,
    GroupProgrammeFactory,
    GroupSessionFactory,
    OneToOneSessionFactory,
    SafetyActionFactory,
    SafetyPlanFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def world(caseworker, caseworker2, manager, commissioner, administrator):
    case = CaseFactory(allocated_to=caseworker)
    plan = SafetyPlanFactory(case=case, created_by=caseworker)
    action = SafetyActionFactory(plan=plan)

    safety_plan_agree(case=case, next_review_on=TODAY(), by=caseworker)
    goal = CareGoalFactory(case=case)
    session = OneToOneSessionFactory(case=case)
    check = DigitalSafetyCheckFactory(case=case)
    programme = GroupProgrammeFactory(facilitators=[caseworker], created_by=manager)
    GroupMemberFactory(programme=programme, case=case)
    group_session = GroupSessionFactory(programme=programme)
    return {
        "case": case,
        "action": action,
        "goal": goal,
        "session": session,
        "check": check,
        "programme": programme,
        "group_session": group_session,
        "users": {
            "caseworker": caseworker,
            "other_caseworker": caseworker2,
            "manager": manager,
            "commissioner": commissioner,
            "administrator": administrator,
        },
    }


CASE_PAGES = [
    ("risk:safety_plan", lambda w: [w["case"].pk]),
    ("risk:safety_action_add", lambda w: [w["case"].pk]),
    ("risk:safety_action_edit", lambda w: [w["case"].pk, w["action"].pk]),
    ("risk:safety_plan_agree", lambda w: [w["case"].pk]),
    ("risk:safety_plan_version", lambda w: [w["case"].pk, 1]),
    ("risk:safety_plan_client_copy", lambda w: [w["case"].pk]),
    ("risk:safety_plan_copy_consent", lambda w: [w["case"].pk]),
    ("risk:care_plan", lambda w: [w["case"].pk]),
    ("risk:needs_assessment_add", lambda w: [w["case"].pk]),
    ("risk:care_goal_add", lambda w: [w["case"].pk]),
    ("risk:care_goal_edit", lambda w: [w["case"].pk, w["goal"].pk]),
    ("risk:care_goal_progress", lambda w: [w["case"].pk, w["goal"].pk]),
    ("risk:interventions", lambda w: [w["case"].pk]),
    ("risk:session_add", lambda w: [w["case"].pk]),
    ("risk:session_edit", lambda w: [w["case"].pk, w["session"].pk]),
    ("risk:group_enrol", lambda w: [w["case"].pk]),
    ("risk:digital_safety", lambda w: [w["case"].pk]),
    ("risk:digital_check_add", lambda w: [w["case"].pk]),
    ("risk:digital_check_edit", lambda w: [w["case"].pk, w["check"].pk]),
]

# Another caseworker is offered break-glass (a redirect to give a reason), as on every
# case tab (cases.case_page.with_case); a POST from them is refused.
CASE_ROLE_MATRIX = [
    (None, 302),
    ("caseworker", 200),
    ("other_caseworker", 302),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]
CASE_POST_MATRIX = [
    (None, 302),
    ("caseworker", 200),
    ("other_caseworker", 404),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]


def client_for(world, who):
    http = HttpClient()
    if who is not None:
        http.force_login(world["users"][who])
    return http


@pytest.mark.parametrize(("url_name", "args"), CASE_PAGES, ids=[n for n, _ in CASE_PAGES])
@pytest.mark.parametrize(
    ("who", "expected"), CASE_ROLE_MATRIX, ids=[w or "signed_out" for w, _ in CASE_ROLE_MATRIX]
)
def test_case_page_role_matrix(world, url_name, args, who, expected):
    url = reverse(url_name, args=args(world))
    response = client_for(world, who).get(url)
    assert response.status_code == expected
    if who is None:
        assert response["Location"].startswith(reverse("login"))
    if who == "other_caseworker":
        break_glass = reverse("cases:break_glass", args=[world["case"].pk])
        assert response["Location"].startswith(break_glass)


@pytest.mark.parametrize(
    ("who", "expected"), CASE_POST_MATRIX, ids=[w or "signed_out" for w, _ in CASE_POST_MATRIX]
)
def test_finding_to_plan_role_matrix(world, who, expected):
    url = reverse(
        "risk:digital_finding_add",
        args=[world["case"].pk, world["check"].pk, "location_sharing"],
    )
    response = client_for(world, who).post(url)
    expected_post = 302 if expected == 200 else expected
    assert response.status_code == expected_post
    added = SafetyAction.objects.filter(source_finding="location_sharing").exists()
    assert added == (expected == 200)


GROUP_PAGES = [
    ("risk:group_detail", lambda w: [w["programme"].pk]),
    ("risk:group_session_add", lambda w: [w["programme"].pk]),
    ("risk:group_register", lambda w: [w["programme"].pk, w["group_session"].pk]),
]
# The caseworker in the world facilitates the group; the other caseworker does not.
GROUP_ROLE_MATRIX = [
    (None, 302),
    ("caseworker", 200),
    ("other_caseworker", 404),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]
GROUP_MANAGE_PAGES = [
    ("risk:group_add", lambda w: []),
    ("risk:group_edit", lambda w: [w["programme"].pk]),
]
GROUP_MANAGE_MATRIX = [
    (None, 302),
    ("caseworker", 404),
    ("other_caseworker", 404),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]
GROUP_LIST_MATRIX = [
    (None, 302),
    ("caseworker", 200),
    ("other_caseworker", 200),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]


@pytest.mark.parametrize(("url_name", "args"), GROUP_PAGES, ids=[n for n, _ in GROUP_PAGES])
@pytest.mark.parametrize(
    ("who", "expected"), GROUP_ROLE_MATRIX, ids=[w or "signed_out" for w, _ in GROUP_ROLE_MATRIX]
)
def test_group_page_role_matrix(world, url_name, args, who, expected):
    response = client_for(world, who).get(reverse(url_name, args=args(world)))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("url_name", "args"), GROUP_MANAGE_PAGES, ids=[n for n, _ in GROUP_MANAGE_PAGES]
)
@pytest.mark.parametrize(
    ("who", "expected"),
    GROUP_MANAGE_MATRIX,
    ids=[w or "signed_out" for w, _ in GROUP_MANAGE_MATRIX],
)
def test_group_manage_role_matrix(world, url_name, args, who, expected):
    response = client_for(world, who).get(reverse(url_name, args=args(world)))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"), GROUP_LIST_MATRIX, ids=[w or "signed_out" for w, _ in GROUP_LIST_MATRIX]
)
def test_group_list_role_matrix(world, who, expected):
    response = client_for(world, who).get(reverse("risk:groups"))
    assert response.status_code == expected
    if who == "other_caseworker":
        assert world["programme"].name not in response.text
    if who in ("caseworker", "manager"):
        assert world["programme"].name in response.text


# ---- group facilitators ----------------------------------------------------------------


def test_facilitator_sees_only_preferred_names_of_their_group(as_user, caseworker, caseworker2):
    programme = GroupProgrammeFactory(facilitators=[caseworker2])
    case = CaseFactory(
        allocated_to=caseworker,
        client__first_name="Margaret",
        client__last_name="Oyelaran",
    )
    case.client.preferred_name = "Peggy"
    case.client.save()
    GroupMemberFactory(programme=programme, case=case)
    other_group = GroupProgrammeFactory(facilitators=[caseworker])

    http = as_user(caseworker2)
    response = http.get(reverse("risk:group_detail", args=[programme.pk]))
    assert response.status_code == 200
    assert "Peggy" in response.text
    for hidden in ("Margaret", "Oyelaran", case.reference, reverse("cases:detail", args=[case.pk])):
        assert hidden not in response.text
    # The facilitator cannot open the member's case (only offered break-glass, which is
    # recorded), nor a group they do not facilitate.
    response = http.get(reverse("risk:safety_plan", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:break_glass", args=[case.pk]))
    assert http.get(reverse("risk:group_detail", args=[other_group.pk])).status_code == 404


def test_register_records_attendance_by_preferred_name(as_user, caseworker, caseworker2):
    programme = GroupProgrammeFactory(facilitators=[caseworker2])
    member = GroupMemberFactory(programme=programme, case=CaseFactory(allocated_to=caseworker))
    session = GroupSessionFactory(programme=programme)
    url = reverse("risk:group_register", args=[programme.pk, session.pk])
    http = as_user(caseworker2)
    page = http.get(url)
    assert member.case.client.first_name in page.text
    response = http.post(url, {f"case_{member.case_id}": "apologies"})
    assert response.status_code == 302
    assert session.attendance.get().status == "apologies"
    assert CaseEvent.objects.filter(case=member.case, kind="group_attendance").exists()


# ---- the client copy download ----------------------------------------------------------


def test_client_copy_download_is_a_pdf_attachment_and_logged(world, as_user, caseworker):
    url = reverse("risk:safety_plan_client_copy", args=[world["case"].pk])
    response = as_user(caseworker).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF")
    audit = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert audit.case_id == world["case"].pk
    assert audit.page == url


# ---- bad input --------------------------------------------------------------------------


def test_action_form_keeps_input_and_shows_errors(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    url = reverse("risk:safety_action_add", args=[case.pk])
    response = as_user(caseworker).post(
        url,
        {
            "section": "home",
            "description": "Ask <b>neighbour</b> to watch",
            "owner": "agency",
            "owner_detail": "",
            "due_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
            "status": "to_do",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert "<title>Error:" in text
    assert DUE_IN_PAST in text
    assert OWNER_DETAIL_NEEDED in text
    assert "Ask &lt;b&gt;neighbour&lt;/b&gt; to watch" in text
    assert not SafetyAction.objects.exists()


def test_action_text_is_shown_escaped(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    SafetyActionFactory(
        plan=SafetyPlanFactory(case=case, created_by=caseworker),
        description="<script>alert('x')</script>",
    )
    response = as_user(caseworker).get(reverse("risk:safety_plan", args=[case.pk]))
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text


def test_over_long_action_is_refused(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("risk:safety_action_add", args=[case.pk]),
        {"section": "home", "description": "x" * 501, "owner": "client", "status": "to_do"},
    )
    assert response.status_code == 200
    assert "at most 500 characters" in response.text
    assert not SafetyAction.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "0"}, DURATION_RANGE),
        ({"duration_minutes": "1000"}, DURATION_RANGE),
        (
            {"session_date": (TODAY() + datetime.timedelta(days=2)).isoformat()},
            "A delivered session cannot be dated in the future",
        ),
        ({"notes": "n" * 6001}, "at most 6000 characters"),
    ],
)
def test_session_form_refuses_bad_input(as_user, caseworker, overrides, message):
    case = CaseFactory(allocated_to=caseworker)
    data = {
        "session_type": "emotional",
        "session_date": TODAY().isoformat(),
        "duration_minutes": "45",
        "mode": "phone",
        "status": "delivered",
        "notes": "Kept this note",
    }
    data.update(overrides)
    response = as_user(caseworker).post(reverse("risk:session_add", args=[case.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert not OneToOneSession.objects.exists()


def test_digital_check_with_stalkerware_and_no_decision_is_refused(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("risk:digital_check_add", args=[case.pk]),
        {
            "checked_on": TODAY().isoformat(),
            "phone_os": "android",
            "phone_paid_by": "client",
            "perpetrator_had_access": "yes",
            "stalkerware": "found",
            "childrens_devices": "na",
            "findings": "mSpy icon hidden in settings",
        },
    )
    assert response.status_code == 200
    assert "record the decision on removing it" in response.text
    assert "mSpy icon hidden in settings" in response.text


def test_full_journey_digital_finding_onto_the_plan(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    response = http.post(
        reverse("risk:digital_check_add", args=[case.pk]),
        {
            "checked_on": TODAY().isoformat(),
            "phone_os": "ios",
            "phone_paid_by": "perpetrator",
            "perpetrator_had_access": "yes",
            "stalkerware": "found",
            "stalkerware_decision": "police",
            "stalkerware_decision_agreed_by": "Client and DC Shaw",
            "childrens_devices": "na",
            "complete": "on",
        },
        follow=True,
    )
    assert "Digital safety check 1 saved" in response.text
    assert "Police to examine the device" in response.text
    check = case.digital_checks.get()
    response = http.post(
        reverse("risk:digital_finding_add", args=[case.pk, check.pk, "stalkerware_found"]),
        follow=True,
    )
    assert "Added to the safety plan" in response.text
    plan_page = http.get(reverse("risk:safety_plan", args=[case.pk]))
    assert "Follow the agreed plan for the phone with stalkerware" in plan_page.text
    assert "From digital check 1" in plan_page.text


# ---- query ceilings ---------------------------------------------------------------------


def _fill(case, caseworker, n):
    plan = SafetyPlanFactory(case=case, created_by=caseworker)
    for i in range(n):
        SafetyActionFactory(plan=plan, section=["home", "online", "travel"][i % 3])
        goal = CareGoalFactory(case=case)
        goal.progress_notes.create(note="Going well", by=caseworker)
        OneToOneSessionFactory(case=case)
        DigitalSafetyCheckFactory(case=case)
        programme = GroupProgrammeFactory(facilitators=[caseworker])
        GroupMemberFactory(programme=programme, case=case)
        session = GroupSessionFactory(programme=programme)
        session.attendance.create(case=case, status="attended", recorded_by=caseworker)


@pytest.mark.parametrize(
    ("url_name", "ceiling"),
    [
        ("risk:safety_plan", 14),
        ("risk:care_plan", 14),
        ("risk:interventions", 16),
        ("risk:digital_safety", 14),
    ],
)
def test_case_tabs_query_ceiling(
    as_user, caseworker, django_assert_max_num_queries, url_name, ceiling
):
    small, large = CaseFactory(allocated_to=caseworker), CaseFactory(allocated_to=caseworker)
    _fill(small, caseworker, 3)
    _fill(large, caseworker, 30)
    http = as_user(caseworker)
    for case in (small, large):
        with django_assert_max_num_queries(ceiling):
            assert http.get(reverse(url_name, args=[case.pk])).status_code == 200


@pytest.mark.parametrize("kind", ["list", "detail", "register"])
def test_group_pages_query_ceiling(
    as_user, caseworker, manager, django_assert_max_num_queries, kind
):
    programmes = []
    for n in (3, 30):
        programme = GroupProgrammeFactory(facilitators=[caseworker, manager])
        sessions = [GroupSessionFactory(programme=programme) for _ in range(n)]
        for _ in range(n):
            member = GroupMemberFactory(programme=programme)
            sessions[0].attendance.create(case=member.case, status="attended", recorded_by=manager)
        programmes.append((programme, sessions[0]))
    http = as_user(caseworker)
    for programme, session in programmes:
        url = {
            "list": reverse("risk:groups"),
            "detail": reverse("risk:group_detail", args=[programme.pk]),
            "register": reverse("risk:group_register", args=[programme.pk, session.pk]),
        }[kind]
        with django_assert_max_num_queries(10):
            assert http.get(url).status_code == 200


# ---- forms that save --------------------------------------------------------------------


def test_needs_assessment_then_goal_then_progress_through_the_pages(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    data = {"assessed_on": TODAY().isoformat(), "notes": ""}
    for code in ("safety", "health", "coping", "housing", "money", "work", "cjs", "digital"):
        data[f"rating_{code}"] = "low"
    missing = http.post(reverse("risk:needs_assessment_add", args=[case.pk]), data)
    assert "Select a level of need for family and children" in missing.text
    data.update(rating_family="none", rating_social="high", comment_social="Isolated")
    response = http.post(reverse("risk:needs_assessment_add", args=[case.pk]), data, follow=True)
    assert "Needs assessment saved" in response.text
    assert "Isolated" in response.text

    past = http.post(
        reverse("risk:care_goal_add", args=[case.pk]),
        {
            "domain": "social",
            "goal": "Join a group",
            "planned_interventions": "Peer support",
            "review_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
            "status": "open",
        },
    )
    assert "The review date must be today or later" in past.text
    response = http.post(
        reverse("risk:care_goal_add", args=[case.pk]),
        {
            "domain": "social",
            "goal": "Join a group",
            "planned_interventions": "Peer support",
            "review_on": (TODAY() + datetime.timedelta(days=14)).isoformat(),
            "status": "open",
        },
        follow=True,
    )
    assert "Join a group" in response.text
    goal = case.care_goals.get()
    response = http.post(
        reverse("risk:care_goal_progress", args=[case.pk, goal.pk]),
        {"note": "Went to the first session"},
        follow=True,
    )
    assert "Went to the first session" in response.text


def test_agreeing_through_the_page_needs_confirmation(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    SafetyActionFactory(plan=SafetyPlanFactory(case=case, created_by=caseworker))
    url = reverse("risk:safety_plan_agree", args=[case.pk])
    http = as_user(caseworker)
    review = (TODAY() + datetime.timedelta(days=28)).isoformat()
    response = http.post(url, {"next_review_on": review})
    assert "Confirm that the client agreed this plan" in response.text
    response = http.post(url, {"next_review_on": review, "confirmed": "on"}, follow=True)
    assert "Version 1 of the safety plan agreed" in response.text
    assert reverse("risk:safety_plan_version", args=[case.pk, 1]) in response.text


def test_repeat_digital_check_starts_from_the_last_answers(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    DigitalSafetyCheckFactory(case=case, phone_os="ios", two_factor_on=True)
    response = as_user(caseworker).get(reverse("risk:digital_check_add", args=[case.pk]))
    assert '<option value="ios" selected>' in response.text
