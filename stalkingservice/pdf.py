"""The one way the product makes a PDF: tagged and accessible (PDF/UA-1), with a title and
a language, whoever it is for (a client's safety plan, a police chronology, a subject
access bundle, the Commissioner's return).

A PDF/UA file carries its structure (headings, lists, tables, reading order) so a screen
reader can read it, its language so the reader speaks it in the right voice, and a title
the viewer shows instead of a file name. Every caller goes through `render_pdf`, so no
PDF can be made without them (tests/pdfs.py reads them back from the bytes).

There is no fallback to an untagged PDF: if WeasyPrint cannot write PDF/UA, that is a
broken deployment, and a silent untagged file would hide it from everyone but the
person with a screen reader.
"""

from django.conf import settings

DEFAULT_LANG = "en-GB"
PDF_VARIANT = "pdf/ua-1"
TITLE_REQUIRED = "A PDF needs a title: screen readers announce it and viewers show it."


def render_pdf(
    html: str, *, title: str, base_url: str | None = None, lang: str = DEFAULT_LANG
) -> bytes:
    """Render an HTML document to a tagged PDF/UA-1 file.

    `title` and `lang` are written into the PDF whatever the HTML says, so a template
    that forgets its <title> or lang attribute still makes an accessible file. Relative
    links and images resolve against `base_url` (the project directory if not given).
    """
    from weasyprint import HTML  # heavy: loaded only by the code paths that make PDFs

    title = " ".join((title or "").split())
    if not title:
        raise ValueError(TITLE_REQUIRED)
    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).render(
        pdf_variant=PDF_VARIANT
    )
    document.metadata.title = title
    document.metadata.lang = lang
    return document.write_pdf(pdf_variant=PDF_VARIANT)
