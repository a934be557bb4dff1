import re

import pytest
from playwright.sync_api import expect

from tests.factories import CaseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworker_signs_in_with_chromium_and_sees_their_home(page, browser_sign_in, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    browser_sign_in(page, caseworker.username)
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert page.get_by_test_id("case-table").get_by_role("link", name=case.reference).is_visible()
    assert f"Signed in as {caseworker}" in page.locator("header").inner_text()
    # Keyboard users can skip the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_in_the_browser_shows_the_error_summary(page, browser_sign_in, caseworker):
    browser_sign_in(page, caseworker.username, "not-the-password")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
