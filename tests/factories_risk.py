"""Factories and real sample files for the risk assessment and incident tests."""

import datetime
import io
import struct
import zipfile
import zlib

import factory
from django.utils import timezone

from risk.models.incidents import Behaviour, Incident
from risk.models.tools import Answer, RiskTool
from risk.services.assessment import assessment_save

from .factories import CaseFactory


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    place = "Outside the client's workplace"
    behaviour = Behaviour.LOITERING
    description = "Suspect waited by the car park gate for an hour."
    recorded_by = factory.LazyAttribute(lambda o: o.case.allocated_to)


def tool(code: str) -> RiskTool:
    return RiskTool.objects.filter(code=code).order_by("-id").first()


def answers_for(tool_obj: RiskTool, yes: int, dont_know: int = 0, unanswered: int = 0):
    """yes answers first, then don't-knows, then no; the last `unanswered` left blank."""
    items = list(tool_obj.items.all())
    result = {}
    for index, item in enumerate(items):
        if index >= len(items) - unanswered:
            continue
        if index < yes:
            answer = Answer.YES
        elif index < yes + dont_know:
            answer = Answer.DONT_KNOW
        else:
            answer = Answer.NO
        result[item.pk] = (answer, f"comment {item.number}")
    return result


def complete_dash(case, by, yes: int, *, assessed_on=None, **kwargs):
    dash = tool("dash")
    return assessment_save(
        case=case,
        tool=dash,
        by=by,
        complete=True,
        assessed_on=assessed_on or timezone.localdate(),
        answers=answers_for(dash, yes),
        **kwargs,
    )


# ---- real sample files -----------------------------------------------------------------


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "Screenshot of messages") -> bytes:
    from stalkingservice.pdf import render_pdf

    return render_pdf(f"<p>{text}</p>", title=text)


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ\x90\x00")
    return out.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
WEBP_BYTES = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
MP3_BYTES = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 32
MP4_BYTES = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 16
M4A_BYTES = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom" + b"\x00" * 16
ODT_BYTES_NAME = "notes.odt"


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()
