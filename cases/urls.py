from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("mine/", views.my_cases, name="my_cases"),
    path("all/", views.all_cases, name="all_cases"),
    path("<int:pk>/", views.case_detail, name="detail"),
]
