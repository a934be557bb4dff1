"""In the browser: details reported on a referral linked to a known client wait on the
case's safe-contact panel until the worker confirms each with the client."""

import pytest
from playwright.sync_api import expect

from cases.models.client import SafeContact
from cases.statuses import CaseStatus
from tests.a11y import assert_accessible
from tests.conftest import sign_in_with_browser
from tests.referrals.test_reported_contact import (
    STALKER_PHONE,
    closed_client,
    hostile_referral,
    link,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_worker_confirms_a_reported_detail_on_the_case(page, manager):
    old_case = closed_client(manager, text_allowed=False)
    referral = link(hostile_referral(manager), old_case.client, manager)
    case = referral.case
    assert case.status == CaseStatus.TRIAGED
    sign_in_with_browser(page, manager.username)
    page.goto(f"/cases/{case.pk}/")
    panel = page.get_by_test_id("reported-contact").first
    expect(panel).to_contain_text(
        f"Reported on referral {referral.reference}, not confirmed - check with the client "
        "before using."
    )
    expect(panel).to_contain_text(STALKER_PHONE)
    assert_accessible(page)

    panel.get_by_role("button", name="Confirm and use: Safe phone").click()
    expect(
        page.get_by_text("Safe phone confirmed and saved to the safe-contact details.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and use: Safe phone")).to_have_count(0)
    assert SafeContact.objects.get(client=old_case.client).safe_phone == STALKER_PHONE

    page.get_by_test_id("reported-contact").first.get_by_role(
        "button", name="Discard: Texts allowed"
    ).click()
    expect(
        page.get_by_text("Reported texts allowed discarded: it will not be used.")
    ).to_be_visible()
    assert not SafeContact.objects.get(client=old_case.client).text_allowed
    assert_accessible(page)
