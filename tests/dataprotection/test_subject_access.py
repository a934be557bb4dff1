"""Subject access: requests tracked to their one-month due date, and a bundle (PDF and
JSON) of everything held, with third-party data marked and every download logged."""

import json
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.db import models
from django.utils import timezone

from dataprotection.models import SubjectAccessRequest
from dataprotection.services import subject_access
from stalkingservice.models import AuditEvent
from tests.conftest import service_missing
from tests.factories import CaseFactory, CaseNoteFactory, ClientFactory, SuspectFactory
from tests.factories_security import SubjectAccessRequestFactory, temporary_case_model
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 14), date(2026, 4, 14)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
    ],
)
def test_due_date_is_one_calendar_month(received, due):
    assert subject_access.sar_due_on(received) == due


def test_manager_logs_a_request_from_a_case_reference(as_user, manager):
    case = CaseFactory(reference="STK-2026-04242")
    http = as_user(manager)
    response = http.post(
        "/data-protection/subject-access/new/",
        {"case_reference": " stk-2026-04242 ", "received_on": "2026-03-14"},
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/data-protection/subject-access/{sar.pk}/"
    assert (sar.client_id, sar.due_on, sar.created_by) == (
        case.client_id,
        date(2026, 4, 14),
        manager,
    )
    detail = http.get(response.url)
    assert "14 April 2026" in detail.text
    assert case.reference in detail.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"case_reference": "STK-1999-00001", "received_on": "2026-03-14"},
            subject_access.CASE_NOT_FOUND,
        ),
        (
            {"case_reference": "STK-2026-04242", "received_on": "2999-01-01"},
            subject_access.RECEIVED_IN_FUTURE,
        ),
        ({"case_reference": "STK-2026-04242", "received_on": "31/02/2026"}, "Enter a real date"),
        ({"case_reference": "", "received_on": "2026-03-14"}, "Enter case reference"),
    ],
)
def test_bad_input_is_explained_and_kept(as_user, manager, data, message):
    CaseFactory(reference="STK-2026-04242")
    response = as_user(manager).post("/data-protection/subject-access/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert data["case_reference"] in response.text
    assert not SubjectAccessRequest.objects.exists()


def test_list_shows_overdue_open_and_completed(as_user, manager):
    today = timezone.localdate()
    overdue = SubjectAccessRequestFactory(
        received_on=today - timedelta(days=40), due_on=today - timedelta(days=9)
    )
    on_time = SubjectAccessRequestFactory(due_on=today + timedelta(days=20))
    http = as_user(manager)
    http.post(f"/data-protection/subject-access/{on_time.pk}/complete/")
    text = http.get("/data-protection/subject-access/").text
    assert text.index(f"Request {overdue.pk}") < text.index(f"Request {on_time.pk}")
    assert "Overdue" in text and "Completed" in text
    on_time.refresh_from_db()
    assert (on_time.status, on_time.completed_on, on_time.completed_by) == (
        "completed",
        today,
        manager,
    )


@pytest.fixture
def held_data(as_user, caseworker, manager):
    client = ClientFactory(first_name="Rosalind", last_name="Abernethy", address="3 Quince Court")
    contact = client.safe_contact
    contact.code_word = "marigold"
    contact.others_who_may_answer = "Flatmate Imogen"
    contact.save()
    case = CaseFactory(client=client, allocated_to=caseworker)
    from tests.factories import ReferralFactory

    ReferralFactory(case=case, referrer_name="PC Wilhelmina Strand")
    SuspectFactory(case=case, name="Cornelius Vantablack")
    note = CaseNoteFactory(case=case, summary="First call went well")
    note.summary = "First call went well; agreed weekly calls"
    note.save()
    as_user(caseworker).get(f"/cases/{case.pk}/")  # an access-log entry
    other = CaseFactory(client=ClientFactory(first_name="Unrelated", last_name="Person"))
    sar = SubjectAccessRequestFactory(client=client, created_by=manager)
    return sar, case, other


def test_json_bundle_holds_everything_with_third_parties_marked(as_user, manager, held_data):
    sar, case, other = held_data
    response = as_user(manager).get(f"/data-protection/subject-access/{sar.pk}/bundle.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'subject-access-{sar.pk}.json"')
    bundle = json.loads(response.content)
    fields = {
        (s["model"], f["name"]): f
        for s in bundle["sections"]
        for r in s["records"]
        for f in r["fields"]
    }
    assert fields[("cases.Client", "last_name")]["value"] == "Abernethy"
    assert fields[("cases.Client", "address")]["value"] == "3 Quince Court"  # decrypted
    assert fields[("cases.SafeContact", "code_word")]["value"] == "marigold"
    assert fields[("cases.Client", "last_name")]["third_party"] is False
    assert fields[("cases.Suspect", "name")] == {
        "name": "name",
        "label": "Name",
        "value": "Cornelius Vantablack",
        "third_party": True,
    }
    assert fields[("referrals.Referral", "referrer_name")]["third_party"] is True
    assert fields[("cases.SafeContact", "others_who_may_answer")]["third_party"] is True
    notes = next(s for s in bundle["sections"] if s["model"] == "cases.CaseNote")
    assert [h["change"] for h in notes["history"]] == ["Created", "Changed"]
    assert (
        notes["history"][0]["fields"][
            [f["name"] for f in notes["history"][0]["fields"]].index("summary")
        ]["value"]
        == "First call went well"
    )
    assert any(
        e["case"] == case.reference and e["who"] == "cw_one" and e["action"] == "Viewed a case"
        for e in bundle["access_log"]
    )
    text = response.content.decode()
    assert "Unrelated" not in text and other.reference not in text


def test_pdf_bundle_is_tagged_pdf_ua_with_title_and_language(as_user, manager, held_data, tmp_path):
    sar, _, _ = held_data
    response = as_user(manager).get(f"/data-protection/subject-access/{sar.pk}/bundle.pdf")
    assert response.status_code == 200
    assert_accessible_pdf(response.content, tmp_path, title="Subject access bundle")


def test_pdf_bundle_is_readable_and_marks_third_parties(as_user, manager, held_data):
    if not shutil.which("pdftotext"):
        service_missing("pdftotext is not installed")
    sar, case, _ = held_data
    response = as_user(manager).get(f"/data-protection/subject-access/{sar.pk}/bundle.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Subject access bundle",
        "Abernethy",
        "3 Quince Court",
        "Cornelius Vantablack",
        "THIRD PARTY: review for redaction",
        "Who has looked at the record",
        case.reference,
    ):
        assert expected in text, expected


def test_every_download_is_audited(as_user, manager, held_data):
    sar, case, _ = held_data
    http = as_user(manager)
    http.get(f"/data-protection/subject-access/{sar.pk}/bundle.json")
    http.get(f"/data-protection/subject-access/{sar.pk}/bundle.pdf")
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.SUBJECT_ACCESS, user=manager)
    assert [(r.case_id, r.detail.rsplit(" ", 1)[-1]) for r in rows.order_by("id")] == [
        (case.pk, "JSON"),
        (case.pk, "PDF"),
    ]
    assert http.get(f"/data-protection/subject-access/{sar.pk}/bundle.exe").status_code == 404


# ---- access and performance -----------------------------------------------------------

ROLES = [
    "signed_out",
    "caseworker_allocated",
    "other_caseworker",
    "manager",
    "commissioner",
    "administrator",
]
EXPECTED = {
    # page: status for each role in ROLES order
    "list": [302, 404, 404, 200, 404, 404],
    "new": [302, 404, 404, 200, 404, 404],
    "detail": [302, 404, 404, 200, 404, 404],
    "bundle_json": [302, 404, 404, 200, 404, 404],
    "bundle_pdf": [302, 404, 404, 200, 404, 404],
    "complete": [302, 404, 404, 302, 404, 404],
}


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [(page, who, codes[i]) for page, codes in EXPECTED.items() for i, who in enumerate(ROLES)],
)
def test_role_matrix(
    page,
    who,
    expected,
    client,
    as_user,
    caseworker,
    caseworker2,
    manager,
    commissioner,
    administrator,
):
    case = CaseFactory(allocated_to=caseworker)
    sar = SubjectAccessRequestFactory(client=case.client)
    users = {
        "caseworker_allocated": caseworker,
        "other_caseworker": caseworker2,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }
    http = client if who == "signed_out" else as_user(users[who])
    base = "/data-protection/subject-access/"
    url = {
        "list": base,
        "new": base + "new/",
        "detail": f"{base}{sar.pk}/",
        "bundle_json": f"{base}{sar.pk}/bundle.json",
        "bundle_pdf": f"{base}{sar.pk}/bundle.pdf",
        "complete": f"{base}{sar.pk}/complete/",
    }[page]
    response = http.post(url) if page == "complete" else http.get(url)
    assert response.status_code == expected
    if page.startswith("bundle") and expected != 200:
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.SUBJECT_ACCESS).exists()
    if page == "complete":
        sar.refresh_from_db()
        assert sar.status == ("completed" if who == "manager" else "open")


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow_with_rows(count, as_user, manager, django_assert_max_num_queries):
    for _ in range(count):
        SubjectAccessRequestFactory()
    http = as_user(manager)
    with django_assert_max_num_queries(10):
        response = http.get("/data-protection/subject-access/")
    assert response.status_code == 200


def test_navigation_shows_subject_access_to_managers_only(as_user, manager, caseworker):
    assert "/data-protection/subject-access/" in as_user(manager).get("/").text
    assert "/data-protection/subject-access/" not in as_user(caseworker).get("/").text


@pytest.mark.parametrize("cases", [1, 10])
def test_detail_queries_do_not_grow_with_cases(
    cases, as_user, manager, django_assert_max_num_queries
):
    client = ClientFactory()
    for _ in range(cases):
        CaseFactory(client=client)
    sar = SubjectAccessRequestFactory(client=client)
    http = as_user(manager)
    with django_assert_max_num_queries(8):
        response = http.get(f"/data-protection/subject-access/{sar.pk}/")
    assert response.status_code == 200
    assert response.text.count("STK-") >= cases


def test_commissioner_gets_nothing_identifying(as_user, commissioner, held_data):
    sar, case, _ = held_data
    http = as_user(commissioner)
    for url in (
        "/data-protection/subject-access/",
        f"/data-protection/subject-access/{sar.pk}/",
        f"/data-protection/subject-access/{sar.pk}/bundle.json",
    ):
        response = http.get(url)
        assert response.status_code == 404
        assert "Abernethy" not in response.text and case.reference not in response.text


def test_a_witness_model_added_later_is_in_the_bundle_marked_third_party(as_user, manager):
    case = CaseFactory()
    sar = SubjectAccessRequestFactory(client=case.client)
    with temporary_case_model(
        "LaterWitness",
        full_name=models.CharField(max_length=100),
        statement=models.TextField(blank=True),
    ) as witness_model:
        witness_model.objects.create(case=case, full_name="Ignatius Pellow", statement="Saw him")
        bundle = json.loads(
            as_user(manager).get(f"/data-protection/subject-access/{sar.pk}/bundle.json").content
        )
    section = next(s for s in bundle["sections"] if s["model"] == "cases.LaterWitness")
    assert section["third_party_record"] is True
    values = {f["name"]: f for f in section["records"][0]["fields"]}
    assert values["full_name"]["value"] == "Ignatius Pellow"
    assert values["full_name"]["third_party"] and values["statement"]["third_party"]
