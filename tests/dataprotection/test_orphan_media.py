"""`manage.py orphan_media [--delete]`: files under MEDIA_ROOT that no row names (issue
13 point 2) are listed, and deleted only when asked; files rows name, and files too new
to judge (an upload whose row is not committed yet), are left alone."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from risk.services.exhibits import exhibit_add, path_for
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory
from tests.factories_risk import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTECTED_FILES_ROOT = settings.MEDIA_ROOT
    (settings.MEDIA_ROOT / "exhibits").mkdir(parents=True)
    return settings.MEDIA_ROOT


def _aged(path, hours=2):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("orphan_media", *args, stdout=out)
    return out.getvalue()


def test_lists_and_deletes_only_files_no_row_names(media, caseworker):
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker))
    exhibit = exhibit_add(
        incident=incident,
        upload=SimpleUploadedFile("statement.txt", b"What happened on Tuesday\n"),
        by=caseworker,
    )
    kept = _aged(path_for(exhibit.stored_name))
    # Left behind: an exhibit file whose row was emptied, and a stray file at the top.
    lost = media / "exhibits" / ("ab" * 20)
    lost.write_bytes(b"Statement of a client since anonymised")
    _aged(lost)
    stray = media / "stray.pdf"
    stray.write_bytes(b"%PDF-1.7")
    _aged(stray)
    fresh = media / "exhibits" / ("cd" * 20)  # an upload being saved right now
    fresh.write_bytes(b"in flight")

    listing = run()
    assert str(lost) in listing and str(stray) in listing
    assert str(kept) not in listing and str(fresh) not in listing
    assert "Found 2 files no record refers to; run with --delete" in listing
    assert lost.exists() and stray.exists()  # listing deletes nothing
    assert str(fresh) in run("--min-age-minutes", "0")

    done = run("--delete")
    assert "Deleted 2 files no record refers to." in done
    assert not lost.exists() and not stray.exists()
    assert kept.read_bytes() == b"What happened on Tuesday\n" and fresh.exists()
    audit = AuditEvent.objects.get(page="orphan_media")
    assert audit.action == AuditEvent.Action.RETENTION
    assert audit.detail == "Deleted 2 files no record referred to"  # no file names

    assert "Found 0 files no record refers to." in run()


def test_a_file_only_history_names_is_not_an_orphan(media, caseworker):
    """The row was changed since (its file name emptied by hand); its history still names
    the file, so it is found, reviewed and erased with the client, not by this command."""
    incident = IncidentFactory(case=CaseFactory(allocated_to=caseworker))
    exhibit = exhibit_add(
        incident=incident,
        upload=SimpleUploadedFile("photo.txt", b"Car outside\n"),
        by=caseworker,
    )
    path = _aged(path_for(exhibit.stored_name))
    type(exhibit).objects.filter(pk=exhibit.pk).update(stored_name="")
    assert str(path) not in run("--delete")
    assert path.exists()
