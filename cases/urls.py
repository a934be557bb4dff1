from django.urls import path

from . import views
from .advocacy_urls import urlpatterns as advocacy_urlpatterns

app_name = "cases"
urlpatterns = [
    path("mine/", views.my_cases, name="my_cases"),
    path("all/", views.all_cases, name="all_cases"),
    path("find/", views.find_case, name="find"),
    path("waiting/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/reallocate/", views.reallocate, name="reallocate"),
    path("<int:pk>/restrict/", views.restrict, name="restrict"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/contact/attempt/", views.contact_attempt_add, name="contact_attempt_add"),
    path("<int:pk>/contact/note/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/history/", views.note_history, name="note_history"),
    path("<int:pk>/tasks/", views.tasks, name="tasks"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/access/", views.access_log, name="access_log"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/client/", views.client_edit, name="client_edit"),
    path("<int:pk>/safe-contact/", views.safe_contact_edit, name="safe_contact_edit"),
    *advocacy_urlpatterns,
]
