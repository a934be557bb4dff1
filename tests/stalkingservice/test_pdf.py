"""The one PDF maker: every file is tagged PDF/UA-1 with a title and a language, whatever
the HTML it is given forgot."""

from pathlib import Path

import pytest

from stalkingservice.pdf import TITLE_REQUIRED, render_pdf
from tests.pdfs import accessibility_facts, assert_accessible_pdf, pdf_text, pdfinfo


def test_a_bare_fragment_still_makes_a_tagged_pdf_with_title_and_language(tmp_path):
    data = render_pdf("<h1>Plan</h1><p>Keep the doors locked</p>", title="My plan")
    assert_accessible_pdf(data, tmp_path, title="My plan")
    assert "Keep the doors locked" in pdf_text(data, tmp_path)


def test_the_title_given_wins_over_the_html_title(tmp_path):
    html = "<html><head><title>Old</title></head><body><p>x</p></body></html>"
    assert pdfinfo(render_pdf(html, title="New title"), tmp_path)["Title"] == "New title"


def test_another_language_can_be_named():
    data = render_pdf("<p>Bore da</p>", title="Cynllun", lang="cy")
    assert accessibility_facts(data)["lang"] == "cy"


@pytest.mark.parametrize("title", ["", "   "])
def test_a_pdf_without_a_title_is_refused(title):
    with pytest.raises(ValueError, match=TITLE_REQUIRED):
        render_pdf("<p>x</p>", title=title)


def test_an_untagged_weasyprint_pdf_is_told_apart():
    """The check itself can fail: a plain WeasyPrint file has none of it."""
    from weasyprint import HTML

    facts = accessibility_facts(HTML(string="<p>x</p>").write_pdf())
    assert not facts["tagged"] and not facts["marked"] and not facts["lang"]


def test_no_code_but_the_kernel_helper_makes_a_pdf_with_weasyprint():
    """A new PDF cannot skip the tagging: only stalkingservice/pdf.py calls WeasyPrint."""
    root = Path(__file__).resolve().parents[2]
    packages = [p for p in root.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
    callers = sorted(
        str(path.relative_to(root))
        for package in packages
        for path in package.rglob("*.py")
        if "weasyprint" in (text := path.read_text()) or "write_pdf(" in text
    )
    assert callers == ["stalkingservice/pdf.py"]
