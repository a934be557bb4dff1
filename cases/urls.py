from django.urls import path

from .views import (
    caseload,
    client,
    contact,
    handover,
    lifecycle,
    notes_tasks,
    orders,
    outcomes,
    police_court,
    risk_level,
    service_records,
)

app_name = "cases"
urlpatterns = [
    # Caseloads and lists
    path("mine/", caseload.my_cases, name="my_cases"),
    path("all/", caseload.all_cases, name="all_cases"),
    path("find/", caseload.find_case, name="find"),
    path("waiting/", caseload.waiting_list, name="waiting_list"),
    # The case: overview, allocation and access
    path("<int:pk>/", lifecycle.case_detail, name="detail"),
    path("<int:pk>/allocate/", lifecycle.allocate, name="allocate"),
    path("<int:pk>/reallocate/", lifecycle.reallocate, name="reallocate"),
    path("<int:pk>/restrict/", lifecycle.restrict, name="restrict"),
    path("<int:pk>/access/", lifecycle.access_log, name="access_log"),
    path("<int:pk>/break-glass/", lifecycle.break_glass, name="break_glass"),
    # Client, contact and notes
    path("<int:pk>/client/", client.client_edit, name="client_edit"),
    path("<int:pk>/safe-contact/", client.safe_contact_edit, name="safe_contact_edit"),
    path("<int:pk>/contact/", contact.contact, name="contact"),
    path("<int:pk>/contact/attempt/", contact.contact_attempt_add, name="contact_attempt_add"),
    path("<int:pk>/contact/note/", contact.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", notes_tasks.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/history/", notes_tasks.note_history, name="note_history"),
    # Tasks
    path("<int:pk>/tasks/", notes_tasks.tasks, name="tasks"),
    path("<int:pk>/tasks/<int:task_pk>/done/", notes_tasks.task_done, name="task_done"),
    # Police, court and orders (one tab)
    path("<int:pk>/police/", police_court.police, name="police"),
    path(
        "<int:pk>/police/crime-reports/add/",
        police_court.investigation_add,
        name="investigation_add",
    ),
    path(
        "<int:pk>/police/crime-reports/<int:item>/",
        police_court.investigation_edit,
        name="investigation_edit",
    ),
    path(
        "<int:pk>/police/crime-reports/<int:item>/status/",
        police_court.investigation_status,
        name="investigation_status",
    ),
    path(
        "<int:pk>/police/contacts/add/", police_court.police_contact_add, name="police_contact_add"
    ),
    path("<int:pk>/police/victims-code/", police_court.victims_code_add, name="victims_code"),
    path("<int:pk>/court/hearings/add/", police_court.hearing_add, name="hearing_add"),
    path("<int:pk>/court/support/", police_court.court_support, name="court_support"),
    path("<int:pk>/orders/add/", orders.order_add, name="order_add"),
    path("<int:pk>/orders/<int:item>/status/", orders.order_status, name="order_status"),
    path("<int:pk>/orders/<int:item>/breaches/add/", orders.breach_add, name="breach_add"),
    # Signposting and handover
    path("<int:pk>/handovers/", handover.handovers, name="handovers"),
    path("<int:pk>/handovers/add/", handover.handover_add, name="handover_add"),
    path(
        "<int:pk>/handovers/<int:item>/acknowledge/",
        handover.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path(
        "<int:pk>/handovers/<int:item>/summary/",
        handover.handover_summary,
        name="handover_summary",
    ),
    path("services/", handover.service_directory, name="service_directory"),
    # Outcomes
    path("<int:pk>/outcomes/", outcomes.outcomes, name="outcomes"),
    path("<int:pk>/outcomes/<slug:stage>/", outcomes.outcome_record, name="outcome_record"),
    # Exit and closure
    path("<int:pk>/exit/", lifecycle.exit_page, name="exit"),
    path("<int:pk>/exit/plan/", lifecycle.exit_plan, name="exit_plan"),
    path("<int:pk>/exit/close/", lifecycle.closure_request, name="closure_request"),
    path(
        "<int:pk>/exit/close/<int:item>/decide/",
        lifecycle.closure_decide,
        name="closure_decide",
    ),
    path("<int:pk>/exit/summary/", lifecycle.closure_summary, name="closure_summary"),
    path("<int:pk>/exit/new-episode/", lifecycle.reopen, name="reopen"),
    path("closures/awaiting-approval/", lifecycle.closures_awaiting, name="closures_awaiting"),
    # A lower risk level waits for a manager's sign-off
    path(
        "risk-downgrades/awaiting-sign-off/",
        risk_level.risk_downgrades_awaiting,
        name="risk_downgrades_awaiting",
    ),
    path(
        "<int:pk>/risk-downgrades/<int:item>/decide/",
        risk_level.risk_downgrade_decide,
        name="risk_downgrade_decide",
    ),
    # Service level
    path("awareness/", service_records.awareness_list, name="awareness_list"),
    path("awareness/add/", service_records.awareness_add, name="awareness_add"),
    path("feedback/", service_records.feedback_list, name="feedback_list"),
    path("feedback/add/", service_records.feedback_add, name="feedback_add"),
    path("feedback/<int:item>/", service_records.feedback_edit, name="feedback_edit"),
]
