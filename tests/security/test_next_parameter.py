"""Every view that takes a `next` parameter sends the user only to a path on this site:
junk (a NUL byte, a view name, another site) gives the view's own default, never a 500 or
an open redirect. One rule, `stalkingservice.redirects.local_path`."""

import pytest
from django.urls import reverse

from stalkingservice.redirects import local_path
from tests.conftest import signed_in
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db

JUNK = ["before\x00after", "cases:detail", "https://evil.example/", "//evil.example/x", "\x7f/x"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("/cases/1/", "/cases/1/"), ("", ""), (None, ""), *[(j, "") for j in JUNK]],
)
def test_only_a_local_path_is_kept(value, expected):
    assert local_path(value) == expected


@pytest.mark.parametrize("junk", JUNK)
def test_task_done_with_junk_next_goes_to_the_tasks_tab(caseworker, junk):
    task = TaskFactory(case=CaseFactory(allocated_to=caseworker))
    response = signed_in(caseworker).post(
        reverse("cases:task_done", args=[task.case.pk, task.pk]), {"next": junk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:tasks", args=[task.case.pk])


@pytest.mark.parametrize("junk", JUNK)
def test_break_glass_with_junk_next_opens_the_case_page(caseworker, caseworker2, junk):
    case = CaseFactory(allocated_to=caseworker)
    response = signed_in(caseworker2).post(
        reverse("cases:break_glass", args=[case.pk]) + "?next=" + junk.replace("\x00", "%00"),
        {"reason": "Duty cover while the allocated caseworker is on leave"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
