"""Every URL of the risk app, by area. The risk and incident pages live under
"cases/<pk>/", the plans, interventions and digital safety tabs under "case/<pk>/"
(both kept as they were: bookmarks and links in exports use them)."""

from django.urls import path

from .views import (
    assessment,
    care_plan,
    digital,
    exhibits,
    groups,
    incidents,
    safety_plan,
    sessions,
)

app_name = "risk"

case = "case/<int:pk>/"

urlpatterns = [
    # ---- assessment --------------------------------------------------------------------
    path("cases/<int:pk>/", assessment.case_risk, name="case_risk"),
    path(
        "cases/<int:pk>/assessments/new/<slug:tool_code>/",
        assessment.assessment_new,
        name="assessment_new",
    ),
    path(
        "cases/<int:pk>/assessments/<int:assessment_pk>/",
        assessment.assessment_detail,
        name="assessment",
    ),
    path("cases/<int:pk>/marac/new/", assessment.marac_new, name="marac_new"),
    path("cases/<int:pk>/marac/<int:marac_pk>/", assessment.marac_edit, name="marac_edit"),
    path("high-risk-reviews/", assessment.high_risk_reviews, name="high_risk_reviews"),
    # ---- incidents and exhibits --------------------------------------------------------
    path("cases/<int:pk>/incidents/", incidents.incidents, name="incidents"),
    path("cases/<int:pk>/incidents/new/", incidents.incident_new, name="incident_new"),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/",
        incidents.incident_detail,
        name="incident",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/edit/",
        incidents.incident_edit,
        name="incident_edit",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/police-record/",
        incidents.incident_police_record,
        name="incident_police_record",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/exhibits/",
        exhibits.exhibit_new,
        name="exhibit_new",
    ),
    path(
        "cases/<int:pk>/exhibits/<int:exhibit_pk>/download/",
        exhibits.exhibit_download,
        name="exhibit_download",
    ),
    path(
        "cases/<int:pk>/incidents/chronology.<str:fmt>",
        incidents.chronology_export,
        name="chronology",
    ),
    # ---- safety plan -------------------------------------------------------------------
    path(f"{case}safety-plan/", safety_plan.safety_plan, name="safety_plan"),
    path(
        f"{case}safety-plan/actions/new/",
        safety_plan.safety_action_add,
        name="safety_action_add",
    ),
    path(
        f"{case}safety-plan/actions/<int:action_pk>/",
        safety_plan.safety_action_edit,
        name="safety_action_edit",
    ),
    path(f"{case}safety-plan/agree/", safety_plan.safety_plan_agree, name="safety_plan_agree"),
    path(
        f"{case}safety-plan/versions/<int:number>/",
        safety_plan.safety_plan_version,
        name="safety_plan_version",
    ),
    path(
        f"{case}safety-plan/client-copy/",
        safety_plan.safety_plan_client_copy,
        name="safety_plan_client_copy",
    ),
    path(
        f"{case}safety-plan/client-copy/consent/",
        safety_plan.safety_plan_copy_consent,
        name="safety_plan_copy_consent",
    ),
    # ---- care plan ---------------------------------------------------------------------
    path(f"{case}care-plan/", care_plan.care_plan, name="care_plan"),
    path(
        f"{case}care-plan/needs/new/",
        care_plan.needs_assessment_add,
        name="needs_assessment_add",
    ),
    path(f"{case}care-plan/goals/new/", care_plan.care_goal_add, name="care_goal_add"),
    path(f"{case}care-plan/goals/<int:goal_pk>/", care_plan.care_goal_edit, name="care_goal_edit"),
    path(
        f"{case}care-plan/goals/<int:goal_pk>/progress/",
        care_plan.care_goal_progress,
        name="care_goal_progress",
    ),
    # ---- sessions (the interventions tab) ----------------------------------------------
    path(f"{case}interventions/", sessions.interventions, name="interventions"),
    path(f"{case}interventions/sessions/new/", sessions.session_add, name="session_add"),
    path(
        f"{case}interventions/sessions/<int:session_pk>/",
        sessions.session_edit,
        name="session_edit",
    ),
    # ---- groups ------------------------------------------------------------------------
    path(f"{case}interventions/groups/enrol/", groups.group_enrol, name="group_enrol"),
    path("groups/", groups.groups, name="groups"),
    path("groups/new/", groups.group_add, name="group_add"),
    path("groups/<int:group_pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:group_pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:group_pk>/sessions/new/", groups.group_session_add, name="group_session_add"),
    path(
        "groups/<int:group_pk>/sessions/<int:session_pk>/",
        groups.group_register,
        name="group_register",
    ),
    # ---- digital safety ----------------------------------------------------------------
    path(f"{case}digital-safety/", digital.digital_safety, name="digital_safety"),
    path(f"{case}digital-safety/new/", digital.digital_check_add, name="digital_check_add"),
    path(
        f"{case}digital-safety/<int:check_pk>/",
        digital.digital_check_edit,
        name="digital_check_edit",
    ),
    path(
        f"{case}digital-safety/<int:check_pk>/findings/<slug:code>/",
        digital.digital_finding_add,
        name="digital_finding_add",
    ),
]
