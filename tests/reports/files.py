"""Downloaded files opened as a person opens them: a Word document and its lines, a workbook."""

import io

from docx import Document
from openpyxl import load_workbook


def docx(content: bytes):
    return Document(io.BytesIO(content))


def lines_of(document) -> list[str]:
    """The document's paragraphs that show text, in order."""
    return [p.text for p in document.paragraphs if p.text.strip()]


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))
