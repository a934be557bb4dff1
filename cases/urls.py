from django.urls import path

from . import views
from .advocacy_urls import urlpatterns as advocacy_urlpatterns

app_name = "cases"
urlpatterns = [
    path("mine/", views.my_cases, name="my_cases"),
    path("all/", views.all_cases, name="all_cases"),
    path("<int:pk>/", views.case_detail, name="detail"),
    *advocacy_urlpatterns,
]
