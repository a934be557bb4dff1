"""Contact goes only by routes and at times the client said are safe: structured safe
times, calls and home visits outside them need a reason, reconfirming old details, and a
digital-safety finding marking routes unsafe at once."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import CaseEvent
from cases.services.client import (
    WINDOW_END_BEFORE_START,
    WINDOW_NEEDS_DAYS,
    safe_contact_update,
    safe_windows_clean,
)
from cases.services.contact import contact_attempt_record
from risk.models.digital import DigitalSafetyCheck
from risk.services.digital import (
    STALKERWARE_SUSPECTED_DECISION_REQUIRED,
    digital_check_record,
    digital_check_update,
)
from stalkingservice.domain import DomainError
from stalkingservice.personal_data import declaration
from tests.conftest import signed_in
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

LONDON_MONDAY_11 = timezone.make_aware(dt.datetime(2026, 11, 30, 11, 0))
LONDON_MONDAY_19 = timezone.make_aware(dt.datetime(2026, 11, 30, 19, 0))
LONDON_SATURDAY_11 = timezone.make_aware(dt.datetime(2026, 11, 28, 11, 0))
WEEKDAYS_10_TO_14 = [{"days": [0, 1, 2, 3, 4], "start": "10:00", "end": "14:00"}]


def _case(caseworker, **safe):
    case = CaseFactory(
        allocated_to=caseworker, referred_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9))
    )
    SafeContact.objects.filter(client=case.client).update(safe_windows=WEEKDAYS_10_TO_14, **safe)
    case.client.refresh_from_db()
    case.client.safe_contact.refresh_from_db()
    return case


def _record(case, by, method="phone", at=LONDON_MONDAY_11, **kwargs):
    return contact_attempt_record(
        case=case, method=method, outcome="no_answer", at=at, by=by, **kwargs
    )


# ---- structured safe times --------------------------------------------------------------


def test_safe_windows_are_validated_with_the_field_named():
    assert safe_windows_clean([{"days": ["4", 0, 0], "start": "10:00", "end": "14:00"}]) == [
        {"days": [0, 4], "start": "10:00", "end": "14:00"}
    ]
    with pytest.raises(DomainError, match=WINDOW_NEEDS_DAYS) as refused:
        safe_windows_clean([*WEEKDAYS_10_TO_14, {"days": [], "start": "10:00", "end": "11:00"}])
    assert refused.value.field == "window_2_days"
    with pytest.raises(DomainError, match=WINDOW_END_BEFORE_START) as refused:
        safe_windows_clean([{"days": [1], "start": "14:00", "end": "10:00"}])
    assert refused.value.field == "window_1_end"


def test_safe_contact_page_saves_days_and_times_and_keeps_other_notes(caseworker):
    case = _case(caseworker)
    sc = case.client.safe_contact
    url = reverse("cases:safe_contact_edit", args=[case.pk])
    http = signed_in(caseworker)
    form_page = http.get(url).text
    assert 'name="window_1_days"' in form_page and "Other notes about safe times" in form_page
    data = {
        "safe_phone": "07700 900123",
        "phone_allowed": "on",
        "plain_envelope": "on",
        "safe_times": "Not when her mother is visiting",
        "confirmed_on": timezone.localdate().isoformat(),
        "version": sc.version,
        "window_1_days": ["5", "6"],
        "window_1_start": "09:00",
        "window_1_end": "11:30",
        "window_2_days": ["0"],
        "window_2_start": "",
        "window_2_end": "",
    }
    refused = http.post(url, data)
    assert refused.status_code == 200 and "Enter the start and end time" in refused.text
    data.pop("window_2_days")
    assert http.post(url, data).status_code == 302
    sc.refresh_from_db()
    assert sc.safe_windows == [{"days": [5, 6], "start": "09:00", "end": "11:30"}]
    assert sc.safe_times == "Not when her mother is visiting"
    assert sc.windows_text == "Sat, Sun 09:00 to 11:30"


def test_safe_windows_are_declared_personal_data_for_anonymising_and_access():
    declared = declaration(SafeContact)
    assert {"safe_windows", "visit_allowed", "online_allowed"} <= set(declared.fields)
    assert "safe_windows" in declared.erase and "digital_unsafe_finding" not in declared.fields


# ---- calls and visits outside the safe times -----------------------------------------------


@pytest.mark.parametrize("at", [LONDON_MONDAY_19, LONDON_SATURDAY_11])
def test_call_outside_safe_times_refused_without_a_reason_recorded_with_one(caseworker, at):
    case = _case(caseworker)
    with pytest.raises(DomainError, match="outside the times the client said are safe") as refused:
        _record(case, caseworker, at=at)
    assert refused.value.field == "override_unsafe"
    assert "Mon to Fri 10:00 to 14:00" in str(refused.value)
    with pytest.raises(DomainError):
        _record(case, caseworker, at=at, override_unsafe=True, unsafe_route_reason=" ")
    assert not ContactAttempt.objects.filter(case=case).exists()
    attempt = _record(
        case, caseworker, at=at, override_unsafe=True, unsafe_route_reason="Police asked us to"
    )
    assert attempt.unsafe_route_reason == "Police asked us to"
    event = CaseEvent.objects.get(case=case, kind="unsafe_route_override")
    assert "outside the times" in event.summary and "Police asked us to" in event.summary


def test_call_inside_safe_times_and_texts_at_any_time_need_no_reason(caseworker):
    case = _case(caseworker, text_allowed=True)
    assert _record(case, caseworker).unsafe_route_reason == ""
    assert _record(case, caseworker, method="text", at=LONDON_MONDAY_19).unsafe_route_reason == ""


def test_no_safe_windows_recorded_means_no_time_rule(caseworker):
    case = _case(caseworker)
    SafeContact.objects.filter(client=case.client).update(safe_windows=[])
    case.client.safe_contact.refresh_from_db()
    assert _record(case, caseworker, at=LONDON_MONDAY_19).unsafe_route_reason == ""


def test_home_visit_is_checked_like_any_other_route(caseworker):
    case = _case(caseworker)
    with pytest.raises(DomainError, match="Home visits are not confirmed as safe"):
        _record(case, caseworker, method="visit")
    SafeContact.objects.filter(client=case.client).update(visit_allowed=True)
    case.client.safe_contact.refresh_from_db()
    with pytest.raises(DomainError, match="outside the times the client said are safe"):
        _record(case, caseworker, method="visit", at=LONDON_SATURDAY_11)
    assert _record(case, caseworker, method="visit").unsafe_route_reason == ""


def test_online_messages_are_a_route_of_their_own(caseworker):
    case = _case(caseworker)
    with pytest.raises(DomainError, match="online messages are not confirmed as safe"):
        _record(case, caseworker, method="online")


# ---- reconfirming --------------------------------------------------------------------------


def test_reconfirm_prompt_after_the_set_number_of_days(caseworker, settings):
    settings.SAFE_CONTACT_RECONFIRM_DAYS = 28
    case = _case(caseworker, confirmed_on=timezone.localdate() - dt.timedelta(days=28))
    sc = case.client.safe_contact
    assert not sc.reconfirm_due
    sc.confirmed_on -= dt.timedelta(days=1)
    assert sc.reconfirm_due
    sc.save()
    http = signed_in(caseworker)
    contact_page = http.get(reverse("cases:contact", args=[case.pk])).text
    assert 'data-testid="attempt-reconfirm"' in contact_page
    overview = http.get(case.get_absolute_url()).text
    assert "Reconfirm safe contact:" in overview
    settings.SAFE_CONTACT_RECONFIRM_DAYS = 60
    assert "Reconfirm safe contact:" not in http.get(case.get_absolute_url()).text


# ---- digital-safety findings -------------------------------------------------------------------


def _check_data(**overrides):
    data = {f: getattr(DigitalSafetyCheck(), f) for f in DigitalSafetyCheck.EDITABLE_FIELDS}
    data["checked_on"] = timezone.localdate()
    data.update(overrides)
    return data


FOUND = {
    "stalkerware": "found",
    "stalkerware_decision": "police",
    "stalkerware_decision_agreed_by": "Client and DC Shaw",
}


def test_stalkerware_marks_phone_email_and_online_unsafe_at_once(caseworker):
    case = _case(
        caseworker, voicemail_allowed=True, text_allowed=True, email_allowed=True,
        email="a@example.org", online_allowed=True, post_allowed=True,
    )  # fmt: skip
    digital_check_record(case=case, data=_check_data(**FOUND), by=caseworker)
    sc = SafeContact.objects.get(client=case.client)
    assert not any(
        [sc.phone_allowed, sc.voicemail_allowed, sc.text_allowed, sc.email_allowed,
         sc.online_allowed]
    )  # fmt: skip
    assert sc.post_allowed  # a letter is not read by stalkerware
    assert sc.digital_unsafe_routes == ["phone", "voicemail", "text", "email", "online"]
    assert sc.history.first().history_change_reason.startswith("Routes marked unsafe")
    event = CaseEvent.objects.get(case=case, kind="routes_marked_unsafe")
    assert "Stalkerware found" in event.summary
    # Every attempt by those routes now needs the override, saying why.
    with pytest.raises(DomainError, match="A digital-safety finding made phone calls unsafe"):
        _record(case, caseworker)
    # Everyone who works the case sees the banner.
    page = signed_in(caseworker).get(case.get_absolute_url()).text
    assert 'data-testid="digital-warning"' in page and "may be monitored" in page


def test_a_compromised_email_account_marks_only_email(caseworker):
    case = _case(caseworker, email_allowed=True, email="a@example.org", text_allowed=True)
    digital_check_record(case=case, data=_check_data(email_compromised=True), by=caseworker)
    sc = SafeContact.objects.get(client=case.client)
    assert sc.digital_unsafe_routes == ["email"]
    assert not sc.email_allowed and sc.phone_allowed and sc.text_allowed


def test_allowing_a_route_again_clears_its_flag_and_editing_the_check_does_not_reflag(
    caseworker,
):
    case = _case(caseworker)
    check = digital_check_record(case=case, data=_check_data(**FOUND), by=caseworker)
    sc = SafeContact.objects.get(client=case.client)
    data = {f: getattr(sc, f) for f in SafeContact.personal_data.fields}
    data["phone_allowed"] = True  # a new phone the person stalking has never touched
    safe_contact_update(client=case.client, case=case, data=data, version=sc.version, by=caseworker)
    sc.refresh_from_db()
    assert sc.phone_allowed and "phone" not in sc.digital_unsafe_routes
    assert CaseEvent.objects.filter(summary__startswith="Allowed again after").exists()
    digital_check_update(
        check=check, data={**_check_data(**FOUND), "findings": "More detail"}, by=caseworker
    )
    sc.refresh_from_db()
    assert sc.phone_allowed


def test_check_cannot_be_completed_while_stalkerware_is_suspected_without_a_decision(
    caseworker,
):
    case = _case(caseworker)
    suspected = _check_data(stalkerware="suspected", complete=True)
    with pytest.raises(
        DomainError, match=re.escape(STALKERWARE_SUSPECTED_DECISION_REQUIRED)
    ) as refused:
        digital_check_record(case=case, data=suspected, by=caseworker)
    assert refused.value.field == "stalkerware_decision"
    # Saved in progress it is accepted (and the routes are marked unsafe already).
    check = digital_check_record(case=case, data={**suspected, "complete": False}, by=caseworker)
    assert SafeContact.objects.get(client=case.client).digital_unsafe_routes
    with pytest.raises(DomainError, match=re.escape(STALKERWARE_SUSPECTED_DECISION_REQUIRED)):
        digital_check_update(check=check, data=suspected, by=caseworker)
    done = digital_check_update(
        check=check, data={**suspected, "stalkerware_decision": "leave"}, by=caseworker
    )
    assert done.status == "complete"
