"""Open the produced files the way a reader would: python-docx for DOCX, pdftotext for PDF."""

import re
import subprocess

import docx


def docx_text(path):
    """All text of a DOCX: body paragraphs, tables (header table, closing, appendices), headers."""
    document = docx.Document(path if hasattr(path, "read") else str(path))
    chunks = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                chunks.extend(p.text for p in cell.paragraphs)
    return "\n".join(chunks)


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def squash(text):
    """Whitespace collapsed (pdftotext breaks lines and pads columns)."""
    return re.sub(r"\s+", " ", text)


def pdf_pages(path):
    return pdf_text(path).split("\f")
