"""Reads for safety plans, care plans, interventions, group work and digital safety.
Child records are always reached through a case the user may see (or, for groups, a
programme the user facilitates), so anything else is a 404."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from cases.permissions import cases_visible_to
from stalkingservice.roles import Capability

from .models import (
    CareGoal,
    DigitalSafetyCheck,
    GoalProgressNote,
    GroupAttendance,
    GroupMember,
    GroupProgramme,
    GroupSession,
    NeedsAssessment,
    NeedScore,
    OneToOneSession,
    SafetyAction,
    SafetyPlan,
    SafetySection,
)

# ---- safety plan -------------------------------------------------------------------


def safety_plan_for_case(*, case) -> SafetyPlan | None:
    return SafetyPlan.objects.select_related("agreed_by").filter(case=case).first()


def safety_plan_sections(*, plan: SafetyPlan | None) -> list[dict]:
    """Every section in order, each with its actions (one query)."""
    actions = []
    if plan is not None:
        actions = list(plan.actions.select_related("source_check").order_by("due_on", "id"))
    by_section = {code: [] for code in SafetySection.values}
    for action in actions:
        by_section[action.section].append(action)
    return [
        {"code": code, "label": label, "actions": by_section[code]}
        for code, label in SafetySection.choices
    ]


def safety_action_get(*, case, pk) -> SafetyAction:
    try:
        return SafetyAction.objects.select_related("plan").get(plan__case=case, pk=pk)
    except (SafetyAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def safety_plan_version_get(*, case, number):
    plan = safety_plan_for_case(case=case)
    if plan is None:
        raise Http404
    version = plan.versions.select_related("agreed_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version


# ---- care plan ---------------------------------------------------------------------


def needs_assessment_latest(*, case) -> NeedsAssessment | None:
    return (
        NeedsAssessment.objects.filter(case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("scores", queryset=NeedScore.objects.order_by("id")))
        .order_by("-assessed_on", "-id")
        .first()
    )


def needs_assessments_for_case(*, case) -> QuerySet[NeedsAssessment]:
    return NeedsAssessment.objects.filter(case=case).select_related("assessed_by")


def care_goals_for_case(*, case) -> QuerySet[CareGoal]:
    return (
        CareGoal.objects.filter(case=case)
        .select_related("created_by")
        .annotate(progress_count=Count("progress_notes"))
        .prefetch_related(
            Prefetch(
                "progress_notes",
                queryset=GoalProgressNote.objects.select_related("by").order_by("-written_at"),
            )
        )
        .order_by("status", "review_on", "id")
    )


def care_goal_get(*, case, pk) -> CareGoal:
    try:
        return CareGoal.objects.get(case=case, pk=pk)
    except (CareGoal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---- interventions -----------------------------------------------------------------


def sessions_for_case(*, case) -> QuerySet[OneToOneSession]:
    return OneToOneSession.objects.filter(case=case).select_related("worker")


def session_get(*, case, pk) -> OneToOneSession:
    try:
        return OneToOneSession.objects.get(case=case, pk=pk)
    except (OneToOneSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def group_memberships_for_case(*, case) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(case=case)
        .select_related("programme")
        .order_by("-enrolled_on", "id")
    )


def group_attendance_for_case(*, case) -> QuerySet[GroupAttendance]:
    return (
        GroupAttendance.objects.filter(case=case)
        .select_related("session", "session__programme")
        .order_by("-session__session_date", "-id")
    )


def programmes_open_for_enrolment(*, case) -> QuerySet[GroupProgramme]:
    return GroupProgramme.objects.filter(active=True).exclude(members__case=case)


# ---- group work --------------------------------------------------------------------


def programmes_visible_to(user) -> QuerySet[GroupProgramme]:
    """Managers see every programme; other staff who work cases see the programmes they
    facilitate. Nobody else sees any."""
    if not getattr(user, "is_authenticated", False) or not user.can(Capability.WORK_CASES):
        return GroupProgramme.objects.none()
    if user.can(Capability.SEE_ALL_CASES):
        return GroupProgramme.objects.all()
    return GroupProgramme.objects.filter(facilitators=user)


def programme_list_for_user(*, user) -> QuerySet[GroupProgramme]:
    return (
        programmes_visible_to(user)
        .annotate(
            member_count=Count("members", distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .prefetch_related("facilitators")
        .order_by("-active", "-starts_on", "name")
    )


def programme_get_for_user(*, user, pk) -> GroupProgramme:
    try:
        return programmes_visible_to(user).get(pk=pk)
    except (GroupProgramme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Attendee:
    """What a facilitator may know of a group member: the name they like to be called,
    nothing from their case."""

    case_id: int
    name: str


def preferred_name(client) -> str:
    return client.preferred_name or client.first_name


def programme_attendees(*, programme: GroupProgramme) -> list[Attendee]:
    rows = (
        GroupMember.objects.filter(programme=programme)
        .values_list("case_id", "case__client__preferred_name", "case__client__first_name")
        .order_by("case__client__preferred_name", "case__client__first_name", "id")
    )
    return [Attendee(case_id=c, name=p or f) for c, p, f in rows]


def programme_sessions(*, programme: GroupProgramme) -> QuerySet[GroupSession]:
    return programme.sessions.annotate(
        attended=Count("attendance", filter=Q(attendance__status=GroupAttendance.Status.ATTENDED))
    ).order_by("-session_date", "-id")


def group_session_get(*, programme, pk) -> GroupSession:
    try:
        return programme.sessions.get(pk=pk)
    except (GroupSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def session_attendance_map(*, session: GroupSession) -> dict[int, str]:
    return dict(session.attendance.values_list("case_id", "status"))


# ---- digital safety ----------------------------------------------------------------


def digital_checks_for_case(*, case) -> QuerySet[DigitalSafetyCheck]:
    return DigitalSafetyCheck.objects.filter(case=case).select_related("checked_by")


def digital_check_get(*, case, pk) -> DigitalSafetyCheck:
    try:
        return DigitalSafetyCheck.objects.select_related("checked_by").get(case=case, pk=pk)
    except (DigitalSafetyCheck.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Finding:
    code: str
    section: str
    text: str


def digital_check_findings(check: DigitalSafetyCheck) -> list[Finding]:
    """What the check found that needs an action, each worded as a safety-plan action."""
    C = DigitalSafetyCheck
    found: list[Finding] = []
    online = SafetySection.ONLINE
    if check.stalkerware == C.Stalkerware.FOUND:
        decision = check.get_stalkerware_decision_display() if check.stalkerware_decision else ""
        found.append(
            Finding(
                "stalkerware_found",
                online,
                "Follow the agreed plan for the phone with stalkerware"
                + (f": {decision.lower()}" if decision else ""),
            )
        )
    elif check.stalkerware == C.Stalkerware.SUSPECTED:
        found.append(
            Finding(
                "stalkerware_suspected",
                online,
                "Get the phone checked for stalkerware before changing anything on it",
            )
        )
    if check.perpetrator_had_access == "yes" or check.phone_paid_by in ("perpetrator", "shared"):
        found.append(
            Finding(
                "phone_account",
                online,
                "Move the phone to an account only the client controls and change its passcode",
            )
        )
    if not (check.device_admin_checked and check.profiles_checked):
        found.append(
            Finding(
                "device_admin",
                online,
                "Check the phone for unknown device admin apps and profiles",
            )
        )
    if not check.location_sharing_reviewed:
        found.append(
            Finding("location_sharing", online, "Review who can see the client's location")
        )
    if check.tracker_found and not check.tracker_police_told:
        found.append(
            Finding(
                "tracker_police",
                SafetySection.POLICE,
                "Tell the police about the tracking device and keep it as evidence",
            )
        )
    unsecured = [
        label
        for flag, label in (
            (check.email_secured, "email"),
            (check.social_secured, "social media"),
            (check.cloud_secured, "cloud storage"),
            (check.banking_secured, "banking"),
        )
        if not flag
    ]
    if unsecured:
        found.append(
            Finding(
                "accounts",
                online,
                "Change passwords and secure the " + ", ".join(unsecured) + " accounts",
            )
        )
    if not check.two_factor_on:
        found.append(Finding("two_factor", online, "Switch on two-factor sign-in for key accounts"))
    if not check.smart_home_checked or not check.car_telematics_checked:
        found.append(
            Finding(
                "smart_home_car",
                SafetySection.HOME,
                "Check smart-home devices, car apps and telematics for shared access",
            )
        )
    if check.childrens_devices == C.ChildrenDevices.NOT_CHECKED:
        found.append(
            Finding(
                "children_devices",
                SafetySection.CHILDREN,
                "Check the children's phones, tablets and games consoles",
            )
        )
    if not check.platform_safety_check_run:
        found.append(
            Finding(
                "platform_check",
                online,
                "Run the safety check on each platform the client uses (Google, Apple, Meta)",
            )
        )
    return found


REPEATED_CHECK_FIELDS = (
    "phone_os",
    "phone_paid_by",
    "perpetrator_had_access",
    "stalkerware",
    "device_admin_checked",
    "profiles_checked",
    "location_sharing_reviewed",
    "tracker_found",
    "tracker_where",
    "tracker_kept_as_evidence",
    "tracker_police_told",
    "email_secured",
    "social_secured",
    "cloud_secured",
    "banking_secured",
    "two_factor_on",
    "smart_home_checked",
    "car_telematics_checked",
    "childrens_devices",
    "platform_safety_check_run",
    "stalkerware_decision",
    "stalkerware_decision_agreed_by",
)


def digital_check_initial(check: DigitalSafetyCheck) -> dict:
    """The answers of a previous check, to start the next one from."""
    return {name: getattr(check, name) for name in REPEATED_CHECK_FIELDS}


def digital_findings_with_state(check: DigitalSafetyCheck) -> list[dict]:
    added = set(check.plan_actions.values_list("source_finding", flat=True))
    return [
        {"finding": f, "on_plan": f.code in added, "section": SafetySection(f.section).label}
        for f in digital_check_findings(check)
    ]


def visible_case_ids(user) -> QuerySet:
    return cases_visible_to(user).values("pk")
