from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/", views.case_risk, name="case_risk"),
    path(
        "cases/<int:pk>/assessments/new/<slug:tool_code>/",
        views.assessment_new,
        name="assessment_new",
    ),
    path(
        "cases/<int:pk>/assessments/<int:assessment_pk>/",
        views.assessment_detail,
        name="assessment",
    ),
    path("cases/<int:pk>/marac/new/", views.marac_new, name="marac_new"),
    path("cases/<int:pk>/marac/<int:marac_pk>/", views.marac_edit, name="marac_edit"),
    path("high-risk-reviews/", views.high_risk_reviews, name="high_risk_reviews"),
    path("cases/<int:pk>/incidents/", views.incidents, name="incidents"),
    path("cases/<int:pk>/incidents/new/", views.incident_new, name="incident_new"),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/",
        views.incident_detail,
        name="incident",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/edit/",
        views.incident_edit,
        name="incident_edit",
    ),
    path(
        "cases/<int:pk>/incidents/<int:incident_pk>/exhibits/",
        views.exhibit_new,
        name="exhibit_new",
    ),
    path(
        "cases/<int:pk>/exhibits/<int:exhibit_pk>/download/",
        views.exhibit_download,
        name="exhibit_download",
    ),
    path(
        "cases/<int:pk>/incidents/chronology.<str:fmt>",
        views.chronology_export,
        name="chronology",
    ),
]
