"""Write an official document (Decree 30/2020/NĐ-CP layout) as PDF: Django template → WeasyPrint.

Model-free: ``write_pdf(document, path)`` takes the same plain dict as ``docx_writer.write_docx``
and renders ``templates/documents/official.html`` (A4, margins 20/20/30/15 mm, Times New Roman with
metric-compatible fall-backs, page numbers at the top from page 2, table headers repeated).
``first_page_png`` rasterises page 1 with poppler's ``pdftoppm`` for previews and layout tests.
"""

import logging
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string

TEMPLATE = "documents/official.html"

# WeasyPrint logs every layout step at INFO; a worker rendering hundreds of reports needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(document, template=TEMPLATE):
    """The HTML of ``document``; table cells are paired with their column's alignment."""
    appendices = []
    for appendix in document.get("appendices") or []:
        aligns = [column.get("align", "left") for column in appendix["columns"]]
        rows = [{**row, "aligned": list(zip(row["cells"], aligns, strict=True))} for row in appendix["rows"]]
        appendices.append({**appendix, "rows": rows})
    return render_to_string(template, {"doc": {**document, "appendices": appendices}})


def write_pdf(document, path, template=TEMPLATE):
    """Write ``document`` to ``path`` (a file name or a binary file object)."""
    from weasyprint import (
        HTML,  # imported lazily: loading pango/cairo costs time in the web process
    )

    HTML(string=render_html(document, template), base_url=str(Path(__file__).parent)).write_pdf(path)


def first_page_png(pdf_path, png_path, *, dpi=60):
    """Rasterise page 1 of ``pdf_path`` to ``png_path`` with ``pdftoppm`` (poppler-utils)."""
    png_path = Path(png_path)
    with tempfile.TemporaryDirectory(dir=png_path.parent) as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), "-png", "-singlefile", str(pdf_path), str(stem)],
            check=True, capture_output=True, timeout=60,
        )
        Path(f"{stem}.png").replace(png_path)
    return png_path
