"""Exhibit files: what a file really is (by its content, never its name or the browser's
claimed type), and where it is kept. Stdlib only."""

import contextlib
import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

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
    return Path(settings.PROTECTED_FILES_ROOT) / "exhibits"


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
