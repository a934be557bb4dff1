from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/sign-in/", views.SignInView.as_view(), name="login"),
    path("account/sign-out/", views.sign_out, name="logout"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="logout_everywhere"),
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path(
        "accounts/<int:pk>/send-password-link/",
        views.account_password_reset_send,
        name="account_password_reset_send",
    ),
    path("accounts/role-changes/", views.role_changes, name="role_changes"),
    path(
        "accounts/role-changes/<int:pk>/decide/",
        views.role_change_decide,
        name="role_change_decide",
    ),
    path(
        "accounts/<int:pk>/reset-two-factor/",
        views.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("data-protection/", include("dataprotection.urls")),
    path("report-a-problem/", views.report_problem, name="report_problem"),
    path("referrals/", include("referrals.urls")),
    path("cases/", include("cases.urls")),
    path("risk/", include("risk.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "stalkingservice.errors.permission_denied"
handler404 = "stalkingservice.errors.page_not_found"
handler500 = "stalkingservice.errors.server_error"
