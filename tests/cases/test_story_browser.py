"""Issue 12, points 6 and 8, walked in a real browser (Playwright, Chromium):

- a manager accepts a referral at triage, is offered "Allocate now", allocates, and the
  referral's account is on the case page for the caseworker (the story told once);
- a crime reference typed on an incident offers the police record, made in one click,
  and the incident then links to it;
- another caseworker walks every tab of a case and meets the break-glass form on each,
  breaks glass once, and then sees every tab."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models.police_court import PoliceInvestigation
from cases.tabs import CASE_TABS
from referrals.models import Referral
from tests.a11y import axe_violations
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories import CaseFactory
from tests.factories_referrals import make_triaged_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "He waits at the bus stop outside my work every morning and follows me home."


def _sign_out(page):
    page.get_by_role("button", name="Sign out", exact=True).click()


def test_accept_allocate_now_and_the_account_on_the_case(page, manager, caseworker):
    referral = make_triaged_referral(
        by=manager,
        summary=ACCOUNT,
        behaviours=["following", "loitering"],
        referrer_name="PC Ann Lowe",
        referrer_organisation="Staffordshire Police",
        referrer_phone="01785 232525",
    )
    browser_sign_in(page, manager.username)
    page.goto(f"/referrals/triage/{referral.pk}/")
    page.get_by_label("Accepted").check()
    page.get_by_label("Decision notes").fill("Prefers calls after 6pm.")
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text(f"Referral {referral.reference}: accepted.")).to_be_visible()
    page.get_by_role("link", name="Allocate now").click()
    page.locator("#id_worker").select_option(label=f"{caseworker} (Caseworker (ISAC))")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("status").first).to_contain_text("allocated to")
    assert Referral.objects.get(pk=referral.pk).case.allocated_to == caseworker
    _sign_out(page)

    browser_sign_in(page, caseworker.username)
    page.goto(f"/cases/{referral.case_id}/")
    section = page.get_by_test_id("referral-section")
    expect(section).to_contain_text(ACCOUNT)
    expect(section).to_contain_text("Following")
    expect(section).to_contain_text("Loitering")
    expect(section).to_contain_text("PC Ann Lowe")
    expect(section).to_contain_text("01785 232525")
    expect(section).to_contain_text("Prefers calls after 6pm.")
    assert axe_violations(page) == []
    # The timeline's referral entries lead to the section, and the triage page opens.
    page.get_by_role("link", name="Read the referral").first.click()
    expect(section).to_be_in_viewport()
    section.get_by_role("link", name="Open the referral and its triage page").click()
    expect(page.get_by_test_id("triage-decided")).to_contain_text("Decision: Accepted")
    expect(page.get_by_text(ACCOUNT)).to_be_visible()


def test_crime_reference_on_an_incident_offers_the_police_record(page, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    browser_sign_in(page, caseworker.username)
    page.goto(f"/risk/cases/{case.pk}/incidents/new/")
    when = timezone.localtime() - dt.timedelta(days=2)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Behaviour").select_option(label="Following")
    page.get_by_label("What happened (facts only)").fill("Followed her from the station.")
    page.get_by_label("Reported to police", exact=True).check()
    page.get_by_label("Officer", exact=True).fill("DC Priya Shah")
    page.get_by_label("Crime reference", exact=True).fill("SP-440021-26")
    page.get_by_role("button", name="Save incident").click()

    offer = page.get_by_test_id("police-record-offer")
    expect(offer).to_contain_text("Crime reference SP-440021-26 is not on the police record yet")
    assert axe_violations(page) == []
    offer.get_by_role("button", name="Create the police record with this crime reference").click()
    expect(
        page.get_by_text("Police record created for crime reference SP-440021-26")
    ).to_be_visible()
    expect(page.get_by_test_id("police-record-offer")).to_have_count(0)
    record = PoliceInvestigation.objects.get(case=case)
    assert (record.crime_reference, record.officer_name) == ("SP-440021-26", "DC Priya Shah")

    page.get_by_role("link", name="See the police record for SP-440021-26").click()
    expect(page.locator("#id_crime_reference")).to_have_value("SP-440021-26")
    page.goto(f"/cases/{case.pk}/police/")
    expect(page.get_by_role("main")).to_contain_text("SP-440021-26")

    # A second incident with the same reference links to the record; nothing is typed twice.
    page.goto(f"/risk/cases/{case.pk}/incidents/new/")
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Behaviour").select_option(label="Loitering")
    page.get_by_label("What happened (facts only)").fill("Waited outside the house.")
    page.get_by_label("Crime reference", exact=True).fill("SP-440021-26")
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_test_id("police-record-link")).to_contain_text(
        "Crime reference SP-440021-26 is on the police record"
    )
    assert PoliceInvestigation.objects.filter(case=case).count() == 1


def test_another_caseworker_on_every_tab(page, caseworker, caseworker2):
    case = CaseFactory(allocated_to=caseworker)
    tabs = [(slug, label, name) for slug, label, name in CASE_TABS if slug != "access"]
    browser_sign_in(page, caseworker2.username)
    heading = f"Open {case.reference}: this case is not allocated to you"
    from django.urls import reverse

    for _, label, name in tabs:
        page.goto(reverse(name, args=[case.pk]))
        expect(page.get_by_role("heading", level=1), label).to_have_text(heading)
        expect(page.get_by_label("Why do you need to open this case?")).to_be_visible()
        expect(page.get_by_text("You can open it for 8 hours")).to_be_visible()

    # Break glass once, from the last tab: back on that tab, then every tab opens.
    page.get_by_label("Why do you need to open this case?").fill("Duty cover this afternoon")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text(f"You have opened {case.reference} for 8 hours")).to_be_visible()
    expect(page.locator(".nav-tabs [aria-current=page]")).to_have_text(tabs[-1][1])
    for _, label, name in tabs:
        page.goto(reverse(name, args=[case.pk]))
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
        expect(page.locator(".nav-tabs [aria-current=page]"), label).to_have_text(label)
