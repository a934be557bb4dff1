"""Uploads cannot exhaust the server (issue 13 point 10): zip-based files (.docx, .odt) are
unpacked only up to a cap on total size and on the number of parts; a 1 KB file that
unpacks to 1 GB is refused with a message beside the file field."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risk.models.exhibits import Exhibit
from risk.services.exhibits import UPLOAD_ARCHIVE_UNREADABLE, upload_check
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_risk import IncidentFactory, docx_bytes, odt_bytes

pytestmark = pytest.mark.django_db

GB = 1024**3
REFUSED = "The file unpacks to more than 100 MB or has more than 1000 parts inside"


@pytest.fixture(autouse=True)
def protected_root(settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path / "protected"
    return settings.PROTECTED_FILES_ROOT


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx of about 1 KB whose document part unpacks to 1 GB of zeros. Built by
    streaming zeros through zipfile (bzip2 packs a run of zeros tightly): nothing of that
    size is ever held in memory or written to disk."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_BZIP2, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(1024):
                part.write(zeros)
    data = out.getvalue()
    assert len(data) < 2048
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > GB
    return data


def test_a_1kb_file_that_unpacks_to_1gb_is_refused(zip_bomb):
    with pytest.raises(DomainError) as refusal:
        upload_check(SimpleUploadedFile("statement.docx", zip_bomb))
    assert REFUSED in str(refusal.value)
    assert refusal.value.field == "file"


def test_the_exhibit_form_says_why_the_bomb_was_refused(zip_bomb, caseworker, as_user):
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker))
    url = reverse("risk:exhibit_new", args=[incident.case_id, incident.pk])
    response = as_user(caseworker).post(
        url,
        {"file": SimpleUploadedFile("statement.docx", zip_bomb), "description": "His letter"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page
    assert "<title>Error:" in page and 'value="His letter"' in page
    assert not Exhibit.objects.exists()


def lie_about_size(data: bytes, declared: int) -> bytes:
    """Rewrite every part's uncompressed size in the central directory (and the local
    headers) to `declared`: what a hand-made bomb can claim."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = out.find(signature)
        while at != -1:
            out[at + offset : at + offset + 4] = struct.pack("<I", declared)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_the_declared_size_in_the_central_directory_is_checked_before_unpacking():
    claims_4gb = lie_about_size(docx_bytes(), 0xFFFFFFFE)
    with pytest.raises(DomainError, match=REFUSED):
        upload_check(SimpleUploadedFile("statement.docx", claims_4gb))


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(settings):
    """The sizes are counted as the parts are unpacked, chunk by chunk, not only read from
    the directory, so understating them does not get a bomb through."""
    settings.UPLOAD_ARCHIVE_MAX_SIZE = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", bytes(4 * 1024 * 1024))
    understated = lie_about_size(out.getvalue(), 10)
    with pytest.raises(DomainError) as refusal:
        upload_check(SimpleUploadedFile("statement.docx", understated))
    assert str(refusal.value).startswith(("The file unpacks to more than 1 MB", "The file is"))
    assert refusal.value.field == "file"


def test_too_many_parts_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for n in range(1000):
            archive.writestr(f"Pictures/{n}.png", b"")
    with pytest.raises(DomainError, match=REFUSED):
        upload_check(SimpleUploadedFile("notes.odt", out.getvalue()))


def test_the_caps_are_settings(settings):
    settings.UPLOAD_ARCHIVE_MAX_MEMBERS = 1
    with pytest.raises(DomainError, match="more than 1 parts"):
        upload_check(SimpleUploadedFile("statement.docx", docx_bytes()))
    settings.UPLOAD_ARCHIVE_MAX_MEMBERS = 1000
    settings.UPLOAD_ARCHIVE_MAX_SIZE = 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>" * 100)
    with pytest.raises(DomainError, match="unpacks to more than 1 KB"):
        upload_check(SimpleUploadedFile("notes.odt", out.getvalue()))


def test_ordinary_documents_still_pass():
    assert upload_check(SimpleUploadedFile("statement.docx", docx_bytes()))[0].code == "docx"
    assert upload_check(SimpleUploadedFile("notes.odt", odt_bytes()))[0].code == "odt"


def test_a_damaged_archive_is_refused_with_a_message():
    damaged = docx_bytes()[:-30]
    with pytest.raises(DomainError, match=UPLOAD_ARCHIVE_UNREADABLE.split(":")[0]):
        upload_check(SimpleUploadedFile("statement.docx", damaged))
