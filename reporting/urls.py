from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("returns/", views.returns, name="returns"),
    path("returns/trends/", views.trends, name="trends"),
    path("returns/manage/", views.manage_returns, name="manage"),
    path("returns/generate/", views.generate, name="generate"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/status/", views.return_status, name="return_status"),
    path("returns/<int:pk>/narrative/", views.narrative, name="narrative"),
    path("returns/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("returns/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
