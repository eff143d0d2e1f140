"""What the statistics appendix writes into the core's documents (registered in
``IndicatorsConfig.ready()``): the Phụ lục 01b table of a commune's report, first among the
appendices, and for a district or province the same table summed over the filed communes (count
indicators only: a choice, a percentage or a ratio is not summed).

Reads the plain ``document_context`` of the "appendix" part and returns
``reports.documents.blocks.Contribution``; the core lays it into the DOCX and the PDF alike.
"""

from reports.documents import blocks
from reports.documents.layout import n

ORDER = 10  # Phụ lục 01b comes before the core's tasks appendix
LABEL = "Phụ lục 01b"


def appendix_table(rows, unit_upper, note, label=LABEL):
    """The 01b table in the writers' appendix shape; None without rows."""
    if not rows:
        return None
    return {
        "label": label,
        "title": ["THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC",
                  f"CẢI CÁCH HÀNH CHÍNH TẠI {unit_upper}"],
        "note": note,
        "columns": [
            {"title": "STT", "width": 15, "align": "center"},
            {"title": "Chỉ tiêu thống kê", "width": 80, "align": "left"},
            {"title": "Đơn vị tính", "width": 30, "align": "center"},
            {"title": "Số liệu", "width": 25, "align": "center"},
            {"title": "Ghi chú", "width": 15, "align": "left"},
        ],
        "rows": [
            {"cells": [r.get("code", ""), r.get("name", ""), r.get("unit", ""), r.get("value", ""), ""],
             "bold": bool(r.get("is_group")) and (r.get("depth") or 0) <= 1,
             "italic": bool(r.get("is_group")) and (r.get("depth") or 0) > 1}
            for r in rows
        ],
    }


def report_block(contexts, info):
    table = appendix_table((contexts.get("appendix") or {}).get("rows") or [], info.unit_upper, info.note)
    return blocks.Contribution(appendices=[table]) if table else None


def is_count_row(row):
    """A count indicator (an int whose unit is no choice legend "… = 1" and no percentage)."""
    raw = row.get("raw")
    unit = row.get("unit") or ""
    return isinstance(raw, int) and not isinstance(raw, bool) and "=" not in unit and "%" not in unit


def summed_rows(communes):
    """The communes' rows in first-seen order, count indicators summed, other values left blank."""
    skeleton, sums = [], {}
    for commune in communes:
        for row in (commune.contexts.get("appendix") or {}).get("rows") or []:
            if row.get("code") not in sums:
                sums[row["code"]] = None
                skeleton.append(row)
            if is_count_row(row):
                sums[row["code"]] = (sums[row["code"]] or 0) + row["raw"]
    return [{**row, "value": n(sums[row["code"]]) if sums[row["code"]] is not None else ""} for row in skeleton]


def consolidated_block(communes, info):
    table = appendix_table(summed_rows(communes), info.communes_upper, info.note, label=blocks.NUMBERED)
    return blocks.Contribution(appendices=[table]) if table else None


def register_blocks():
    blocks.register(blocks.DocumentBlock(key="statistics_appendix", order=ORDER, report=report_block,
                                         consolidated=consolidated_block))
