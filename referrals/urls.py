from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.intake, name="intake"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("triage/<int:pk>/", views.triage, name="triage"),
    path("triage/<int:pk>/checks/", views.triage_checks, name="triage_checks"),
    path("triage/<int:pk>/decision/", views.triage_decide, name="triage_decide"),
    path(
        "case/<int:pk>/reported-contact/<slug:field>/",
        views.reported_contact_resolve,
        name="reported_contact_resolve",
    ),
    # Public: a victim refers themselves (declared in stalkingservice/access.py).
    path("self-referral/", views.self_referral_start, name="self_referral_start"),
    path("self-referral/check/", views.self_referral_check, name="self_referral_check"),
    path("self-referral/sent/", views.self_referral_done, name="self_referral_done"),
    path(
        "self-referral/how-we-use-your-information/",
        views.self_referral_privacy,
        name="self_referral_privacy",
    ),
    path("self-referral/discard/", views.self_referral_discard, name="self_referral_discard"),
    path("self-referral/<slug:step>/", views.self_referral, name="self_referral"),
]
