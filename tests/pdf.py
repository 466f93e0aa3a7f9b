"""Reading a PDF the app made as a reader would: its text layer, pages and metadata.

pypdf is a test-only dependency: checking the bytes ourselves would only check that
reportlab wrote what we asked, not that a PDF reader finds the words.
"""

from io import BytesIO

from pypdf import PdfReader


def pdf_read(content: bytes) -> PdfReader:
    return PdfReader(BytesIO(content))


def pdf_text(content: bytes) -> str:
    """All the text, with runs of white space as one space (lines wrap anywhere)."""
    reader = pdf_read(content)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
