"""The client's copy of the safety plan: what they carry away is clean (no address, phone,
email or code word, removed by field and as whole values, never pieces of words) and
useful (who to call; the police details only with the client's recorded consent), as a
tagged PDF/UA file."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models.lifecycle import CaseEvent
from risk.models.safety_plan import SafetyPlan
from risk.services.common import CASE_CLOSED
from risk.services.safety_plan import (
    CLIENT_COPY_TITLE,
    REDACTED,
    client_copy_redactor,
    safety_plan_client_copy,
    safety_plan_copy_consent_set,
)
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_advocacy import InvestigationFactory
from tests.factories_plans import SafetyActionFactory, SafetyPlanFactory
from tests.pdfs import assert_accessible_pdf, pdf_text

pytestmark = pytest.mark.django_db

ADDRESS = "14 Larch Grove\nStafford ST16 3AB"
PHONE = "07700 900456"
EMAIL = "Jo.Bloggs@example.org"
CODE_WORD = "Rose"
HELD = [("address", ADDRESS), ("phone", PHONE), ("email", EMAIL), ("code_word", CODE_WORD)]


def redact(text: str) -> str:
    return client_copy_redactor(HELD)(text)


# ---- the redaction, value by value ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Staffordshire Police will add a marker",
        "Ask at the Primrose Lane surgery",
        "Rosemary from housing will ring",
        "Roses on the doorstep: photograph them",
        "The Larch Groves estate office",
        "Bus to Staffordshire University",
        "Crime reference 077009004567",
        "Write to mojo.bloggs@example.org",
        "Write to jo.bloggs@example.org.uk",
    ],
)
def test_words_that_only_contain_a_held_value_are_left_whole(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go to 14 Larch Grove if locked out", f"Go to {REDACTED} if locked out"),
        ("Walk home via Larch Grove", f"Walk home via {REDACTED}"),
        ("Postcode st163ab for the taxi", f"Postcode {REDACTED} for the taxi"),
        ("Postcode ST16  3AB for the taxi", f"Postcode {REDACTED} for the taxi"),
        ("Moving away from Stafford.", f"Moving away from {REDACTED}."),
        ("Ring 07700900456 now", f"Ring {REDACTED} now"),
        ("Ring +44 7700 900456 now", f"Ring {REDACTED} now"),
        ("Ring +44 (0)7700-900-456 now", f"Ring {REDACTED} now"),
        ("Ring 07700.900.456 now", f"Ring {REDACTED} now"),
        ("Email JO.BLOGGS@EXAMPLE.ORG.", f"Email {REDACTED}."),
        ("Say rose if you need help", f"Say {REDACTED} if you need help"),
        ("Rose's the word", f"{REDACTED}'s the word"),
    ],
)
def test_each_held_value_is_removed_whole_however_it_is_written(text, expected):
    assert redact(text) == expected


def test_a_code_phrase_is_matched_as_a_phrase_whatever_the_spacing_or_case():
    redactor = client_copy_redactor([("code_word", "purple  elephant")])
    assert redactor("Text Purple\nElephant to your sister") == f"Text {REDACTED} to your sister"
    assert redactor("A purple elephantine vase") == "A purple elephantine vase"


def test_a_short_address_line_on_its_own_is_not_redacted_everywhere():
    redactor = client_copy_redactor([("address", "12, Larch Grove")])
    assert redactor("Review on 12 May at 12 Larch Grove") == f"Review on 12 May at 12 {REDACTED}"


def test_no_held_values_leaves_the_text_alone():
    assert client_copy_redactor([])("Keep the doors locked") == "Keep the doors locked"


# ---- the copy as the client reads it -------------------------------------------------


@pytest.fixture
def plan_case(caseworker):
    case = CaseFactory(allocated_to=caseworker, client__address=ADDRESS)
    case.client.preferred_name = "Jo"
    case.client.save()
    contact = case.client.safe_contact
    contact.safe_phone = PHONE
    contact.email = EMAIL
    contact.code_word = CODE_WORD
    contact.postal_address = "PO Box 77, Uttoxeter ST14 8ZZ"
    contact.save()
    plan = SafetyPlanFactory(case=case, created_by=caseworker)
    SafetyActionFactory(
        plan=plan,
        section="police",
        owner="police",
        description="Staffordshire Police add a marker to 14 Larch Grove; ring 07700 900456",
    )
    SafetyActionFactory(
        plan=plan,
        section="contacts",
        description="Say Rose to Rosemary at the Primrose Lane surgery if you need help",
    )
    SafetyActionFactory(
        plan=plan,
        section="home",
        description="Post goes to Uttoxeter ST14 8ZZ; emails to jo.bloggs@example.org",
    )
    InvestigationFactory(
        case=case,
        crime_reference="SP-204117-26",
        officer_name="DC Dana Whitfield",
        officer_collar_number="4471",
        officer_contact="101, ask for the Stafford CID office",
    )
    return case


def copy_text(case, by, tmp_path) -> str:
    return pdf_text(safety_plan_client_copy(case=case, by=by), tmp_path)


def test_the_copy_holds_no_address_phone_email_or_code_word(plan_case, caseworker, tmp_path):
    text = copy_text(plan_case, caseworker, tmp_path)
    for held in ("Larch Grove", "ST16 3AB", "900456", "jo.bloggs", "Uttoxeter", "ST14 8ZZ"):
        assert held.lower() not in text.lower()
    assert not re.search(r"\bRose\b", text)
    assert REDACTED in text


def test_words_containing_a_held_value_are_printed_whole(plan_case, caseworker, tmp_path):
    text = copy_text(plan_case, caseworker, tmp_path)
    assert "Staffordshire Police add a marker" in text
    assert "Rosemary at the Primrose Lane surgery" in text
    assert "[removed" not in text.replace(REDACTED, "")


def test_the_copy_says_who_to_call(plan_case, caseworker, tmp_path):
    text = copy_text(plan_case, caseworker, tmp_path)
    who = text[text.index("Who to call") :]
    assert "call 999" in who
    assert "press 55" in who
    assert f"{settings.SERVICE_NAME}: {settings.SERVICE_PHONE}" in who
    assert "National Stalking Helpline: 0808 802 0300" in who


def test_police_details_only_with_the_clients_recorded_consent(plan_case, caseworker, tmp_path):
    assert SafetyPlan.objects.get(case=plan_case).police_details_on_copy is False
    text = copy_text(plan_case, caseworker, tmp_path)
    assert "SP-204117-26" not in text and "Whitfield" not in text

    safety_plan_copy_consent_set(case=plan_case, police_details_on_copy=True, by=caseworker)
    text = copy_text(plan_case, caseworker, tmp_path)
    assert "Your crime reference number is SP-204117-26" in text
    assert "DC Dana Whitfield (collar number 4471)" in text
    # The officer's details go through the same redaction, whole words only.
    assert "ask for the [removed for your safety] CID office" in text

    safety_plan_copy_consent_set(case=plan_case, police_details_on_copy=False, by=caseworker)
    assert "SP-204117-26" not in copy_text(plan_case, caseworker, tmp_path)


def test_the_copy_is_a_tagged_pdf_ua_file(plan_case, caseworker, tmp_path):
    data = safety_plan_client_copy(case=plan_case, by=caseworker)
    assert_accessible_pdf(data, tmp_path, title=CLIENT_COPY_TITLE)


# ---- recording the consent -----------------------------------------------------------


def test_consent_is_kept_in_history_and_on_the_timeline(plan_case, caseworker):
    plan = safety_plan_copy_consent_set(case=plan_case, police_details_on_copy=True, by=caseworker)
    assert plan.police_details_on_copy is True
    last = plan.history.first()
    assert last.history_user == caseworker
    assert "consent to police details given" in last.history_change_reason
    event = CaseEvent.objects.get(case=plan_case, kind="safety_plan_copy_consent")
    assert "agreed" in event.summary

    # Saying the same again records nothing new.
    safety_plan_copy_consent_set(case=plan_case, police_details_on_copy=True, by=caseworker)
    assert CaseEvent.objects.filter(case=plan_case, kind="safety_plan_copy_consent").count() == 1


def test_consent_cannot_be_recorded_on_a_closed_case(plan_case, caseworker):
    plan_case.status = "closed"
    plan_case.save()
    with pytest.raises(DomainError, match=CASE_CLOSED):
        safety_plan_copy_consent_set(case=plan_case, police_details_on_copy=True, by=caseworker)


def test_consent_page_saves_and_shows_the_answer_on_the_plan(plan_case, caseworker, as_user):
    http = as_user(caseworker)
    url = reverse("risk:safety_plan_copy_consent", args=[plan_case.pk])
    page = http.get(url)
    assert page.status_code == 200
    assert "The client agreed to have the police officer and crime reference" in page.text
    response = http.post(url, {"police_details_on_copy": "on"}, follow=True)
    assert "What goes on the client&#x27;s copy is saved." in response.text
    assert SafetyPlan.objects.get(case=plan_case).police_details_on_copy is True
    assert "yes, the client agreed" in response.text
