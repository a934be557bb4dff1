from django.urls import path

from . import plan_views as views

case = "case/<int:pk>/"

urlpatterns = [
    path(f"{case}safety-plan/", views.safety_plan, name="safety_plan"),
    path(f"{case}safety-plan/actions/new/", views.safety_action_add, name="safety_action_add"),
    path(
        f"{case}safety-plan/actions/<int:action_pk>/",
        views.safety_action_edit,
        name="safety_action_edit",
    ),
    path(f"{case}safety-plan/agree/", views.safety_plan_agree, name="safety_plan_agree"),
    path(
        f"{case}safety-plan/versions/<int:number>/",
        views.safety_plan_version,
        name="safety_plan_version",
    ),
    path(
        f"{case}safety-plan/client-copy/",
        views.safety_plan_client_copy,
        name="safety_plan_client_copy",
    ),
    path(f"{case}care-plan/", views.care_plan, name="care_plan"),
    path(f"{case}care-plan/needs/new/", views.needs_assessment_add, name="needs_assessment_add"),
    path(f"{case}care-plan/goals/new/", views.care_goal_add, name="care_goal_add"),
    path(f"{case}care-plan/goals/<int:goal_pk>/", views.care_goal_edit, name="care_goal_edit"),
    path(
        f"{case}care-plan/goals/<int:goal_pk>/progress/",
        views.care_goal_progress,
        name="care_goal_progress",
    ),
    path(f"{case}interventions/", views.interventions, name="interventions"),
    path(f"{case}interventions/sessions/new/", views.session_add, name="session_add"),
    path(
        f"{case}interventions/sessions/<int:session_pk>/",
        views.session_edit,
        name="session_edit",
    ),
    path(f"{case}interventions/groups/enrol/", views.group_enrol, name="group_enrol"),
    path(f"{case}digital-safety/", views.digital_safety, name="digital_safety"),
    path(f"{case}digital-safety/new/", views.digital_check_add, name="digital_check_add"),
    path(
        f"{case}digital-safety/<int:check_pk>/",
        views.digital_check_edit,
        name="digital_check_edit",
    ),
    path(
        f"{case}digital-safety/<int:check_pk>/findings/<slug:code>/",
        views.digital_finding_add,
        name="digital_finding_add",
    ),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_add, name="group_add"),
    path("groups/<int:group_pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:group_pk>/sessions/new/", views.group_session_add, name="group_session_add"),
    path(
        "groups/<int:group_pk>/sessions/<int:session_pk>/",
        views.group_register,
        name="group_register",
    ),
]
