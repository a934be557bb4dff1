"""A referral typed into the staff intake form in a real browser, checked and accepted at
triage; and the public quick-exit button."""

import re

import pytest
from playwright.sync_api import expect

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from referrals.models import Referral
from stalkingservice.roles import Role
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE_DATA_MIGRATIONS = [
    "stalkingservice.migrations.0002_load_districts",
    "cases.migrations.0002_load_closure_reasons",
    "referrals.migrations.0002_load_sources_and_decline_reasons",
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test flushes every table at its end, including the reference data
    the migrations loaded; load it again (the loaders are idempotent)."""
    import importlib

    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).load(apps, None)


def test_staff_intake_to_triage_acceptance(page):
    UserFactory(username="isac", role=Role.CASEWORKER)
    browser_sign_in(page, "isac")
    page.get_by_role("button", name="Casework").click()
    page.get_by_role("link", name="New referral").first.click()
    page.locator("#id_source").select_option(label="Staffordshire Police")
    page.get_by_label("Referrer's name").fill("PC Ann Lowe")
    page.locator("#id_first_name").fill("Amira")
    page.get_by_label("Last name", exact=True).fill("Khan")
    page.get_by_label("Date of birth", exact=True).fill("1990-03-27")
    page.get_by_label("District where they live").select_option(label="Stafford")
    page.get_by_label("Safe phone number").fill("07700 900456")
    page.get_by_label("Calls allowed").check()
    page.get_by_label("The person consents to being contacted").check()
    page.get_by_label("Suspect 1: name").fill("Dean Morley")
    page.get_by_label("Suspect 1: relationship to the person").select_option(label="Neighbour")
    page.get_by_label("Following", exact=True).check()
    page.get_by_label("What is happening", exact=True).fill("Waits outside her house every night.")
    page.get_by_role("button", name="Save referral").click()

    page.wait_for_url(re.compile(r"/referrals/triage/\d+/$"))
    assert page.get_by_text("Referral RF-").is_visible()
    assert page.get_by_text("No existing client has the same name").is_visible()
    # Eligibility answers are proposed from the record; the triager confirms them.
    assert page.locator("#id_in_area_0").is_checked()
    assert page.locator("#id_domestic_abuse_related_1").is_checked()
    page.get_by_role("button", name="Record checks").click()

    page.get_by_text("Step 2: decision").wait_for()
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("accepted.").wait_for()

    referral = Referral.objects.get()
    assert referral.outcome == "accepted"
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.WAITING


def test_intake_error_keeps_typed_data_in_the_browser(page):
    UserFactory(username="isac2", role=Role.CASEWORKER)
    browser_sign_in(page, "isac2")
    page.goto("/referrals/new/")
    page.get_by_label("Last name", exact=True).fill("Khan")
    page.get_by_label("Date of birth", exact=True).fill("2099-01-01")
    page.get_by_role("button", name="Save referral").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert page.get_by_role("link", name="Enter first name").is_visible()
    assert page.get_by_label("Last name", exact=True).input_value() == "Khan"


def test_quick_exit_leaves_and_replaces_history(page):
    # The neutral site is not reachable from the test machine: answer for it locally.
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="Weather", status=200))
    page.goto("/referrals/self-referral/")
    page.goto("/referrals/self-referral/about-you/")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.go_back()
    # Back skips the page that was exited (its history entry was replaced).
    assert "about-you" not in page.url


def test_decision_form_shows_only_the_field_the_outcome_needs(page):
    from tests.factories_referrals import make_triaged_referral

    user = UserFactory(username="isac3", role=Role.MANAGER)
    referral = make_triaged_referral(by=user)
    browser_sign_in(page, "isac3")
    page.goto(f"/referrals/triage/{referral.pk}/")
    assert not page.get_by_label("Reason for declining").is_visible()
    page.get_by_label("Declined").check()
    assert page.get_by_label("Reason for declining").is_visible()
    assert not page.get_by_label("Signposted or handed over to").is_visible()
    page.get_by_label("Reason for declining").select_option(label="Client declined support")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("declined.").wait_for()
    assert Referral.objects.get().outcome == "declined"
