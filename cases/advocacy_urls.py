from django.urls import path

from .views import police_court as v

urlpatterns = [
    # Police, court and orders (one tab)
    path("<int:pk>/police/", v.police, name="police"),
    path("<int:pk>/police/crime-reports/add/", v.investigation_add, name="investigation_add"),
    path(
        "<int:pk>/police/crime-reports/<int:item>/", v.investigation_edit, name="investigation_edit"
    ),
    path(
        "<int:pk>/police/crime-reports/<int:item>/status/",
        v.investigation_status,
        name="investigation_status",
    ),
    path("<int:pk>/police/contacts/add/", v.police_contact_add, name="police_contact_add"),
    path("<int:pk>/police/victims-code/", v.victims_code_add, name="victims_code"),
    path("<int:pk>/court/hearings/add/", v.hearing_add, name="hearing_add"),
    path("<int:pk>/court/support/", v.court_support, name="court_support"),
    path("<int:pk>/orders/add/", v.order_add, name="order_add"),
    path("<int:pk>/orders/<int:item>/status/", v.order_status, name="order_status"),
    path("<int:pk>/orders/<int:item>/breaches/add/", v.breach_add, name="breach_add"),
    # Signposting and handover
    path("<int:pk>/handovers/", v.handovers, name="handovers"),
    path("<int:pk>/handovers/add/", v.handover_add, name="handover_add"),
    path(
        "<int:pk>/handovers/<int:item>/acknowledge/",
        v.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path("<int:pk>/handovers/<int:item>/summary/", v.handover_summary, name="handover_summary"),
    path("services/", v.service_directory, name="service_directory"),
    # Outcomes
    path("<int:pk>/outcomes/", v.outcomes, name="outcomes"),
    path("<int:pk>/outcomes/<slug:stage>/", v.outcome_record, name="outcome_record"),
    # Exit and closure
    path("<int:pk>/exit/", v.exit_page, name="exit"),
    path("<int:pk>/exit/plan/", v.exit_plan, name="exit_plan"),
    path("<int:pk>/exit/close/", v.closure_request, name="closure_request"),
    path("<int:pk>/exit/close/<int:item>/decide/", v.closure_decide, name="closure_decide"),
    path("<int:pk>/exit/summary/", v.closure_summary, name="closure_summary"),
    path("<int:pk>/exit/new-episode/", v.reopen, name="reopen"),
    path("closures/awaiting-approval/", v.closures_awaiting, name="closures_awaiting"),
    # Service level
    path("awareness/", v.awareness_list, name="awareness_list"),
    path("awareness/add/", v.awareness_add, name="awareness_add"),
    path("feedback/", v.feedback_list, name="feedback_list"),
    path("feedback/add/", v.feedback_add, name="feedback_add"),
    path("feedback/<int:item>/", v.feedback_edit, name="feedback_edit"),
]
