"""Every URL of the risk app, by area. The risk and incident pages live under
"cases/<pk>/", the plans, interventions and digital safety tabs under "case/<pk>/"
(both kept as they were: bookmarks and links in exports use them)."""

from django.urls import path

from .views import assessment, groups

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
    path("cases/<int:pk>/incidents/", assessment.incidents, name="incidents"),
    path("cases/<int:pk>/incidents/new/", assessment.incident_new, name="incident_new"),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/",
        assessment.incident_detail,
        name="incident",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/edit/",
        assessment.incident_edit,
        name="incident_edit",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/exhibits/",
        assessment.exhibit_new,
        name="exhibit_new",
    ),
    path(
        "cases/<int:pk>/exhibits/<int:exhibit_pk>/download/",
        assessment.exhibit_download,
        name="exhibit_download",
    ),
    path(
        "cases/<int:pk>/incidents/chronology.<str:fmt>",
        assessment.chronology_export,
        name="chronology",
    ),
    # ---- safety plan -------------------------------------------------------------------
    path(f"{case}safety-plan/", groups.safety_plan, name="safety_plan"),
    path(
        f"{case}safety-plan/actions/new/",
        groups.safety_action_add,
        name="safety_action_add",
    ),
    path(
        f"{case}safety-plan/actions/<int:action_pk>/",
        groups.safety_action_edit,
        name="safety_action_edit",
    ),
    path(f"{case}safety-plan/agree/", groups.safety_plan_agree, name="safety_plan_agree"),
    path(
        f"{case}safety-plan/versions/<int:number>/",
        groups.safety_plan_version,
        name="safety_plan_version",
    ),
    path(
        f"{case}safety-plan/client-copy/",
        groups.safety_plan_client_copy,
        name="safety_plan_client_copy",
    ),
    # ---- care plan ---------------------------------------------------------------------
    path(f"{case}care-plan/", groups.care_plan, name="care_plan"),
    path(
        f"{case}care-plan/needs/new/",
        groups.needs_assessment_add,
        name="needs_assessment_add",
    ),
    path(f"{case}care-plan/goals/new/", groups.care_goal_add, name="care_goal_add"),
    path(f"{case}care-plan/goals/<int:goal_pk>/", groups.care_goal_edit, name="care_goal_edit"),
    path(
        f"{case}care-plan/goals/<int:goal_pk>/progress/",
        groups.care_goal_progress,
        name="care_goal_progress",
    ),
    # ---- sessions (the interventions tab) ----------------------------------------------
    path(f"{case}interventions/", groups.interventions, name="interventions"),
    path(f"{case}interventions/sessions/new/", groups.session_add, name="session_add"),
    path(
        f"{case}interventions/sessions/<int:session_pk>/",
        groups.session_edit,
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
    path(f"{case}digital-safety/", groups.digital_safety, name="digital_safety"),
    path(f"{case}digital-safety/new/", groups.digital_check_add, name="digital_check_add"),
    path(
        f"{case}digital-safety/<int:check_pk>/",
        groups.digital_check_edit,
        name="digital_check_edit",
    ),
    path(
        f"{case}digital-safety/<int:check_pk>/findings/<slug:code>/",
        groups.digital_finding_add,
        name="digital_finding_add",
    ),
]
