"""Reading back what a PDF says about its own accessibility, from the bytes: the tests of
every PDF the product makes use it (no PDF library is installed, and none is needed)."""

import re
import subprocess
import zlib
from pathlib import Path

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _readable(data: bytes) -> str:
    """The file with its compressed streams inflated: WeasyPrint keeps the catalog and
    the structure tree in compressed object streams."""
    parts = [data]
    for match in STREAM.finditer(data):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:  # not a Flate stream (an image, a font): nothing to read in it
            continue
    return b"\n".join(parts).decode("latin-1")


def accessibility_facts(data: bytes) -> dict:
    """A structure tree, the "marked" flag, the language, the title and the viewer told
    to show the title: what PDF/UA needs of the document as a whole."""
    text = _readable(data)
    lang = re.search(r"/Lang\s*\(([^)]*)\)", text)
    return {
        "is_pdf": data.startswith(b"%PDF-"),
        "tagged": "/StructTreeRoot" in text,
        "marked": re.search(r"/MarkInfo\s*<<\s*/Marked\s+true\s*>>", text) is not None,
        "lang": lang.group(1) if lang else "",
        "displays_title": re.search(r"/DisplayDocTitle\s+true", text) is not None,
        "pdfua": "pdfuaid:part" in text,
    }


def pdfinfo(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The words of a PDF as pdftotext reads them (as a screen reader would), one space
    between each."""
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def assert_accessible_pdf(data: bytes, tmp_path: Path, *, title: str = "") -> None:
    """Tagged PDF/UA with a structure tree, marked content, en-GB and a shown title."""
    facts = accessibility_facts(data)
    assert facts == {
        "is_pdf": True,
        "tagged": True,
        "marked": True,
        "lang": "en-GB",
        "displays_title": True,
        "pdfua": True,
    }, facts
    info = pdfinfo(data, tmp_path)
    assert info["Tagged"] == "yes"
    assert info.get("Title"), "the PDF has no title"
    if title:
        assert title in info["Title"]
