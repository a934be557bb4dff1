"""A crime reference typed on an incident offers to create or link the police record, so
it is never typed twice (issue 12, point 6): the service (one police record per crime
reference on a case, on every path), the incident page's offer and link, the prefilled
crime report form, and the role matrix of the new action."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from cases.models.police_court import PoliceInvestigation
from cases.services.lifecycle import break_glass_grant
from cases.services.police_court import (
    CRIME_REFERENCE_ON_RECORD,
    investigation_create,
    investigation_update,
)
from risk.services.incidents import NO_CRIME_REFERENCE, incident_police_record_create
from stalkingservice.domain import DomainError
from tests.conftest import signed_in
from tests.factories import CaseFactory, UserFactory
from tests.factories_advocacy import InvestigationFactory
from tests.factories_risk import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(caseworker):
    return IncidentFactory(
        case=CaseFactory(allocated_to=caseworker),
        reported_to_police=True,
        police_reported_on=timezone.localdate() - dt.timedelta(days=2),
        police_officer="DC Priya Shah",
        crime_reference=" SP-440021-26 ",
    )


def _incident_url(incident) -> str:
    return reverse("risk:incident", args=[incident.case_id, incident.pk])


def _create_url(incident) -> str:
    return reverse("risk:incident_police_record", args=[incident.case_id, incident.pk])


# ---- the service ------------------------------------------------------------------------


def test_police_record_made_from_the_incident(incident, caseworker):
    record = incident_police_record_create(incident=incident, by=caseworker)
    assert record.case == incident.case
    assert record.crime_reference == "SP-440021-26"
    assert record.officer_name == "DC Priya Shah"
    assert record.reported_on == incident.police_reported_on
    assert record.status == "reported"
    assert CaseEvent.objects.filter(case=incident.case, kind="investigation_recorded").exists()


def test_reported_date_defaults_to_the_day_of_the_incident(incident, caseworker):
    incident.police_reported_on = None
    record = incident_police_record_create(incident=incident, by=caseworker)
    assert record.reported_on == timezone.localtime(incident.occurred_at).date()


def test_a_crime_reference_is_on_the_police_record_once_on_every_path(incident, caseworker):
    incident_police_record_create(incident=incident, by=caseworker)
    # Again from the incident (a second click), or typed on the crime report form with
    # other spaces and letter case: refused, beside the crime reference.
    with pytest.raises(DomainError) as again:
        incident_police_record_create(incident=incident, by=caseworker)
    assert str(again.value) == CRIME_REFERENCE_ON_RECORD.format(reference="SP-440021-26")
    with pytest.raises(DomainError) as typed:
        investigation_create(
            case=incident.case,
            data={"crime_reference": "sp-440021-26", "reported_on": timezone.localdate()},
            by=caseworker,
        )
    assert typed.value.field == "crime_reference"
    # Editing another record to carry the same reference is refused too.
    other = InvestigationFactory(case=incident.case, crime_reference="SP-999999-26")
    with pytest.raises(DomainError):
        investigation_update(
            investigation=other,
            data={"crime_reference": "SP-440021-26", "force": "Staffordshire Police"},
            version=other.version,
            by=caseworker,
        )
    assert PoliceInvestigation.objects.filter(case=incident.case).count() == 2
    # The same reference on another client's case is that case's business.
    investigation_create(
        case=CaseFactory(allocated_to=caseworker),
        data={"crime_reference": "SP-440021-26", "reported_on": timezone.localdate()},
        by=caseworker,
    )


def test_an_incident_without_a_crime_reference_makes_no_police_record(incident, caseworker):
    incident.crime_reference = "  "
    with pytest.raises(DomainError, match=NO_CRIME_REFERENCE):
        incident_police_record_create(incident=incident, by=caseworker)
    assert not PoliceInvestigation.objects.exists()


def test_editing_a_record_keeps_its_own_reference(caseworker):
    record = InvestigationFactory(
        case=CaseFactory(allocated_to=caseworker), crime_reference="SP-1-26"
    )
    investigation_update(
        investigation=record,
        data={"crime_reference": "SP-1-26", "officer_name": "DC Lee"},
        version=record.version,
        by=caseworker,
    )


# ---- the pages --------------------------------------------------------------------------


def test_incident_page_offers_to_create_the_police_record(incident, caseworker):
    http = signed_in(caseworker)
    page = http.get(_incident_url(incident)).text
    assert "Create the police record with this crime reference" in page
    assert f'action="{_create_url(incident)}"' in page
    # Or a crime report form filled in from the incident.
    prefill = reverse("cases:investigation_add", args=[incident.case_id])
    assert f"{prefill}?crime_reference=SP-440021-26&amp;officer_name=DC+Priya+Shah" in page
    form = http.get(
        f"{prefill}?crime_reference=SP-440021-26&officer_name=DC+Priya+Shah"
        f"&reported_on={incident.police_reported_on.isoformat()}"
    ).text
    assert 'value="SP-440021-26"' in form and 'value="DC Priya Shah"' in form

    response = http.post(_create_url(incident), follow=True)
    assert "Police record created for crime reference SP-440021-26" in response.text
    assert PoliceInvestigation.objects.get(case=incident.case).crime_reference == "SP-440021-26"
    # Now the incident links to it instead of offering it again.
    page = http.get(_incident_url(incident)).text
    assert "Create the police record" not in page
    record = PoliceInvestigation.objects.get(case=incident.case)
    assert reverse("cases:investigation_edit", args=[incident.case_id, record.pk]) in page
    assert "See the police record for SP-440021-26" in page


def test_a_second_click_says_it_is_already_on_the_record(incident, caseworker):
    http = signed_in(caseworker)
    http.post(_create_url(incident))
    response = http.post(_create_url(incident), follow=True)
    assert "is already on this case" in response.text
    assert PoliceInvestigation.objects.filter(case=incident.case).count() == 1


def test_incident_without_reference_offers_nothing(caseworker):
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker), crime_reference="")
    page = signed_in(caseworker).get(_incident_url(incident)).text
    assert "police-record-offer" not in page and "police-record-link" not in page


def test_incident_form_suggests_the_crime_references_on_record(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    InvestigationFactory(case=case, crime_reference="SP-123456-26")
    page = signed_in(caseworker).get(reverse("risk:incident_new", args=[case.pk])).text
    assert 'list="id_crime_reference_suggestions"' in page
    assert '<datalist id="id_crime_reference_suggestions"><option value="SP-123456-26">' in page
    assert "Already on the police record: SP-123456-26" in page


def test_crime_report_form_refuses_a_reference_already_on_record(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    InvestigationFactory(case=case, crime_reference="SP-123456-26")
    response = signed_in(caseworker).post(
        reverse("cases:investigation_add", args=[case.pk]),
        {
            "crime_reference": "SP-123456-26",
            "force": "Staffordshire Police",
            "reported_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "is already on this case" in response.text
    assert PoliceInvestigation.objects.filter(case=case).count() == 1


# ---- role matrix of the new action --------------------------------------------------------


@pytest.mark.parametrize(
    "actor,status,created",
    [
        ("signed_out", 302, False),
        ("caseworker", 302, True),  # allocated
        ("caseworker2", 404, False),  # another caseworker: a POST is refused outright
        ("glass", 403, False),  # break-glass reads, it does not act (issue 13, point 4)
        ("manager", 302, True),
        ("commissioner", 404, False),
        ("administrator", 404, False),
    ],
)
def test_role_matrix_create_police_record(actor, status, created, incident, request, client):
    if actor == "signed_out":
        http = client
    elif actor == "glass":
        glass = UserFactory(role="caseworker")
        break_glass_grant(case=incident.case, user=glass, reason="Duty cover")
        http = signed_in(glass)
    else:
        http = signed_in(request.getfixturevalue(actor))
    response = http.post(_create_url(incident))
    assert response.status_code == status
    if status == 302:
        assert ("/sign-in/" in response["Location"]) != created
    assert PoliceInvestigation.objects.filter(case=incident.case).exists() == created
    if actor == "caseworker":
        assert http.get(_create_url(incident)).status_code == 405
