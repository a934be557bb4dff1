"""Walking the contact guardrails in the browser: a call outside the client's safe times, a
stalkerware finding, and a back-dated contact attempt."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.statuses import CaseStatus
from tests.a11y import assert_accessible
from tests.conftest import sign_in_with_browser
from tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case(caseworker, **safe):
    case = CaseFactory(
        allocated_to=caseworker,
        status=CaseStatus.ACTIVE,
        referred_at=timezone.now() - dt.timedelta(days=3),
    )
    SafeContact.objects.filter(client=case.client).update(**safe)
    return case


def test_a_call_outside_safe_times_is_warned_and_needs_a_reason(page, caseworker):
    tomorrow = (timezone.localdate().weekday() + 1) % 7
    case = _case(caseworker, safe_windows=[{"days": [tomorrow], "start": "10:00", "end": "11:00"}])
    sign_in_with_browser(page, caseworker.username)
    page.goto(f"/cases/{case.pk}/contact/")
    expect(page.get_by_test_id("outside-times-now")).to_contain_text(
        "Now is outside the client's safe times"
    )
    page.locator("#id_method").select_option(label="Phone call")
    page.locator("#id_outcome").select_option(label="No answer")
    page.get_by_role("button", name="Record attempt").click()
    summary = page.locator(".alert-danger", has_text="There is a problem")
    expect(summary).to_contain_text("outside the times the client said are safe")
    assert not ContactAttempt.objects.filter(case=case).exists()

    page.locator("#id_override_unsafe").check()
    page.locator("#id_unsafe_route_reason").fill("She asked us to ring after her shift today")
    page.get_by_role("button", name="Record attempt").click()
    expect(page.get_by_text("Contact attempt recorded.")).to_be_visible()
    expect(page.get_by_test_id("attempts")).to_contain_text("Unconfirmed route")
    expect(page.get_by_test_id("attempts")).to_contain_text("ring after her shift")
    assert_accessible(page)


def test_a_stalkerware_finding_marks_routes_unsafe_and_warns_on_the_case(page, caseworker):
    case = _case(caseworker, text_allowed=True)
    sign_in_with_browser(page, caseworker.username)
    page.goto(f"/risk/case/{case.pk}/digital-safety/new/")
    page.locator("#id_checked_on").fill(timezone.localdate().isoformat())
    page.locator("#id_stalkerware").select_option(label="Found")
    page.locator("#id_stalkerware_decision").select_option(
        label="Police to examine the device before anything is removed"
    )
    page.locator("#id_stalkerware_decision_agreed_by").fill("The client and DC Shaw")
    page.get_by_role("button", name="Save").first.click()
    banner = page.get_by_test_id("digital-warning")
    expect(banner).to_contain_text("may be monitored")
    expect(banner).to_contain_text("phone calls")

    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("digital-warning")).to_contain_text("Stalkerware found")
    expect(page.get_by_test_id("safe-contact-panel")).to_contain_text("no calls")
    expect(page.get_by_test_id("safe-contact-panel")).to_contain_text("no texts")
    assert_accessible(page)
    page.goto(f"/cases/{case.pk}/contact/")
    expect(page.get_by_test_id("unsafe-routes")).to_contain_text("Phone call")
    sc = SafeContact.objects.get(client=case.client)
    assert not sc.phone_allowed and "phone" in sc.digital_unsafe_routes


def test_a_back_dated_contact_attempt_is_refused_with_a_message(page, caseworker):
    case = _case(caseworker)
    sign_in_with_browser(page, caseworker.username)
    page.goto(f"/cases/{case.pk}/contact/")
    before = timezone.localtime() - dt.timedelta(days=10)
    page.locator("#id_method").select_option(label="Phone call")
    page.locator("#id_outcome").select_option(label="No answer")
    page.locator("#id_at").fill(before.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Record attempt").click()
    summary = page.locator(".alert-danger", has_text="There is a problem")
    expect(summary).to_contain_text("cannot be dated before the referral was received")
    expect(page.locator("#id_at")).to_have_value(before.strftime("%Y-%m-%dT%H:%M"))
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert not ContactAttempt.objects.filter(case=case).exists()
