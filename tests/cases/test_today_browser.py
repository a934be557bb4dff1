"""Urgent work comes first (issue 12, point 7), as the caseworker and the manager see it in
Chromium: the home opens with what needs doing today in order, every task is reachable
page by page with its count, and the closure page shows what the decision rests on."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models.lifecycle import Case, ClosureRequest
from cases.statuses import CaseStatus
from tests.conftest import sign_in_with_browser
from tests.messy_world import OPEN_TASKS, TASKS, build_messy_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def messy(transactional_db):
    return build_messy_world()


def test_home_opens_with_what_needs_doing_today_high_risk_first(page, messy):
    sign_in_with_browser(page, messy.caseworker.username)
    today = page.get_by_test_id("needs-today")
    # The first heading after the page title is the list of what needs doing today.
    expect(page.locator("main h2").first).to_have_text(re.compile(r"^Needs doing today"))
    expect(page.get_by_test_id("needs-today-count")).to_have_text("5")
    rows = today.get_by_test_id("today-row")
    c = messy.cases
    expect(rows).to_have_count(5)
    expected = [
        (c["high_review_overdue"], "High risk", "Risk review overdue"),
        (c["high_first_overdue_restricted"], "High risk at referral", "First contact overdue"),
        (c["medium_new"], "Medium risk", "New allocation: not contacted yet"),
        (c["standard_first_overdue_long"], "Standard risk", "First contact overdue"),
        (c["standard_review_overdue"], "Standard risk", "Risk review overdue"),
    ]
    for row, (case, risk, why) in zip(rows.all(), expected, strict=True):
        expect(row).to_contain_text(case.reference)
        expect(row).to_contain_text(risk)
        expect(row.get_by_test_id("today-why")).to_contain_text(why)
    expect(rows.nth(0)).to_contain_text("Overdue")
    expect(rows.nth(0)).to_contain_text("3 days ago")
    expect(rows.nth(2)).not_to_contain_text("Overdue")
    expect(rows.nth(1)).to_contain_text("Restricted")
    # Nothing that needs no action today.
    expect(today).not_to_contain_text(c["nothing_due"].reference)
    expect(today).not_to_contain_text(c["closed"].reference)
    # The row's link opens the case.
    rows.nth(0).get_by_role("link", name=c["high_review_overdue"].reference).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Active")


def test_my_tasks_pages_through_every_open_task_with_a_count(page, messy):
    sign_in_with_browser(page, messy.caseworker.username)
    expect(page.get_by_test_id("my-tasks-count")).to_have_text(f"{OPEN_TASKS} open")
    tasks = page.get_by_test_id("my-task")
    expect(tasks).to_have_count(10)
    expect(tasks.first).to_contain_text("Task 01")
    expect(tasks.first).to_contain_text("Overdue")
    expect(
        page.get_by_text(f"{OPEN_TASKS} open tasks, oldest due first; showing 1 to 10.")
    ).to_be_visible()
    paging = page.get_by_role("navigation", name="Pages of my tasks")
    expect(paging).to_contain_text("Page 1 of 2")
    paging.get_by_role("link", name="Next page").click()
    expect(tasks).to_have_count(OPEN_TASKS - 10)
    expect(tasks.first).to_contain_text("Task 11")
    expect(tasks.last).to_contain_text(f"Task {TASKS:02d}")
    expect(page.get_by_role("navigation", name="Pages of my tasks")).to_contain_text("Page 2 of 2")
    # Paging the tasks leaves the list of what needs doing today where it was.
    expect(page.get_by_test_id("needs-today").get_by_test_id("today-row")).to_have_count(5)


def test_manager_decides_a_closure_seeing_risk_orders_tasks_exit_plan_and_outcomes(page, messy):
    case = messy.cases["closing_high"]
    sign_in_with_browser(page, messy.manager.username)
    page.goto(reverse("cases:closures_awaiting"))
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="Approve or return the closure")).to_be_visible()

    risk = page.get_by_test_id("closure-risk")
    expect(risk).to_contain_text("Current level: High risk")
    history = risk.get_by_test_id("risk-history").locator("tbody tr")
    expect(history).to_have_count(4)
    expect(history.first).to_contain_text("Medium to High")
    expect(history.last).to_contain_text("S-DASH: score 4, medium risk")

    orders = page.get_by_test_id("closure-orders")
    expect(orders).to_contain_text("Granted (in force)")
    expect(orders).to_contain_text("Not to enter Stafford town centre")
    expect(orders).not_to_contain_text("Refused")

    expect(page.get_by_test_id("closure-tasks")).to_contain_text("Check the order is served")
    expect(page.get_by_test_id("closure-exit-plan")).to_contain_text(
        "Feels ready; the order is in place."
    )
    outcomes = page.get_by_test_id("closure-outcomes")
    expect(outcomes.get_by_test_id("change-safer")).to_have_text("+3 (improved)")
    expect(outcomes.get_by_test_id("change-informed")).to_have_text("+4 (improved)")
    expect(outcomes.get_by_test_id("change-coping")).to_have_text("0 (no change)")

    page.get_by_label("Approve and close the case").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert ClosureRequest.objects.get(pk=messy.closure.pk).status == "approved"
