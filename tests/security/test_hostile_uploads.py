"""Hostile uploads (issue 7, part 7). Every file field the product offers is found the
same way as every form (tests/security/crawl.py) and sent files a person should not be
able to slip in: the wrong type behind a right extension, an empty file, one over the
configured limit, names that climb out of the folder or carry control characters. Each
is refused with a message beside the field, or stored under a generated name inside the
protected files root, never a server error; what is stored is served only as a download.
The multipart bodies are written by hand, so the names reach the server exactly as a
hostile client would send them (Django's test client would strip the folders first)."""

import copy
import html
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from risk.models.exhibits import Exhibit
from risk.services.exhibits import (
    ACCEPTED_DESCRIPTION,
    UPLOAD_MISLEADING,
    UPLOAD_TOO_BIG,
    UPLOAD_WRONG_TYPE,
    path_for,
    unsafe_name,
)
from stalkingservice.once import SUBMISSION_FIELD
from tests.factories_risk import EXE_BYTES, png_bytes

from .crawl import Form
from .hostile import explored_world, outcome_problem, refused_fields, short

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hostile_uploads")]


def file_fields(form: Form) -> list[str]:
    return [f.name for f in form.fields.values() if f.kind == "file"]


@pytest.fixture(scope="module")
def protected_root(tmp_path_factory):
    return tmp_path_factory.mktemp("uploads") / "protected"


@pytest.fixture(scope="module")
def explored(django_db_setup, django_db_blocker, protected_root):
    with explored_world(
        django_db_blocker, protected_root, calibrating=lambda f: bool(file_fields(f))
    ) as world:
        yield world


@pytest.fixture
def uploads(explored):
    """(form, file field) for every file field found."""
    found = [(form, name) for form in explored.forms for name in file_fields(form)]
    assert found, "the crawl found no file fields"
    return found


# ---- sending files exactly as a client wrote them -------------------------------------------


def multipart(data: dict, field: str, filename: bytes, content: bytes, content_type: bytes):
    """A multipart/form-data body with the file's name given byte for byte."""
    boundary = f"hostile{uuid.uuid4().hex}".encode()
    parts = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                b'Content-Disposition: form-data; name="%s"\r\n\r\n%s'
                % (name.encode(), str(item).encode())
            )
    parts.append(
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: %s\r\n\r\n%s" % (field.encode(), filename, content_type, content)
    )
    body = b"".join(b"--%s\r\n%s\r\n" % (boundary, part) for part in parts)
    body += b"--%s--\r\n" % boundary
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload(explored, form: Form, field: str, filename, content: bytes, *, check=None):
    """Post the form, everything else filled in sensibly, with this file. Runs `check`
    (given the response) before the savepoint is rolled back. Returns (response, problem)."""
    name = filename if isinstance(filename, bytes) else filename.encode()
    data = {k: v for k, v in explored.baseline(form).items() if k != field}
    if SUBMISSION_FIELD in data:
        # Each send is a new submission (a form's one-time token, stalkingservice.once, is
        # spent by a save even when the test rolls the save back).
        data[SUBMISSION_FIELD] = uuid.uuid4().hex
    body, content_type = multipart(data, field, name, content, b"application/octet-stream")
    http = explored.http(form)
    cookies = copy.deepcopy(http.cookies)  # messages of a rolled-back save go with it
    try:
        with transaction.atomic():
            response = http.post(form.action, body, content_type=content_type)
            if check is not None and outcome_problem(response, None) is None:
                check(response)
            transaction.set_rollback(True)
    except AssertionError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported as the server error it is
        return None, outcome_problem(None, exc)
    finally:
        http.cookies = cookies
    return response, outcome_problem(response, None)


def page_text(response) -> str:
    return html.unescape(response.content.decode(errors="replace"))


# ---- the file fields ---------------------------------------------------------------------------


def test_every_file_field_is_found_and_its_form_can_send_files(explored, uploads):
    found = {(form.url_name, name) for form, name in uploads}
    assert {("risk:incident_new", "exhibit_file"), ("risk:exhibit_new", "file")} <= found
    for form, name in uploads:
        assert form.enctype == "multipart/form-data", f"{form.describe()} drops {name}"


def test_a_good_file_is_stored_under_a_generated_name_inside_the_root(
    explored, uploads, protected_root
):
    """The control: a real PNG through every file field is kept, so the refusals below
    are refusals of the file and not of the rest of the form."""
    for form, name in uploads:
        before = files_under(protected_root)

        def stored(response, form=form):
            assert response.status_code == 302, f"{form.describe()}: {response.status_code}"
            exhibit = Exhibit.objects.latest("pk")
            assert exhibit.original_name == "screenshot.png" and exhibit.stored_name
            assert_stored_safely(exhibit, protected_root)

        response, problem = upload(
            explored, form, name, "screenshot.png", png_bytes(), check=stored
        )
        assert problem is None, f"{form.describe()}: {problem}"
        assert len(files_under(protected_root) - before) == 1


def assert_stored_safely(exhibit, root: Path):
    assert len(exhibit.stored_name) == 40 and set(exhibit.stored_name) <= set("0123456789abcdef")
    path = path_for(exhibit.stored_name).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(root).resolve())
    name = exhibit.original_name
    assert not unsafe_name(name), f"kept the name {name!r}"


# ---- refused with a message --------------------------------------------------------------------

HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def misleading(kind: str, extension: str) -> str:
    return UPLOAD_MISLEADING.format(kind=kind, extension=extension)


WRONG_TYPE = UPLOAD_WRONG_TYPE.format(accepted=ACCEPTED_DESCRIPTION)

REFUSED = [
    # (what, file name, content, the message the page shows)
    ("a web page behind .png", "screenshot.png", HTML_PAGE, misleading("plain text", "png")),
    ("a web page behind .pdf", "statement.pdf", HTML_PAGE, misleading("plain text", "pdf")),
    ("an SVG with script behind .jpg", "photo.jpg", SVG, misleading("plain text", "jpg")),
    ("a program behind .pdf", "statement.pdf", EXE_BYTES, WRONG_TYPE),
    ("a program behind .png", "photo.png", EXE_BYTES, WRONG_TYPE),
    ("a PDF behind .png", "photo.png", MINIMAL_PDF, misleading("PDF document", "png")),
    ("an empty file", "empty.pdf", b"", "The submitted file is empty."),
]


@pytest.mark.parametrize(("what", "filename", "content", "message"), REFUSED, ids=lambda v: v)
def test_a_file_that_is_not_what_it_says_is_refused_with_a_message(
    explored, uploads, protected_root, what, filename, content, message
):
    for form, name in uploads:
        before = files_under(protected_root)
        rows = Exhibit.objects.count()
        response, problem = upload(explored, form, name, filename, content)
        assert problem is None, f"{form.describe()} with {what}: {problem}"
        assert response.status_code == 200, f"{form.describe()} accepted {what}"
        assert message in page_text(response), f"{form.describe()} with {what}: no message"
        assert files_under(protected_root) == before, f"{form.describe()} kept {what} on disk"
        assert Exhibit.objects.count() == rows


def test_a_file_over_the_configured_limit_is_refused_with_a_message(
    explored, uploads, protected_root, settings
):
    settings.MAX_UPLOAD_SIZE = 4096
    too_big = png_bytes() + b"\x00" * 4096
    message = UPLOAD_TOO_BIG.format(limit="4 KB")
    for form, name in uploads:
        before = files_under(protected_root)
        response, problem = upload(explored, form, name, "large.png", too_big)
        assert problem is None, f"{form.describe()}: {problem}"
        assert response.status_code == 200
        assert message in page_text(response), form.describe()
        assert files_under(protected_root) == before


def test_the_limit_is_the_configured_one():
    assert settings.MAX_UPLOAD_SIZE == 20 * 1024 * 1024  # README: MAX_UPLOAD_SIZE, 20 MB


# ---- names that climb out, hide, or carry control characters -----------------------------------

HOSTILE_NAMES = [
    b"../../etc/passwd.pdf",
    b"..\\..\\x.pdf",
    b"/etc/cron.d/x.pdf",
    b"&#46;&#46;&#47;&#46;&#46;&#47;x.pdf",
    b"a\x00b.pdf",
    b"evil\nname.pdf",
    b"evil\r\nContent-Type: text/html\r\n\r\nx.pdf",
    b"\xe2\x80\xaefdp.exe.pdf",
    b"..",
    b".pdf",
    b"x" * 300 + b".pdf",
]


@pytest.mark.parametrize("filename", HOSTILE_NAMES, ids=short)
def test_a_hostile_file_name_is_refused_or_stored_under_a_generated_name(
    explored, uploads, protected_root, filename
):
    outside = protected_root.parent
    for form, name in uploads:
        before_inside = files_under(protected_root)
        before_outside = files_under(outside) - before_inside

        def safe_if_stored(response, form=form):
            latest = Exhibit.objects.latest("pk")
            # Saved with a file (a form may be saved without one when a name is dropped).
            if response.status_code == 302 and latest.stored_name:
                assert_stored_safely(latest, protected_root)

        response, problem = upload(
            explored, form, name, filename, MINIMAL_PDF, check=safe_if_stored
        )
        assert problem is None, f"{form.describe()} with the name {filename!r}: {problem}"
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 200:
            # Refused: the file field is marked and the summary at the top links to it.
            assert name in refused_fields(response, form), (
                f"{form.describe()} with the name {filename!r}: no message beside {name}"
            )
            assert f'href="#id_{name}"' in response.content.decode()
        assert files_under(outside) - files_under(protected_root) == before_outside
        created = files_under(protected_root) - before_inside
        assert all(p.parent.name == "exhibits" for p in created), created


def test_a_file_field_sent_as_plain_text_is_not_a_file(explored, uploads, protected_root):
    for form, name in uploads:
        before = files_under(protected_root)
        http = explored.http(form)
        data = {**explored.baseline(form), name: "../../etc/passwd"}
        with transaction.atomic():
            response = http.post(form.action, data)
            transaction.set_rollback(True)
        assert outcome_problem(response, None) is None, form.describe()
        assert files_under(protected_root) == before


# ---- what is stored is only ever a download ------------------------------------------------------


def test_a_stored_file_and_its_name_are_never_served_as_a_page(explored, uploads, protected_root):
    """A web page saved as a .txt is plain text, so it is kept; its download is an
    attachment of type text/plain that the browser may not sniff, and a name made of
    markup is shown as text on the incident page."""
    markup_name = "<img src=x onerror=alert(1)>.txt"
    for form, name in uploads:

        def served_safely(response, form=form):
            assert response.status_code == 302, form.describe()
            exhibit = Exhibit.objects.latest("pk")
            assert_stored_safely(exhibit, protected_root)
            http = explored.http(form)
            page = http.get(
                reverse("risk:incident", args=[exhibit.case_id, exhibit.incident_id])
            ).content.decode()
            assert markup_name not in page
            assert html.escape(markup_name, quote=False) in page
            download = http.get(
                reverse("risk:exhibit_download", args=[exhibit.case_id, exhibit.pk])
            )
            assert download.status_code == 200
            assert download["Content-Type"].startswith("text/plain")
            assert download["Content-Disposition"].startswith("attachment")
            assert "\n" not in download["Content-Disposition"]
            assert download["X-Content-Type-Options"] == "nosniff"
            assert b"".join(download.streaming_content) == HTML_PAGE

        response, problem = upload(
            explored, form, name, markup_name, HTML_PAGE, check=served_safely
        )
        assert problem is None, f"{form.describe()}: {problem}"
