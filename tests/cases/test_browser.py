import re

import pytest
from playwright.sync_api import expect

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories_cases import WaitingCaseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_allocates_and_caseworker_makes_first_contact(page, manager, caseworker):
    case = WaitingCaseFactory(risk_level_at_intake="high")
    browser_sign_in(page, manager.username)
    page.goto("/cases/waiting/")
    expect(page.get_by_test_id("waiting-list")).to_contain_text(case.reference)
    page.get_by_role("link", name=f"Allocate {case.reference}").click()
    page.locator("#id_worker").select_option(label=f"{caseworker} (Caseworker (ISAC))")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"{case.reference} allocated to {caseworker}"
    )
    page.get_by_role("button", name="Sign out", exact=True).click()

    browser_sign_in(page, caseworker.username)
    expect(page.get_by_test_id("case-table")).to_contain_text(case.reference)
    # Not contacted yet, so it is also on the list of what needs doing today.
    expect(page.get_by_test_id("needs-today")).to_contain_text(case.reference)
    page.get_by_test_id("case-table").get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Allocated")
    page.get_by_role("link", name="Contact and notes").click()
    expect(page.get_by_test_id("contact-safe-contact")).to_contain_text("07700 900123")
    page.locator("#id_method").select_option(label="Phone call")
    page.locator("#id_outcome").select_option(label="Reached the client")
    page.get_by_role("button", name="Record attempt").click()
    expect(page.get_by_text("Contact attempt recorded.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Active")
    expect(page.get_by_test_id("attempts")).to_contain_text(re.compile("Reached the client"))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE
