"""Urgent work comes first (issue 12, point 7): the caseworker's "Needs doing today" list,
every open task paged and counted, and the closure approval page showing what the manager
decides on. Query counts stay the same however many cases, tasks and events there are."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.selectors.caseload import (
    FIRST_CONTACT_OVERDUE,
    NEW_NOT_CONTACTED,
    REVIEW_OVERDUE,
    needs_doing_today,
    today_reasons,
)
from cases.statuses import CaseStatus
from stalkingservice.roles import Role
from tests.factories import CaseFactory, TaskFactory, UserFactory
from tests.factories_advocacy import OrderFactory
from tests.factories_cases import CaseEventFactory
from tests.messy_world import OPEN_TASKS, TASKS, build_messy_world

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def messy():
    return build_messy_world()


def _queries(http, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ---- the selector ---------------------------------------------------------------------


def test_needs_doing_today_high_risk_first_then_most_overdue(messy):
    c = messy.cases
    listed = list(needs_doing_today(user=messy.caseworker))
    # High risk first; within a level the most overdue (earliest missed date) first; a
    # new allocation that is not overdue yet after the overdue ones of its level.
    expected = [
        c["high_review_overdue"],  # high, missed 3 days ago
        c["high_first_overdue_restricted"],  # high at referral, missed 1 day ago
        c["medium_new"],  # medium, not overdue
        c["standard_first_overdue_long"],  # standard, missed 8 days ago
        c["standard_review_overdue"],  # standard, missed 2 days ago
    ]
    assert [x.reference for x in listed] == [x.reference for x in expected]
    # Nothing that needs no action today, nobody else's case, nothing closed.
    for key in ("nothing_due", "closed", "other_high_overdue", "closing_high"):
        assert c[key] not in listed


def test_each_row_says_why(messy):
    c = messy.cases
    reasons = {
        key: [(r.label, r.days_overdue) for r in today_reasons(c[key])]
        for key in (
            "high_review_overdue",
            "high_first_overdue_restricted",
            "medium_new",
            "standard_first_overdue_long",
        )
    }
    assert reasons == {
        "high_review_overdue": [(REVIEW_OVERDUE, 3)],
        "high_first_overdue_restricted": [(FIRST_CONTACT_OVERDUE, 1)],
        "medium_new": [(NEW_NOT_CONTACTED, 0)],
        "standard_first_overdue_long": [(FIRST_CONTACT_OVERDUE, 8)],
    }


def test_a_case_late_on_both_counts_gives_both_reasons(caseworker):
    case = CaseFactory(
        allocated_to=caseworker,
        status=CaseStatus.ALLOCATED,
        first_contact_due=_days(-5),
        next_review_due=_days(-1),
    )
    assert [r.label for r in today_reasons(case)] == [FIRST_CONTACT_OVERDUE, REVIEW_OVERDUE]
    assert list(needs_doing_today(user=caseworker)) == [case]


def test_co_worker_sees_the_case_too(caseworker, caseworker2):
    case = CaseFactory(allocated_to=caseworker2, co_worker=caseworker, first_contact_due=_days(-2))
    assert list(needs_doing_today(user=caseworker)) == [case]


# ---- the caseworker's home ------------------------------------------------------------------


def test_home_opens_with_needs_doing_today_in_order(messy, as_user):
    page = as_user(messy.caseworker).get("/").content.decode()
    today = page.index('data-testid="needs-today"')
    assert today < page.index('data-testid="case-table"') < page.index('data-testid="my-tasks"')
    section = page[today : page.index("</section>", today)]
    refs = re.findall(r"STK-\d{4}-\d{5}", section)
    c = messy.cases
    assert refs == [
        c[k].reference
        for k in (
            "high_review_overdue",
            "high_first_overdue_restricted",
            "medium_new",
            "standard_first_overdue_long",
            "standard_review_overdue",
        )
    ]
    assert "Risk review overdue: due" in section and "3 days ago" in section
    assert "New allocation: not contacted yet: first contact due" in section
    assert section.count("High risk") == 2  # assessed high, and high at referral
    assert "High risk at referral" in section
    assert 'data-testid="needs-today-count">5<' in section


def test_nothing_to_do_says_so(as_user, caseworker):
    page = as_user(caseworker).get("/").content.decode()
    assert "Nothing is waiting: no new allocations to contact and nothing overdue." in page


def test_my_tasks_shows_every_open_task_paged_and_counted(messy, as_user):
    http = as_user(messy.caseworker)
    first = http.get("/").content.decode()
    assert f'data-testid="my-tasks-count">{OPEN_TASKS}<span class="visually-hidden"> open' in first
    assert f"{OPEN_TASKS} open tasks, oldest due first; showing 1 to 10." in first
    assert first.count('data-testid="my-task"') == 10
    second = http.get("/?tasks_page=2").content.decode()
    tasks = second[second.index('data-testid="my-tasks"') :]
    shown = re.findall(r"Task (\d\d)", tasks[: tasks.index("</ul>")])
    assert shown == [f"{n:02d}" for n in range(11, TASKS + 1)]
    assert second.count('data-testid="my-task"') == OPEN_TASKS - 10
    # Paging the tasks keeps the rest of the page as it was (here, the cases' sort order).
    sorted_second = http.get("/?sort=reference&tasks_page=2").content.decode()
    assert 'href="?sort=reference&amp;tasks_page=1"' in sorted_second


def test_caseworker_home_queries_do_not_grow_with_the_caseload(messy, as_user):
    http = as_user(messy.caseworker)
    before = _queries(http, "/")
    cw = messy.caseworker
    for n in range(8):
        case = CaseFactory(
            allocated_to=cw,
            status=CaseStatus.ACTIVE,
            risk_level=["high", "medium", "standard"][n % 3],
            first_attempt_at=timezone.now(),
            next_review_due=_days(-n - 1),
        )
        CaseFactory(allocated_to=cw, first_contact_due=_days(-n))
        TaskFactory(case=case, assignee=cw, created_by=cw, due_on=_days(-n))
    assert _queries(http, "/") == before
    assert before <= 20


# ---- the closure approval page ----------------------------------------------------------------


def _closure_url(messy):
    return reverse("cases:closure_decide", args=[messy.cases["closing_high"].pk, messy.closure.pk])


def test_closure_page_shows_what_the_manager_decides_on(messy, as_user):
    page = as_user(messy.manager).get(_closure_url(messy)).content.decode()
    for section in ("Risk", "Live orders", "Open tasks carried over", "Exit plan"):
        assert f">{section}</h2>" in page
    assert "Outcome change" in page
    # Current risk and its history, newest first.
    risk = page[page.index('data-testid="closure-risk"') :]
    assert "High risk" in risk
    assert risk.index("Medium to High") < risk.index("Not assessed to Medium")
    assert "S-DASH: score 8, high risk" in risk
    # Live orders only: the granted order, not the refused one.
    orders = page[page.index('data-testid="closure-orders"') : page.index("closure-tasks")]
    assert "Granted (in force)" in orders and "Not to enter Stafford town centre" in orders
    assert "Refused" not in orders
    # The carried-over task, the exit plan and the change in the client's own ratings.
    assert "Check the order is served" in page
    assert "Feels ready; the order is in place." in page
    assert 'data-testid="change-safer">+3 (improved)' in page
    assert 'data-testid="change-coping">0 (no change)' in page
    assert "Order granted; client feels safer." in page
    assert "Record decision" in page


def test_closure_page_warns_of_open_tasks_not_carried_over(messy, as_user):
    TaskFactory(
        case=messy.cases["closing_high"],
        title="Ring the court",
        assignee=messy.caseworker,
        created_by=messy.caseworker,
    )
    page = as_user(messy.manager).get(_closure_url(messy)).content.decode()
    assert "Open tasks not carried over:" in page and "Ring the court" in page


def test_closure_page_queries_do_not_grow_with_history(messy, as_user):
    http = as_user(messy.manager)
    before = _queries(http, _closure_url(messy))
    case, cw = messy.cases["closing_high"], messy.caseworker
    for n in range(6):
        CaseEventFactory(case=case, kind="risk_level_changed", summary=f"Change {n}", by=cw)
        OrderFactory(case=case, status="applied")
        TaskFactory(case=case, assignee=cw, created_by=cw, title=f"More {n}")
    assert _queries(http, _closure_url(messy)) == before
    assert before <= 30


@pytest.mark.parametrize(
    ("who", "status"),
    [("caseworker", 404), ("other_caseworker", 404), ("manager", 200), ("commissioner", 404)],
)
def test_closure_page_is_for_managers_only(messy, as_user, who, status):
    user = (
        UserFactory(username="cc", role=Role.COMMISSIONER)
        if who == "commissioner"
        else getattr(messy, who)
    )
    response = as_user(user).get(_closure_url(messy))
    assert response.status_code in ((403, 404) if status == 404 else (status,))
