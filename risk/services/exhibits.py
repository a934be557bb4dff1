"""Exhibits: what a file really is (by its content, never its name or the browser's
claimed type), where it is kept, and the one write that attaches an exhibit to an
incident (atomic, with a case timeline event)."""

import contextlib
import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import DomainError
from stalkingservice.history import set_history_reason

from .. import events
from ..models.exhibits import EXHIBITS_FOLDER, Exhibit
from ..models.incidents import Incident

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: frozenset[str]


KINDS = {
    k.code: k
    for k in [
        FileKind("pdf", "PDF document", "application/pdf", frozenset({"pdf"})),
        FileKind("png", "PNG image", "image/png", frozenset({"png"})),
        FileKind("jpeg", "JPEG image", "image/jpeg", frozenset({"jpg", "jpeg"})),
        FileKind("gif", "GIF image", "image/gif", frozenset({"gif"})),
        FileKind("webp", "WebP image", "image/webp", frozenset({"webp"})),
        FileKind(
            "text", "plain text", "text/plain", frozenset({"txt", "text", "log", "csv", "eml"})
        ),
        FileKind("mp3", "MP3 audio", "audio/mpeg", frozenset({"mp3"})),
        FileKind("mp4", "MP4 video", "video/mp4", frozenset({"mp4", "m4v", "mov"})),
        FileKind("m4a", "M4A audio", "audio/mp4", frozenset({"m4a"})),
        FileKind(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset({"docx"}),
        ),
        FileKind(
            "odt",
            "OpenDocument text",
            "application/vnd.oasis.opendocument.text",
            frozenset({"odt"}),
        ),
    ]
}

ACCEPTED_DESCRIPTION = (
    "PDF, PNG, JPEG, GIF, WebP, plain text, MP3, MP4, M4A, Word (.docx) or OpenDocument (.odt)"
)


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        # Not a readable zip: not one of the document types we accept.
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    # A multi-byte character may be cut at the end of the sample.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls == 0


def sniff(data: bytes) -> str | None:
    """The code of the accepted kind the bytes are, or None. `data` is the whole file for
    zip-based documents (the central directory is at the end), else at least the head."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "m4a" if brand in (b"M4A ", b"M4B ") else "mp4"
    if head.startswith(b"ID3") or (len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if _looks_like_text(head):
        return "text"
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def unsafe_name(name: str) -> bool:
    """A name that tries to climb directories, hides itself, or carries control characters."""
    return (
        not name
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def exhibits_root() -> Path:
    return Path(settings.PROTECTED_FILES_ROOT) / EXHIBITS_FOLDER


def store(data: bytes) -> str:
    """Write the bytes under a random name outside the web root; return that name."""
    root = exhibits_root()
    root.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(20)
    (root / name).write_bytes(data)
    return name


def path_for(stored_name: str) -> Path:
    # Stored names are ours (hex); anything else is refused rather than resolved.
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise FileNotFoundError(stored_name)
    return exhibits_root() / stored_name


def discard(stored_name: str) -> None:
    # Already gone is fine: there is nothing to clean up.
    with contextlib.suppress(FileNotFoundError):
        path_for(stored_name).unlink()


# ---- the write ----------------------------------------------------------------------

UPLOAD_EMPTY = "The chosen file is empty"
UPLOAD_TOO_BIG = "The file must be smaller than {limit}"
UPLOAD_BAD_NAME = "The file name is not allowed: rename the file (letters, numbers, dots and dashes) and choose it again"
UPLOAD_WRONG_TYPE = "The file must be a {accepted}"
UPLOAD_ARCHIVE_TOO_BIG = (
    "The file unpacks to more than {limit} or has more than {members} parts inside, which is "
    "more than we accept: save it again without large pictures or attachments, or as a PDF, "
    "and choose it again"
)
UPLOAD_ARCHIVE_UNREADABLE = (
    "The file is damaged and cannot be opened: save it again, or as a PDF, and choose it again"
)
UPLOAD_MISLEADING = (
    "The file's content is a {kind} but its name ends .{extension}: choose the original file "
    "or rename it to match its content"
)
EXHIBIT_NOTHING = "Choose a file or describe the physical item and where it is held"
HELD_WHERE_REQUIRED = "Enter where the physical item is held"


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


ARCHIVE_READ_CHUNK = 64 * 1024


def archive_check(data: bytes) -> None:
    """Refuse a zip-based file (.docx, .odt, any zip) that would unpack to more than
    UPLOAD_ARCHIVE_MAX_SIZE in all or holds more than UPLOAD_ARCHIVE_MAX_MEMBERS parts.

    The sizes the central directory declares are checked first, without unpacking; then
    every part is unpacked in chunks, counting what really comes out and stopping at the
    cap, so a part that lies about its size cannot get further. Nothing unpacked is kept."""
    limit = settings.UPLOAD_ARCHIVE_MAX_SIZE
    max_members = settings.UPLOAD_ARCHIVE_MAX_MEMBERS
    too_big = DomainError(
        UPLOAD_ARCHIVE_TOO_BIG.format(limit=_size_label(limit), members=max_members),
        field="file",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise too_big
            if sum(info.file_size for info in members) > limit:
                raise too_big
            unpacked = 0
            for info in members:
                with archive.open(info) as part:
                    while chunk := part.read(ARCHIVE_READ_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_big
    except DomainError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        # A damaged archive, or one packed with a method we cannot unpack: it cannot be
        # checked, so it is not accepted.
        raise DomainError(UPLOAD_ARCHIVE_UNREADABLE, field="file") from error
    except (OSError, ValueError, RuntimeError) as error:
        # zlib/bz2/lzma errors and encrypted parts surface as these.
        raise DomainError(UPLOAD_ARCHIVE_UNREADABLE, field="file") from error


def upload_check(upload) -> tuple[FileKind, bytes]:
    """Refuse empty, oversized, oddly named and wrongly typed files. The type is decided
    by the content; the name must agree with it. A refusal names the `file` field."""
    name = getattr(upload, "name", "") or ""
    if unsafe_name(name):
        raise DomainError(UPLOAD_BAD_NAME, field="file")
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise DomainError(UPLOAD_TOO_BIG.format(limit=_size_label(limit)), field="file")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data:
        raise DomainError(UPLOAD_EMPTY, field="file")
    if len(data) > limit:
        raise DomainError(UPLOAD_TOO_BIG.format(limit=_size_label(limit)), field="file")
    if data.startswith(b"PK\x03\x04"):
        # Before anything unpacks a part (sniffing reads the "mimetype" part of an .odt).
        archive_check(data)
    code = sniff(data)
    if code is None:
        raise DomainError(UPLOAD_WRONG_TYPE.format(accepted=ACCEPTED_DESCRIPTION), field="file")
    kind = KINDS[code]
    extension = extension_of(name)
    if extension not in kind.extensions:
        raise DomainError(
            UPLOAD_MISLEADING.format(kind=kind.label, extension=extension or "(nothing)"),
            field="file",
        )
    return kind, data


def _next_exhibit_reference(case: Case) -> str:
    Case.objects.select_for_update().filter(pk=case.pk).first()
    count = Exhibit.objects.filter(case=case).count()
    return f"{case.reference}/EX{count + 1:03d}"


@transaction.atomic
def exhibit_add(
    *,
    incident: Incident,
    by,
    upload=None,
    description: str = "",
    physical_item: str = "",
    held_where: str = "",
) -> Exhibit:
    """Attach an exhibit: a file (checked by content, hashed, stored outside the web root
    under a random name) or a note of a physical item and where it is held."""
    if upload is None and not physical_item.strip():
        raise DomainError(EXHIBIT_NOTHING, field="file")
    if physical_item.strip() and not held_where.strip():
        raise DomainError(HELD_WHERE_REQUIRED, field="held_where")
    case = incident.case
    exhibit = Exhibit(
        case=case,
        incident=incident,
        reference=_next_exhibit_reference(case),
        description=description,
        physical_item=physical_item,
        held_where=held_where,
        added_by=by,
    )
    if upload is not None:
        kind, data = upload_check(upload)
        exhibit.original_name = upload.name[:200]
        exhibit.content_type = kind.content_type
        exhibit.size = len(data)
        exhibit.sha256 = sha256_of(data)
        exhibit.stored_name = store(data)
    try:
        return _exhibit_save(exhibit, incident=incident, by=by)
    except BaseException:
        # The row was not written: do not leave an orphan file behind.
        if exhibit.stored_name:
            discard(exhibit.stored_name)
        raise


def _exhibit_save(exhibit: Exhibit, *, incident: Incident, by) -> Exhibit:
    set_history_reason(exhibit, "Exhibit added")
    exhibit.save()
    what = exhibit.original_name or exhibit.physical_item
    case_record_event(
        case=exhibit.case,
        kind=events.EXHIBIT_ADDED,
        by=by,
        summary=f"{exhibit.reference}: {what}",
        data={"exhibit": exhibit.pk, "incident": incident.pk, "sha256": exhibit.sha256},
    )
    return exhibit
