import datetime
import subprocess

import pytest
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from cases.statuses import CaseStatus
from risk.forms.digital import DigitalCheckForm
from risk.models.care_plan import CareGoal, NeedDomain
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupAttendance
from risk.models.safety_plan import SafetyAction, SafetyPlan
from risk.selectors.digital import digital_check_findings
from risk.services.care_plan import (
    care_goal_add,
    care_goal_progress_add,
    care_goal_update,
    needs_assessment_record,
)
from risk.services.common import CASE_CLOSED
from risk.services.digital import (
    FINDING_ALREADY_ON_PLAN,
    FINDING_NOT_FOUND,
    STALKERWARE_DECISION_REQUIRED,
    digital_check_record,
    digital_finding_add_to_plan,
)
from risk.services.groups import (
    ALREADY_ENROLLED,
    ATTENDANCE_IN_FUTURE,
    NOT_A_MEMBER,
    group_attendance_record,
    group_enrol,
)
from risk.services.safety_plan import (
    NO_ACTIONS_TO_AGREE,
    safety_action_add,
    safety_action_update,
    safety_plan_agree,
    safety_plan_client_copy,
)
from risk.services.sessions import DELIVERED_IN_FUTURE, session_record
from stalkingservice.domain import DomainError
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory
from tests.factories_plans import (
    DigitalSafetyCheckFactory,
    GroupMemberFactory,
    GroupSessionFactory,
    SafetyActionFactory,
    SafetyPlanFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def action_data(**overrides):
    data = {
        "section": "home",
        "description": "Keep the doors locked",
        "owner": "client",
        "owner_detail": "",
        "due_on": TODAY() + datetime.timedelta(days=7),
        "status": "to_do",
        "client_may_take_copy": True,
    }
    data.update(overrides)
    return data


# ---- client copy ---------------------------------------------------------------------


def test_client_copy_has_only_agreed_actions_and_never_the_address_or_contacts(
    caseworker, tmp_path
):
    case = CaseFactory(allocated_to=caseworker, client__address="14 Larch Grove\nStafford ST16 3AB")
    case.client.preferred_name = "Jo"
    case.client.save()
    contact = case.client.safe_contact
    contact.safe_phone = "07700 900456"
    contact.code_word = "Bluebell"
    contact.save()
    plan = SafetyPlanFactory(case=case, created_by=caseworker)
    SafetyActionFactory(
        plan=plan, description="Carry the personal alarm", client_may_take_copy=True
    )
    SafetyActionFactory(
        plan=plan, description="Caseworker to call the housing officer", client_may_take_copy=False
    )
    # Typed into an agreed action by mistake: still never printed.
    SafetyActionFactory(
        plan=plan,
        section="contacts",
        description="Ring 07700900456 or go to 14 Larch Grove; code word Bluebell",
        client_may_take_copy=True,
    )

    pdf = safety_plan_client_copy(case=case, by=caseworker)

    text = pdf_text(pdf, tmp_path)
    assert "My safety plan" in text
    assert "Jo" in text
    assert "Carry the personal alarm" in text
    assert "housing officer" not in text
    assert "Larch Grove" not in text
    assert "ST16 3AB" not in text
    assert "900456" not in text
    assert "Bluebell" not in text
    assert "removed for your safety" in text
    assert "999" in text


def test_client_copy_is_logged_as_an_export_and_on_the_timeline(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    SafetyActionFactory(plan=SafetyPlanFactory(case=case, created_by=caseworker))

    safety_plan_client_copy(case=case, by=caseworker)

    audit = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, case_id=case.pk)
    assert audit.user == caseworker
    assert "client copy" in audit.detail
    assert CaseEvent.objects.filter(case=case, kind="safety_plan_client_copy").exists()


# ---- versions ------------------------------------------------------------------------


def test_agreeing_bumps_the_plan_version_and_keeps_each_version(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    action = safety_action_add(case=case, data=action_data(), by=caseworker)
    review = TODAY() + datetime.timedelta(days=28)

    plan = safety_plan_agree(case=case, next_review_on=review, by=caseworker)
    assert (plan.plan_version, plan.status) == (1, SafetyPlan.Status.AGREED)
    assert plan.first_agreed_at is not None

    safety_action_update(
        action=action, data=action_data(description="Keep doors and windows locked"), by=caseworker
    )
    plan.refresh_from_db()
    assert plan.status == SafetyPlan.Status.CHANGED

    plan = safety_plan_agree(case=case, next_review_on=review, by=caseworker)
    assert plan.plan_version == 2
    versions = {v.number: v.snapshot for v in plan.versions.all()}
    assert versions[1][0]["description"] == "Keep the doors locked"
    assert versions[2][0]["description"] == "Keep doors and windows locked"
    assert plan.history.count() >= 3
    assert action.history.count() == 2


def test_agreeing_an_empty_plan_is_refused(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match=NO_ACTIONS_TO_AGREE):
        safety_plan_agree(case=case, next_review_on=TODAY(), by=caseworker)


def test_done_action_gets_a_completion_date(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    action = safety_action_add(case=case, data=action_data(status="done"), by=caseworker)
    assert action.completed_on == TODAY()


def test_closed_case_refuses_new_work(caseworker):
    case = CaseFactory(allocated_to=caseworker, status=CaseStatus.CLOSED)
    with pytest.raises(DomainError, match=CASE_CLOSED):
        safety_action_add(case=case, data=action_data(), by=caseworker)


# ---- digital safety ------------------------------------------------------------------


def check_data(**overrides):
    data = {f: getattr(DigitalSafetyCheck(), f) for f in DigitalSafetyCheck.EDITABLE_FIELDS}
    data["checked_on"] = TODAY()
    data.update(overrides)
    return data


def test_stalkerware_found_needs_a_decision_and_who_agreed(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match="record the decision on removing it"):
        digital_check_record(case=case, data=check_data(stalkerware="found"), by=caseworker)
    with pytest.raises(DomainError, match="record the decision on removing it"):
        digital_check_record(
            case=case,
            data=check_data(stalkerware="found", stalkerware_decision="leave"),
            by=caseworker,
        )
    check = digital_check_record(
        case=case,
        data=check_data(
            stalkerware="found",
            stalkerware_decision="police",
            stalkerware_decision_agreed_by="Client, caseworker and DC Shaw",
        ),
        by=caseworker,
    )
    assert check.number == 1
    assert check.stalkerware_decision_agreed_by == "Client, caseworker and DC Shaw"


def test_stalkerware_form_shows_the_message_beside_the_field():
    form = DigitalCheckForm(
        data={
            "checked_on": TODAY().isoformat(),
            "phone_os": "android",
            "phone_paid_by": "client",
            "perpetrator_had_access": "yes",
            "stalkerware": "found",
            "childrens_devices": "na",
        }
    )
    assert not form.is_valid()
    assert STALKERWARE_DECISION_REQUIRED in form.errors["stalkerware_decision"]
    assert form.errors["stalkerware_decision_agreed_by"]


def test_checks_are_numbered_and_completion_is_stamped(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    first = digital_check_record(case=case, data=check_data(), by=caseworker)
    second = digital_check_record(case=case, data=check_data(complete=True), by=caseworker)
    assert (first.number, second.number) == (1, 2)
    assert first.status == "draft" and first.completed_at is None
    assert second.status == "complete" and second.completed_at is not None
    assert CaseEvent.objects.filter(case=case, kind="digital_check_completed").count() == 1


def test_finding_becomes_a_safety_plan_action_once(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    check = DigitalSafetyCheckFactory(case=case, tracker_found=True, tracker_where="Car wheel arch")
    codes = [f.code for f in digital_check_findings(check)]
    assert "tracker_police" in codes and "location_sharing" in codes

    action = digital_finding_add_to_plan(check=check, code="tracker_police", by=caseworker)

    assert action.plan.case == case
    assert action.section == "police"
    assert action.source_check == check
    assert "tracking device" in action.description
    assert action.client_may_take_copy is False
    with pytest.raises(DomainError, match=FINDING_ALREADY_ON_PLAN):
        digital_finding_add_to_plan(check=check, code="tracker_police", by=caseworker)
    with pytest.raises(DomainError, match=FINDING_NOT_FOUND):
        digital_finding_add_to_plan(check=check, code="nonsense", by=caseworker)


def test_a_fully_secured_check_has_nothing_to_act_on():
    check = DigitalSafetyCheck(
        perpetrator_had_access="no",
        phone_paid_by="client",
        device_admin_checked=True,
        profiles_checked=True,
        location_sharing_reviewed=True,
        email_secured=True,
        social_secured=True,
        cloud_secured=True,
        banking_secured=True,
        two_factor_on=True,
        smart_home_checked=True,
        car_telematics_checked=True,
        childrens_devices="checked",
        platform_safety_check_run=True,
    )
    assert digital_check_findings(check) == []


# ---- interventions -------------------------------------------------------------------


def test_delivered_session_cannot_be_in_the_future(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    data = {
        "session_type": "advocacy",
        "session_date": TODAY() + datetime.timedelta(days=1),
        "duration_minutes": 30,
        "mode": "video",
        "status": "delivered",
        "notes": "",
    }
    with pytest.raises(DomainError, match=DELIVERED_IN_FUTURE):
        session_record(case=case, data=data, by=caseworker)
    data["status"] = "planned"
    session = session_record(case=case, data=data, by=caseworker)
    assert session.worker == caseworker
    assert CaseEvent.objects.filter(case=case, kind="session_recorded").exists()


def test_register_records_attendance_on_each_members_timeline(caseworker, manager):
    session = GroupSessionFactory()
    members = [GroupMemberFactory(programme=session.programme) for _ in range(3)]
    outsider = CaseFactory()
    marks = {
        members[0].case_id: "attended",
        members[1].case_id: "apologies",
        members[2].case_id: "dna",
    }
    group_attendance_record(session=session, marks=marks, by=manager)
    session.refresh_from_db()
    assert session.status == "delivered"
    assert dict(GroupAttendance.objects.values_list("case_id", "status")) == marks
    assert CaseEvent.objects.filter(kind="group_attendance").count() == 3
    with pytest.raises(DomainError, match=NOT_A_MEMBER):
        group_attendance_record(session=session, marks={outsider.pk: "attended"}, by=manager)


def test_register_refused_for_a_future_session(manager):
    session = GroupSessionFactory(session_date=TODAY() + datetime.timedelta(days=3))
    with pytest.raises(DomainError, match=ATTENDANCE_IN_FUTURE):
        group_attendance_record(session=session, marks={}, by=manager)


def test_enrolling_twice_is_refused(caseworker):
    member = GroupMemberFactory()
    with pytest.raises(DomainError, match=ALREADY_ENROLLED):
        group_enrol(case=member.case, programme=member.programme, by=caseworker)


# ---- care plan -----------------------------------------------------------------------


def test_needs_assessment_and_goal_lifecycle(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    ratings = dict.fromkeys(NeedDomain.values, ("low", ""))
    ratings["housing"] = ("high", "Suspect knows the address")
    assessment = needs_assessment_record(
        case=case, assessed_on=TODAY(), ratings=ratings, by=caseworker
    )
    assert assessment.scores.count() == 10
    event = CaseEvent.objects.get(case=case, kind="needs_assessed")
    assert "Housing" in event.summary

    goal = care_goal_add(
        case=case,
        data={
            "domain": "housing",
            "goal": "Move somewhere safer",
            "planned_interventions": "Advocacy with the council",
            "review_on": TODAY() + datetime.timedelta(days=28),
            "status": "open",
        },
        by=caseworker,
    )
    care_goal_progress_add(goal=goal, note="Council accepted a duty", by=caseworker)
    goal = care_goal_update(
        goal=goal,
        data={"status": CareGoal.Status.ACHIEVED, "version": goal.version},
        by=caseworker,
    )
    assert goal.closed_on == TODAY()
    assert goal.progress_notes.count() == 1


def test_stale_edit_is_refused(caseworker):
    action = SafetyActionFactory(plan=SafetyPlanFactory(case=CaseFactory(allocated_to=caseworker)))
    SafetyAction.objects.filter(pk=action.pk).update(version=5)
    with pytest.raises(DomainError, match="Someone else saved"):
        safety_action_update(action=action, data={"version": 1}, by=caseworker)
