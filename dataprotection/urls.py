from django.urls import path

from . import views

app_name = "dataprotection"
urlpatterns = [
    path("retention/", views.retention_list, name="retention"),
    path("retention/<int:pk>/decide/", views.retention_decide, name="retention_decide"),
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/new/", views.sar_new, name="sar_new"),
    path("subject-access/<int:pk>/", views.sar_detail, name="sar_detail"),
    path("subject-access/<int:pk>/complete/", views.sar_complete, name="sar_complete"),
    path("subject-access/<int:pk>/bundle.<str:fmt>", views.sar_bundle, name="sar_bundle"),
]
