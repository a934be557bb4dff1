"""A lower reassessment in the browser: the caseworker is asked for a reason, the case
stays high on the lists until a manager signs off, then it is standard with the reason on
the timeline."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from stalkingservice.models import District
from tests.a11y import assert_accessible
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories import CaseFactory
from tests.factories_risk import complete_dash, tool

REASON = "Suspect moved abroad in May; no contact for three months"


def _answer_dash(page, yes: int):
    for index, item in enumerate(tool("dash").items.all()):
        value = "yes" if index < yes else "no"
        page.locator(f'input[name="q_{item.pk}"][value="{value}"]').check()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lower_reassessment_waits_for_a_manager(page, caseworker, manager):
    District.objects.get_or_create(code="stafford", defaults={"name": "Stafford"})
    case = CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE)
    complete_dash(case, caseworker, 16)

    browser_sign_in(page, caseworker.username)
    page.goto(reverse("risk:case_risk", args=[case.pk]))
    page.get_by_role("link", name="DASH risk checklist").click()
    _answer_dash(page, 3)
    page.get_by_label("Notes").fill("Client feels safer at home")
    page.get_by_role("button", name="Complete assessment").click()

    # Asked for a reason; nothing typed is lost.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("than the case holds (high)")
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.get_by_label("Notes")).to_have_value("Client feels safer at home")
    item = tool("dash").items.first()
    expect(page.locator(f'input[name="q_{item.pk}"][value="yes"]')).to_be_checked()
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    page.get_by_label("why the risk is lower").fill(REASON)
    page.get_by_role("button", name="Complete assessment").click()

    expect(page.get_by_text("This assessment gives a lower level (standard)")).to_be_visible()
    expect(page.get_by_test_id("identity-bar")).to_contain_text("High risk")
    expect(page.get_by_test_id("downgrade-pending")).to_contain_text(REASON)
    page.goto(reverse("cases:my_cases") + "?risk=high")
    expect(page.get_by_test_id("case-table")).to_contain_text(case.reference)
    page.get_by_role("button", name="Sign out", exact=True).click()

    browser_sign_in(page, manager.username)
    expect(page.get_by_test_id("home-downgrades")).to_contain_text(case.reference)
    page.get_by_role("link", name="All lower risk levels awaiting sign-off").click()
    expect(page.get_by_test_id("downgrades-awaiting")).to_contain_text(REASON)
    assert_accessible(page)
    page.get_by_test_id("downgrades-awaiting").get_by_role(
        "link", name=re.compile(case.reference)
    ).click()
    expect(page.get_by_text(REASON)).to_be_visible()
    page.get_by_label("Sign off the lower level").check()
    page.get_by_label("Note for the caseworker").fill("Agreed in supervision")
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text("Signed off: the case is now standard risk.")).to_be_visible()
    expect(page.get_by_test_id("identity-bar")).to_contain_text("Standard risk")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("High to Standard, signed off by")
    expect(timeline).to_contain_text(REASON)
    assert Case.objects.get(pk=case.pk).risk_level == "standard"
