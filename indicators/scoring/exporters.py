"""Excel workbooks of the scoring (openpyxl write-only mode; the query count does not grow with rows).

* ``ranking_workbook(scope_unit, year, out)`` — "Xếp hạng", one sheet per field with the leaf
  scores, and "Điểm bị trừ" (every deducted leaf with the council's comment and remediation);
* ``indicator_matrix_workbook(scope_unit, period, out)`` — communes × statistics-appendix codes of a
  period, through the catalogue's selectors (imported lazily).

Numbers are real numbers with the format '0.00' (Excel shows them with the reader's decimal comma).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.models import AdministrativeUnit

from .models import Criterion, LeafScore
from .selectors import ranking

SCORE_FORMAT = "0.00"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def _safe_text(value):
    """Text cells never start a formula (no formula injection from a typed comment)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


class SheetWriter:
    """A write-only sheet with a bold frozen header, autofilter and column widths."""

    def __init__(self, workbook, title, columns):
        """``columns``: list of (header, width)."""
        self.sheet = workbook.create_sheet(title=title[:31])
        self.columns = columns
        for index, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.rows = 0
        header = []
        for name, _width in columns:
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            header.append(cell)
        self.sheet.append(header)

    def append(self, values, *, score_columns=(), wrap_columns=()):
        cells = []
        for index, value in enumerate(values):
            if isinstance(value, str):
                value = _safe_text(value)
            cell = WriteOnlyCell(self.sheet, value=float(value) if index in score_columns and value is not None else value)
            if index in score_columns:
                cell.number_format = SCORE_FORMAT
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            if index in wrap_columns:
                cell.alignment = WRAP
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1

    def close(self):
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _field_order(code):
    return [int(part) if part.isdigit() else 0 for part in code.split(".")]


def ranking_workbook(scope_unit, year, out, *, progress=None):
    """Write the consolidated ranking workbook of ``scope_unit``'s communes for ``year`` to ``out``."""
    progress = progress or (lambda percent: None)
    rows = ranking(scope_unit, year)
    assessments = [row["assessment"] for row in rows]
    set_ids = {a.criteria_set_id for a in assessments}
    criteria = list(Criterion.objects.filter(criteria_set_id__in=set_ids).order_by("criteria_set_id", "position"))
    fields = {}
    for criterion in criteria:
        if criterion.level == "field":
            fields.setdefault(criterion.code, criterion.name_vi)
    field_codes = sorted(fields, key=_field_order)
    progress(10)

    workbook = Workbook(write_only=True)
    header = [("Hạng", 7), ("Mã", 8), ("Đơn vị", 28)]
    header += [(f"LV {code}", 9) for code in field_codes]
    header += [("Tự đánh giá", 11), ("Thẩm định", 11), ("Thưởng", 9), ("Trừ", 9), ("Tổng điểm", 11),
               ("Xếp loại", 13), ("Tăng/giảm điểm", 11), ("Tăng/giảm hạng", 11)]
    sheet = SheetWriter(workbook, "Xếp hạng", header)
    first_score = 3
    score_columns = set(range(first_score, first_score + len(field_codes) + 5)) | {len(header) - 2}
    for row in rows:
        a = row["assessment"]
        values = [row["rank"], a.unit.code, a.unit.name]
        values += [(a.field_totals.get(code) or {}).get("appraised") for code in field_codes]
        values += [a.self_total, a.appraised_total, a.bonus, a.penalty, a.final, a.classification,
                   row["score_change"], row["rank_change"] if row["rank_change"] is not None else None]
        sheet.append(values, score_columns=score_columns)
    sheet.close()
    progress(30)

    # Leaf scores by field: one query, streamed.
    order = {a.pk: index for index, a in enumerate(assessments)}
    leaves_by_field = {code: {} for code in field_codes}
    deductions = []
    leaf_columns = {}
    queryset = (LeafScore.objects.filter(assessment__in=assessments)
                .select_related("criterion").order_by("assessment_id", "criterion__position"))
    for leaf in queryset.iterator(chunk_size=2000):
        field = leaf.criterion.field_code
        if field not in leaves_by_field:
            continue
        leaf_columns.setdefault(field, {})[leaf.criterion.code] = leaf.criterion.max_score
        score = None if leaf.not_applicable else leaf.appraised
        leaves_by_field[field].setdefault(leaf.assessment_id, {})[leaf.criterion.code] = score
        if not leaf.not_applicable and leaf.appraised is not None and leaf.deducted > 0:
            deductions.append((order[leaf.assessment_id], leaf))
    progress(60)

    by_pk = {a.pk: a for a in assessments}
    for code in field_codes:
        codes = sorted(leaf_columns.get(code, {}), key=_field_order)
        sheet = SheetWriter(workbook, f"LV {code}", [("Mã", 8), ("Đơn vị", 28)]
                            + [(f"{c} (/{leaf_columns[code][c].normalize()})", 10) for c in codes] + [("Cộng", 9)])
        for row in rows:
            scores = leaves_by_field[code].get(row["assessment"].pk, {})
            values = [row["unit"].code, row["unit"].name] + [scores.get(c) for c in codes]
            values.append(sum((s for s in scores.values() if s is not None), 0))
            sheet.append(values, score_columns=set(range(2, len(values))))
        sheet.close()
    progress(80)

    sheet = SheetWriter(workbook, "Điểm bị trừ", [
        ("Mã xã", 8), ("Đơn vị", 24), ("TT", 8), ("Lĩnh vực/tiêu chí/tiêu chí thành phần", 45), ("Điểm chuẩn", 9),
        ("Tự đánh giá", 9), ("Thẩm định", 9), ("Bị trừ", 9), ("Ý kiến Hội đồng thẩm định", 50),
        ("Người chịu trách nhiệm, biện pháp khắc phục", 50), ("Thời hạn", 24)])
    for _position, leaf in sorted(deductions, key=lambda item: item[0]):
        unit = by_pk[leaf.assessment_id].unit
        remedy = " — ".join(part for part in (leaf.responsible, leaf.remediation) if part)
        deadlines = "; ".join(f"{d:%d/%m/%Y} (đợt {i})" for i, d in enumerate(leaf.deadline_dates, start=1))
        sheet.append([unit.code, unit.name, leaf.criterion.code, leaf.criterion.name_vi, leaf.criterion.max_score,
                      leaf.self_score, leaf.appraised, -leaf.deducted, leaf.council_comment, remedy, deadlines],
                     score_columns={4, 5, 6, 7}, wrap_columns={3, 8, 9})
    sheet.close()
    workbook.save(out)
    progress(100)
    return len(rows)


def indicator_matrix_workbook(scope_unit, period, out, *, progress=None):
    """Communes × indicator codes of the statistics appendix for ``period`` (catalogue selectors, lazily)."""
    progress = progress or (lambda percent: None)
    from reports.models import Report

    try:
        from ..appendix.selectors import catalogue_for_year, catalogue_indicators, indicator_values
    except ImportError as error:
        raise RuntimeError("Danh mục chỉ tiêu thống kê chưa sẵn sàng.") from error
    communes = list(AdministrativeUnit.objects.communes().below(scope_unit)
                    .valid_on(period.reference_date).order_by("code"))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=communes)}
    values = indicator_values([r.pk for r in reports.values()]) or {}
    indicators = [i for i in catalogue_indicators(catalogue_for_year(period.year))
                  if getattr(i, "value_type", "") != "group"]
    progress(40)
    codes = [i.code for i in indicators]
    names = {i.code: f"{i.name_vi}" + (f" ({i.unit_vi})" if getattr(i, "unit_vi", "") else "") for i in indicators}
    workbook = Workbook(write_only=True)
    sheet = SheetWriter(workbook, "Chỉ tiêu", [("Mã", 8), ("Đơn vị", 28), ("Trạng thái", 12)]
                        + [(code, 10) for code in codes])
    for commune in communes:
        report = reports.get(commune.pk)
        row_values = values.get(report.pk, {}) if report is not None else {}
        cells = [commune.code, commune.name, report.get_status_display() if report else "Chưa có báo cáo"]
        for code in codes:
            value = row_values.get(code)
            cells.append(float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
                         else value)
        sheet.append(cells)
    sheet.close()
    legend = SheetWriter(workbook, "Chú giải", [("Mã", 10), ("Chỉ tiêu", 80)])
    for code in codes:
        legend.append([code, names.get(code, "")], wrap_columns={1})
    legend.close()
    workbook.save(out)
    progress(100)
    return len(communes)
