"""The police chronology: summary header, incidents in date order, exhibit hashes, no
address or safe-contact details, and every export logged."""

import csv
import datetime
import hashlib
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from risk.services.exhibits import exhibit_add
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory, SuspectFactory
from tests.factories_risk import IncidentFactory, png_bytes
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.django_db

ADDRESS = "17 Lilac Close, Stafford ST16 9ZZ"
SAFE_PHONE = "07700 900999"
SAFE_EMAIL = "hidden.inbox@example.org"
CODE_WORD = "bluebell"


@pytest.fixture
def case_with_log(caseworker, settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path
    case = CaseFactory(allocated_to=caseworker, client__address=ADDRESS)
    contact = case.client.safe_contact
    contact.safe_phone = SAFE_PHONE
    contact.email = SAFE_EMAIL
    contact.code_word = CODE_WORD
    contact.postal_address = ADDRESS
    contact.save()
    SuspectFactory(case=case, name="Darren Hollis", relationship="ex_partner")
    now = timezone.now()
    # Created out of order: the export must sort by when they happened.
    third = IncidentFactory(
        case=case,
        occurred_at=now - datetime.timedelta(days=2),
        description="Third: messages from a new account",
        behaviour="fake_accounts",
        account_used="@newhandle",
        feared_violence=True,
    )
    first = IncidentFactory(
        case=case,
        occurred_at=now - datetime.timedelta(days=60),
        description="First: waited outside work",
        feared_violence=True,
        reported_to_police=True,
        crime_reference="SP-12345-26",
    )
    IncidentFactory(
        case=case,
        occurred_at=now - datetime.timedelta(days=20),
        description="Second: flowers left at the door",
        behaviour="gifts",
    )
    data = png_bytes()
    exhibit = exhibit_add(
        incident=third, upload=SimpleUploadedFile("profile.png", data), by=caseworker
    )
    exhibit_add(
        incident=first, physical_item="Handwritten note", held_where="Office safe", by=caseworker
    )
    return case, exhibit, hashlib.sha256(data).hexdigest()


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "chronology.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_chronology_is_tagged_pdf_ua_with_title_and_language(
    case_with_log, caseworker, as_user, tmp_path
):
    case, _, _ = case_with_log
    response = as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, "pdf"]))
    assert_accessible_pdf(response.content, tmp_path, title=f"Incident chronology {case.reference}")


def test_pdf_chronology(case_with_log, caseworker, as_user, tmp_path):
    case, exhibit, digest = case_with_log
    response = as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response.content, tmp_path)
    flat = " ".join(text.split())
    assert case.client.full_name in flat
    assert "Darren Hollis" in flat and "Ex-partner" in flat
    assert "Number of incidents 3" in flat
    assert "Occasions with feared violence 2" in flat
    assert flat.index("First:") < flat.index("Second:") < flat.index("Third:")
    assert digest in text.replace(" ", "") or digest in flat
    assert exhibit.reference in flat
    assert "Handwritten note" in flat and "Office safe" in flat
    assert "SP-12345-26" in flat
    for secret in (ADDRESS, "Lilac Close", SAFE_PHONE, SAFE_EMAIL, CODE_WORD):
        assert secret not in flat


def test_csv_chronology(case_with_log, caseworker, as_user):
    case, exhibit, digest = case_with_log
    response = as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, "csv"]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="chronology-{case.reference}.csv"'
    )
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    summary = {r[0]: r[1] for r in rows[:9] if len(r) == 2}
    assert summary["Client"] == case.client.full_name
    assert summary["Suspect(s)"] == "Darren Hollis"
    assert summary["Relationship"] == "Ex-partner"
    assert summary["Number of incidents"] == "3"
    assert summary["Occasions with feared violence"] == "2"
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    incidents = rows[header_at + 1 :]
    assert [r[5].split(":")[0] for r in incidents] == ["First", "Second", "Third"]
    # Cells starting with a formula character are quoted so a spreadsheet shows them as text.
    assert incidents[2][7] == "'@newhandle"
    assert digest in incidents[2][-1] and exhibit.reference in incidents[2][-1]
    assert "Office safe" in incidents[0][-1]
    for secret in (ADDRESS, "Lilac Close", SAFE_PHONE, SAFE_EMAIL, CODE_WORD):
        assert secret not in body


def test_csv_cells_cannot_run_as_formulas(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    IncidentFactory(case=case, description='=HYPERLINK("http://evil")')
    body = as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, "csv"])).content
    assert "'=HYPERLINK" in body.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_every_export_is_logged(case_with_log, caseworker, as_user, fmt):
    case, _, _ = case_with_log
    as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, fmt]))
    audit = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, case_id=case.pk)
    assert audit.user == caseworker and fmt.upper() in audit.detail
    event = CaseEvent.objects.get(case=case, kind="chronology_exported")
    assert event.by == caseworker and "3 incidents" in event.summary


def test_exhibit_download_is_an_attachment_with_nosniff(case_with_log, caseworker, as_user):
    case, exhibit, digest = case_with_log
    response = as_user(caseworker).get(reverse("risk:exhibit_download", args=[case.pk, exhibit.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == digest
    assert response["Content-Disposition"].startswith("attachment;")
    assert "profile.png" in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, case_id=case.pk).exists()


HOSTILE = ['=HYPERLINK("http://evil.example","Open")', "+1", "-2", "@x", "\tx", "\rx", " =1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@pytest.mark.parametrize("value", HOSTILE)
def test_no_cell_of_the_downloaded_chronology_can_run_as_a_formula(caseworker, as_user, value):
    """Every text the chronology writes, the worker's name ("recorded by"), the case
    reference and the client's name included, arrives neutralised."""
    from tests.factories import UserFactory

    recorder = UserFactory(first_name=value, last_name="Smith")
    case = CaseFactory(allocated_to=caseworker, reference="=2+5", client__first_name=value)
    SuspectFactory(case=case, name=value)
    IncidentFactory(
        case=case,
        recorded_by=recorder,
        place=value,
        description=value,
        channel=value,
        account_used=value,
        witnesses=value,
        impact=value,
        police_officer=value,
        crime_reference=value,
    )
    response = as_user(caseworker).get(reverse("risk:chronology", args=[case.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c.lstrip(" ").startswith(FORMULA_START)] == []
    assert "'=2+5" in cells  # the case reference
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    recorded_by = rows[header_at + 1][rows[header_at].index("Recorded by")]
    name = str(recorder)
    assert recorded_by == ("'" + name if name.lstrip(" ").startswith(FORMULA_START) else name)
