"""The manager's data-protection journeys in a real browser (strict CSP, no inline JS)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models.client import Client
from dataprotection.models import SubjectAccessRequest
from dataprotection.services.retention import retention_list_due
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories import SuspectFactory
from tests.factories_security import closed_case, reload_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_approves_retention_and_logs_a_subject_access_request(page, manager):
    reload_reference_data()
    case = closed_case(days_ago=90, accepted=False, declined=True)
    SuspectFactory(case=case, name="Horatio Greythorn")
    retention_list_due()
    other = closed_case(days_ago=5)

    browser_sign_in(page, manager.username)
    # Audit, Retention and Subject access sit in the "Data protection" menu group.
    page.get_by_role("button", name="Data protection").click()
    page.locator("#main-nav").get_by_role("link", name="Retention").click()
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve: anonymise these records now").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("The records were anonymised.").wait_for()
    assert page.get_by_role("table").nth(1).get_by_text("Anonymised", exact=True).count() == 1
    assert Client.objects.get(pk=case.client_id).display_name == "Anonymised"

    page.get_by_role("button", name="Data protection").click()
    page.locator("#main-nav").get_by_role("link", name="Subject access").click()
    page.get_by_role("link", name="Log a new request").click()
    page.get_by_role("button", name="Log request").click()
    # Waits for the refused form to come back (the title names the error first).
    expect(page).to_have_title(re.compile(r"^Error:"))
    page.get_by_label("Case reference").fill(other.reference)
    page.get_by_label("Date the request was received").fill("2026-03-14")
    page.get_by_role("button", name="Log request").click()
    page.get_by_text("It is due on 14 April 2026").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    assert download.value.suggested_filename.endswith(".json")
    assert SubjectAccessRequest.objects.get().client_id == other.client_id
