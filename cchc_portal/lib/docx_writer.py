"""Write an official document (Decree 30/2020/NĐ-CP layout) as DOCX with python-docx.

Model-free: ``write_docx(document, path)`` takes the plain dict every document kind builds (see
``reports.documents.context``) and writes it. The PDF writer (``pdf_writer``) takes the same dict,
so both formats always carry the same text and figures.

The dict::

    {"meta": {"title": …, "author": …},
     "header": {"issuer": [lines], "number": "Số: …", "summary": [lines],
                "motto": [national name, motto], "place_date": "…, ngày … tháng … năm …"},
     "title": "BÁO CÁO" or "", "subject": [lines],
     "addressee": {"label": "Kính gửi:", "lines": [...]} or None,
     "body": [{"style": "heading1" | "heading2" | "para" | "plain", "text": …}],
     "recipients": ["- …;", …, "- Lưu: VT."],
     "signature": {"lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": …},
     "appendices": [{"label": …, "title": [lines], "note": …, "landscape": bool,
                     "columns": [{"title": …, "width": mm, "align": "left|center|right"}],
                     "rows": [{"cells": [...], "bold": bool, "italic": bool}]}]}
"""

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def write_docx(document, path):
    """Write ``document`` (the plain dict above) to ``path`` (a file name or a binary file object)."""
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    _page_setup(section, landscape=False)
    _page_number_header(section)

    _header_table(doc, document["header"])
    if document.get("title"):
        _para(doc, document["title"], bold=True, align="center", size=BODY_PT, space_before=12, space_after=0)
    for index, line in enumerate(document.get("subject") or []):
        _para(doc, line, bold=True, align="center", space_after=6 if index == len(document["subject"]) - 1 else 0,
              space_before=0 if document.get("title") else 6)
    addressee = document.get("addressee")
    if addressee:
        _addressee(doc, addressee)
    for block in document.get("body") or []:
        _block(doc, block)
    _closing_table(doc, document.get("recipients") or [], document.get("signature"))

    for appendix in document.get("appendices") or []:
        _appendix(doc, appendix)

    meta = document.get("meta") or {}
    props = doc.core_properties
    props.title = meta.get("title", "")
    props.author = meta.get("author", "")
    props.language = "vi-VN"
    doc.save(path)


# --- page ------------------------------------------------------------------------------------------

def _setup_styles(doc):
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1


def _page_setup(section, *, landscape):
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Mm(10)


def _page_number_header(section):
    """Page numbers centred at the top from page 2: a different (empty) first-page header."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for tag, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
            run._r.append(element)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = "2"
            run._r.append(placeholder)


# --- blocks ----------------------------------------------------------------------------------------

def _para(container, text, *, bold=False, italic=False, size=None, align="justify", indent=False,
          space_before=None, space_after=None, keep_with_next=False):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Mm(10)
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def _rule(container, width_mm, column_mm):
    """A short horizontal rule centred in a column: an empty paragraph with a bottom border."""
    side = max(0, (column_mm - width_mm) / 2)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(2)
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    return paragraph


def _cell_text(cell, text, **kwargs):
    """Write into a cell: the first line reuses the cell's empty paragraph."""
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 \
        and not cell.paragraphs[0].runs else cell.add_paragraph()
    paragraph.alignment = ALIGN[kwargs.pop("align", "center")]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(kwargs.pop("space_after", 0))
    fmt.line_spacing = 1.0
    size = kwargs.pop("size", 13)
    if text:
        run = paragraph.add_run(text)
        run.bold = kwargs.pop("bold", False)
        run.italic = kwargs.pop("italic", False)
        run.font.size = Pt(size)
    return paragraph


def _borderless(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths_mm):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _header_table(doc, header):
    left_mm, right_mm = 62, 103
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(table)
    _widths(table, (left_mm, right_mm))
    left, right = table.rows[0].cells
    for line in header.get("issuer") or []:
        _cell_text(left, line, bold=line == header["issuer"][-1] or len(header["issuer"]) == 1, size=13)
    _rule(left, 25, left_mm)
    if header.get("number"):
        _cell_text(left, header["number"], size=13, space_after=0)
    for line in header.get("summary") or []:
        _cell_text(left, line, size=12)
    motto = header.get("motto") or []
    for index, line in enumerate(motto):
        _cell_text(right, line, bold=True, size=13 if index == 0 else 14)
    if motto:
        _rule(right, 60, right_mm)
    if header.get("place_date"):
        _cell_text(right, header["place_date"], italic=True, size=14)


def _addressee(doc, addressee):
    lines = addressee.get("lines") or []
    if len(lines) <= 1:
        _para(doc, f"{addressee['label']} {lines[0] if lines else ''}".strip(), align="center",
              space_before=6, space_after=6)
        return
    _para(doc, addressee["label"], align="center", space_before=6, space_after=0)
    for line in lines:
        paragraph = _para(doc, line, align="left", space_after=0)
        paragraph.paragraph_format.left_indent = Mm(45)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(6)


def _block(doc, block):
    style, text = block.get("style", "para"), block.get("text", "")
    if style == "heading1":
        _para(doc, text, bold=True, indent=True, space_before=6, keep_with_next=True)
    elif style == "heading2":
        _para(doc, text, bold=True, indent=True, keep_with_next=True)
    elif style == "italic":
        _para(doc, text, italic=True, indent=True)
    else:
        _para(doc, text, indent=True)


def _closing_table(doc, recipients, signature):
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, (80, 85))
    left, right = table.rows[0].cells
    if recipients:
        _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
        for line in recipients:
            _cell_text(left, line, size=11, align="left")
    if signature:
        for line in signature.get("lines") or []:
            _cell_text(right, line, bold=True, size=14)
        for _ in range(4):
            _cell_text(right, "", size=14).add_run(" ")
        if signature.get("name"):
            _cell_text(right, signature["name"], bold=True, size=14)


def _appendix(doc, appendix):
    landscape = bool(appendix.get("landscape"))
    previous_landscape = doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    if landscape != previous_landscape:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=landscape)
        first = _para(doc, appendix.get("label", ""), bold=True, align="center", space_after=0)
    else:
        first = _para(doc, "", align="center", space_after=0)
        first.add_run().add_break(WD_BREAK.PAGE)
        run = first.add_run(appendix.get("label", ""))
        run.bold = True
    first.paragraph_format.keep_with_next = True
    for line in appendix.get("title") or []:
        _para(doc, line, bold=True, align="center", space_after=0, keep_with_next=True)
    if appendix.get("note"):
        _para(doc, appendix["note"], italic=True, align="center", space_after=6, keep_with_next=True)
    columns = appendix["columns"]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, column in zip(header_row.cells, columns, strict=True):
        _cell_text(cell, column["title"], bold=True, size=12)
    size = appendix.get("font_size", 12)
    for row in appendix.get("rows") or []:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row["cells"], columns, strict=True):
            _cell_text(cell, "" if value is None else str(value), bold=row.get("bold", False),
                       italic=row.get("italic", False), size=size, align=column.get("align", "left"))
    _widths(table, [c["width"] for c in columns])
