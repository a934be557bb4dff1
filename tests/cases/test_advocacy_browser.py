"""From an active case through a handover, outcome measures, an exit plan and a closure
request, to a manager's approval and the closed case."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import testcases
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.outcomes import EXIT_SAME_DAY_AS_ENTRY
from cases.statuses import CaseStatus
from tests.factories import PASSWORD
from tests.factories_advocacy import active_case

# MEDIA_URL is None on purpose (no public media); the live server's media handler needs a
# string. The same patch is in the foundation branch's conftest; kept here until merged.
testcases._MediaFilesHandler.get_base_url = lambda self: "https://no-public-media.invalid/"


def sign_in(page, username):
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


REFERENCE_DATA = [
    "stalkingservice.migrations.0002_load_districts",
    "cases.migrations.0002_load_closure_reasons",
    "cases.migrations.0004_load_service_directory",
]


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the tables, data migrations included: load them again."""
    for module in REFERENCE_DATA:
        importlib.import_module(module).load(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_handover_outcomes_exit_plan_closure_approval(reference_data, page, caseworker, manager):
    case = active_case(allocated_to=caseworker, risk_level="high")
    sign_in(page, caseworker.username)

    # Managed handover: refused without consent, then made with it.
    page.goto(f"/cases/{case.pk}/handovers/")
    page.get_by_role("link", name="Signpost or hand over").click()
    page.locator("#id_service").select_option(label="Staffordshire Victim Gateway (Victim Support)")
    page.get_by_label("Managed handover with a warm introduction").check()
    page.get_by_label("Why this service").fill("Practical help with home security")
    page.get_by_role("button", name="Record handover").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert (
        page.get_by_label("Why this service").input_value() == "Practical help with home security"
    )
    page.get_by_label("Client consents to share information").check()
    page.get_by_label("Exactly what was shared").fill("First name and that she is being followed")
    page.get_by_role("button", name="Record handover").click()
    assert page.get_by_text("Handover recorded.").is_visible()
    assert page.get_by_text("Awaiting").is_visible()

    # Outcome measures at entry and exit. The entry ratings were asked at the first
    # session three weeks ago (the case was referred a month ago), as on a real case.
    entry_day = timezone.localdate() - dt.timedelta(days=21)
    page.goto(f"/cases/{case.pk}/outcomes/")
    page.get_by_role("link", name="Record entry ratings").click()
    page.get_by_label("Date asked").fill(entry_day.isoformat())
    for measure, value in {
        "safer": "2",
        "health": "not_asked",
        "coping": "2",
        "informed": "1",
        "justice": "not_relevant",
    }.items():
        page.locator(f"input[name='{measure}'][value='{value}']").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record exit ratings").click()
    for measure, value in {
        "safer": "4",
        "health": "3",
        "coping": "3",
        "informed": "declined",
        "justice": "not_relevant",
        "satisfaction": "5",
    }.items():
        page.locator(f"input[name='{measure}'][value='{value}']").check()
    # Exit ratings dated the day of the entry ones, on a case that is not closing, would
    # show no change: refused with the reason, and the ratings typed are kept.
    page.get_by_label("Date asked").fill(entry_day.isoformat())
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_text(EXIT_SAME_DAY_AS_ENTRY).first.is_visible()
    assert page.locator("input[name='safer'][value='4']").is_checked()
    assert not case.outcome_assessments.filter(stage="exit").exists()
    # Asked today, three weeks on: saved, and the change is shown.
    page.get_by_label("Date asked").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    assert page.get_by_test_id("change-safer").inner_text() == "+2 (improved)"
    assert page.get_by_test_id("change-health").inner_text() == "Not measured"

    # Exit plan moves the case to exit planning.
    page.goto(f"/cases/{case.pk}/exit/")
    page.get_by_role("link", name="Write the exit plan").click()
    page.get_by_label("Readiness to end support").fill("Incidents have stopped")
    page.get_by_label("Ongoing safety arrangements").fill("SPO in place; safety plan kept")
    page.get_by_label("Who to contact after support ends").fill("DC Jones; 999 in an emergency")
    page.get_by_label("How to come back to the service").fill("Call us; no need to retell")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Exit plan saved.").is_visible()
    assert page.get_by_text("Exit planning", exact=True).first.is_visible()

    # Closure request: high risk, so it waits for a manager.
    page.get_by_role("link", name="Close the case").click()
    page.get_by_role("button", name="Close the case").click()
    assert page.get_by_text("Select the reason for closing the case").first.is_visible()
    page.get_by_label("Reason for closing").select_option(label="Support completed: goals met")
    page.get_by_label("Closing summary").fill("Goals met; client feels safer.")
    # The open handover follow-up task must be carried over (or done) first.
    page.get_by_label(
        "Check Staffordshire Victim Gateway (Victim Support) has acknowledged the handover"
    ).check()
    page.get_by_role("button", name="Close the case").click()
    assert page.get_by_text("waiting for a manager's approval").is_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXIT_PLANNING

    # The manager approves from the list.
    page.context.clear_cookies()
    sign_in(page, manager.username)
    page.get_by_role("button", name="Casework").click()
    page.get_by_role("link", name="Closures to approve").click()
    page.get_by_role("link", name=case.reference).click()
    page.get_by_label("Approve and close the case").check()
    page.get_by_role("button", name="Record decision").click()
    assert page.get_by_text("Decision recorded.").is_visible()
    assert page.get_by_text("Closed", exact=True).first.is_visible()
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == CaseStatus.CLOSED
    assert closed.closure_approved_by == manager
