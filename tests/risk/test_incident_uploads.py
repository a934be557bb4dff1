"""Exhibit uploads: real files checked by content, refused with a message beside the
field, and nothing else typed on the form is lost."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from risk.models.exhibits import Exhibit
from risk.models.incidents import Incident
from risk.services.common import FUTURE_DATE
from risk.services.exhibits import (
    HELD_WHERE_REQUIRED,
    UPLOAD_EMPTY,
    exhibit_add,
    sniff,
    upload_check,
)
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_risk import (
    EXE_BYTES,
    GIF_BYTES,
    JPEG_BYTES,
    M4A_BYTES,
    MP3_BYTES,
    MP4_BYTES,
    WEBP_BYTES,
    IncidentFactory,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def protected_root(settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path / "protected"
    return settings.PROTECTED_FILES_ROOT


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("screenshot.png", png_bytes, "png"),
        ("letter.pdf", pdf_bytes, "pdf"),
        ("photo.jpg", lambda: JPEG_BYTES, "jpeg"),
        ("photo.gif", lambda: GIF_BYTES, "gif"),
        ("photo.webp", lambda: WEBP_BYTES, "webp"),
        ("messages.txt", lambda: "Tu es où ? 😡\nI'm outside\n".encode(), "text"),
        ("voicemail.mp3", lambda: MP3_BYTES, "mp3"),
        ("doorbell.mp4", lambda: MP4_BYTES, "mp4"),
        ("voicemail.m4a", lambda: M4A_BYTES, "m4a"),
        ("statement.docx", docx_bytes, "docx"),
        ("notes.odt", odt_bytes, "odt"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, make, kind):
    data = make()
    assert sniff(data) == kind
    found, read = upload_check(SimpleUploadedFile(name, data))
    assert found.code == kind and read == data


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("evidence.pdf", png_bytes, "content is a PNG image but its name ends .pdf"),
        ("photo.png", pdf_bytes, "content is a PDF document but its name ends .png"),
        ("notes.txt", lambda: EXE_BYTES, "The file must be a PDF, PNG"),
        ("statement.docx", zip_bytes, "The file must be a PDF, PNG"),
        ("image.jpg", lambda: b"\x00\x01\x02\x03binary", "The file must be a PDF, PNG"),
        ("screenshot", png_bytes, "its name ends .(nothing)"),
    ],
)
def test_wrong_type_behind_a_good_extension_is_refused(name, make, message):
    with pytest.raises(DomainError) as exc:
        upload_check(SimpleUploadedFile(name, make()))
    assert message in str(exc.value)


def test_empty_and_oversized_files_are_refused(settings):
    with pytest.raises(DomainError, match=UPLOAD_EMPTY):
        upload_check(SimpleUploadedFile("empty.txt", b""))
    settings.MAX_UPLOAD_SIZE = 1024
    with pytest.raises(DomainError, match="smaller than 1 KB"):
        upload_check(SimpleUploadedFile("big.txt", b"a" * 1025))


class NamedUpload:
    """An upload whose name Django has not cleaned (a defence in depth check)."""

    def __init__(self, name, data):
        self.name = name
        self.size = len(data)
        self._data = data
        self._pos = 0

    def seek(self, pos):
        self._pos = pos

    def read(self, n=-1):
        return self._data[self._pos :] if n < 0 else self._data[self._pos : self._pos + n]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "..\\..\\boot.txt", ".hidden.txt", "a\x00b.txt", "..txt"]
)
def test_path_traversal_names_are_refused(name):
    with pytest.raises(DomainError, match="file name is not allowed"):
        upload_check(NamedUpload(name, b"hello"))


def test_stored_under_a_random_name_outside_the_web_root_with_its_hash(caseworker, protected_root):
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker))
    data = png_bytes()
    exhibit = exhibit_add(
        incident=incident, upload=SimpleUploadedFile("../x/shot.png", data), by=caseworker
    )
    assert exhibit.sha256 == hashlib.sha256(data).hexdigest()
    assert exhibit.original_name == "shot.png"
    stored = protected_root / "exhibits" / exhibit.stored_name
    assert stored.read_bytes() == data
    assert "shot" not in exhibit.stored_name and len(exhibit.stored_name) == 40
    assert exhibit.reference.endswith("/EX001")


def incident_post(**extra):
    return {
        "occurred_at": (timezone.localtime() - datetime.timedelta(days=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": "Bus station",
        "behaviour": "following",
        "description": "Followed the client from the bus to her front door.",
        "channel": "In person",
        "witnesses": "Neighbour at number 4",
        "feared_violence": "on",
        "impact": "Now gets a taxi home",
        **extra,
    }


def test_wrong_file_on_the_incident_form_keeps_everything_else(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    url = reverse("risk:incident_new", args=[case.pk])
    fake = SimpleUploadedFile("evidence.pdf", png_bytes(), content_type="application/pdf")
    response = http.post(url, incident_post(exhibit_file=fake, exhibit_description="Photo"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "content is a PNG image but its name ends .pdf" in page
    assert "Followed the client from the bus to her front door." in page
    assert 'value="Bus station"' in page and "Neighbour at number 4" in page
    assert 'value="Photo"' in page
    assert "<title>Error:" in page
    assert not Incident.objects.filter(case=case).exists()
    assert not Exhibit.objects.exists()


def test_future_incident_refused_with_a_message(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(caseworker).post(
        reverse("risk:incident_new", args=[case.pk]), incident_post(occurred_at=later)
    )
    assert response.status_code == 200
    assert FUTURE_DATE in response.content.decode()
    assert not Incident.objects.exists()


def test_incident_with_a_good_exhibit(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    data = pdf_bytes()
    response = http.post(
        reverse("risk:incident_new", args=[case.pk]),
        incident_post(exhibit_file=SimpleUploadedFile("messages.pdf", data)),
    )
    assert response.status_code == 302
    page = http.get(response["Location"]).content.decode()
    assert hashlib.sha256(data).hexdigest() in page
    assert "messages.pdf" in page


def test_exhibit_form_refuses_bad_files_and_keeps_the_description(caseworker, as_user):
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker))
    url = reverse("risk:exhibit_new", args=[incident.case_id, incident.pk])
    http = as_user(caseworker)
    response = http.post(
        url, {"file": SimpleUploadedFile("a.txt", EXE_BYTES), "description": "Kept text"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file must be a PDF, PNG" in page and 'value="Kept text"' in page
    response = http.post(url, {"physical_item": "Birthday card"})
    assert HELD_WHERE_REQUIRED in response.content.decode()
    response = http.post(url, {"physical_item": "Birthday card", "held_where": "Office safe"})
    assert response.status_code == 302
    assert Exhibit.objects.get().held_where == "Office safe"
