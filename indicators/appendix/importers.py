"""Loading the Phụ lục 01b catalogue from CSV/Excel: the ``load_indicators`` command, the demo and
the admin import (django-import-export) share one row validation.

Two phases, as every import here: every row is checked first and each problem is reported as
"Dòng 7, cột “value_type”: …" (line 1 is the header); only a file without problems is saved, in one
short transaction. A file with any error saves nothing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.db import transaction
from import_export import fields, resources, widgets

from reports import limits

from . import values as checks
from .models import Indicator, IndicatorCatalogue, IndicatorValue

DEFAULT_FILE = Path(__file__).parent / "data" / "indicators-01b.csv"
COLUMNS = ("code", "parent", "name_vi", "unit_vi", "value_type", "choices", "note", "source", "rule")
REQUIRED_COLUMNS = ("code", "parent", "name_vi", "value_type")
DEFAULT_NAME = "Phụ lục 01b — Thống kê số liệu kết quả thực hiện công tác CCHC cấp xã"


class CatalogueImportError(Exception):
    """A catalogue file with problems; ``problems`` lists "Dòng N, cột “X”: …" lines. Nothing was saved."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems


def line_of(index):
    """Spreadsheet line of the data row ``index`` (0-based): the header is line 1."""
    return index + 2


def read_rows(source, filename=""):
    """Rows (dicts of stripped strings) of a CSV (UTF-8, with or without BOM) or XLSX file.

    ``source``: a path, bytes, or a text/binary file object. A file that cannot be read, or is over
    the upload limits (``reports.limits``: size, rows, columns), raises CatalogueImportError."""
    if isinstance(source, str | Path):
        filename = filename or str(source)
        source = Path(source).read_bytes()
    elif hasattr(source, "read"):
        source = source.read()
    try:
        limits.check_size(len(source))
    except limits.Refused as refused:
        raise CatalogueImportError([str(p) for p in refused.problems]) from refused
    if str(filename).lower().endswith(".xlsx"):
        table = _xlsx_table(source)
    else:
        try:
            text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
            table = _bounded(csv.reader(io.StringIO(text)))
        except UnicodeDecodeError as error:
            raise CatalogueImportError(["Tệp CSV phải được mã hóa UTF-8."]) from error
        except csv.Error as error:
            raise CatalogueImportError(["Không đọc được tệp CSV (có ô quá dài hoặc sai định dạng CSV)."]) from error
    if not table:
        return []
    header = [h.strip() for h in table[0]]
    rows = []
    for values in table[1:]:
        if not any((v or "").strip() for v in values):
            continue
        rows.append({name: (values[i] if i < len(values) else "").strip() for i, name in enumerate(header) if name})
    return rows


def _bounded(rows):
    """At most ``limits.MAX_TABLE_ROWS`` rows of at most ``limits.MAX_TABLE_COLUMNS`` cells."""
    table = []
    for row in rows:
        if len(table) > limits.MAX_TABLE_ROWS:
            raise CatalogueImportError([f"Tệp có quá nhiều dòng (tối đa {limits.MAX_TABLE_ROWS})."])
        table.append(list(row)[:limits.MAX_TABLE_COLUMNS])
    return table


def _xlsx_table(source):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(source), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds on a broken file
        raise CatalogueImportError(["Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx)."]) from error
    try:
        sheet = workbook.active or workbook.worksheets[0]
        return _bounded(["" if cell is None else str(cell) for cell in row]
                        for row in sheet.iter_rows(values_only=True, max_col=limits.MAX_TABLE_COLUMNS))
    except CatalogueImportError:
        raise
    except Exception as error:
        raise CatalogueImportError(["Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx)."]) from error
    finally:
        workbook.close()


def column_problems(row):
    """{column: message} of the values the Indicator columns cannot hold (length, NUL)."""
    problems = {}
    for column in COLUMNS:
        value = row.get(column)
        if value:
            field = limits.model_field(Indicator, column if column != "parent" else "code")
            problem = limits.check_value(field, value, column)
            if problem is not None:
                problems[column] = problem.message
    return problems


def validate_rows(rows, *, known_codes=()):
    """{row index: {column: [message]}} for every problem of ``rows`` (codes in ``known_codes``
    may be referred to as parents or in rules without being in the file)."""
    errors: dict[int, dict[str, list[str]]] = {}

    def add(index, column, message):
        errors.setdefault(index, {}).setdefault(column, []).append(message)

    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        for column in missing:
            add(0, column, f"Thiếu cột “{column}” trong dòng tiêu đề.")
        if missing:
            return errors
    seen: dict[str, int] = {}
    kinds = {}
    for index, row in enumerate(rows):
        code = row.get("code", "")
        if not code:
            add(index, "code", "Chưa có mã chỉ tiêu.")
        elif not checks.CODE_RE.match(code):
            add(index, "code", f"Mã “{code}” không hợp lệ (dạng 1, 1.2, 7.2.3.a).")
        elif code in seen:
            add(index, "code", f"Mã {code} trùng với dòng {line_of(seen[code])}.")
        else:
            seen[code] = index
            kinds[code] = row.get("value_type", "")
        parent = row.get("parent", "")
        if parent:
            if parent not in seen and parent not in known_codes:
                add(index, "parent", f"Chỉ tiêu cha “{parent}” chưa có ở các dòng phía trên.")
            elif code and not code.startswith(parent + "."):
                add(index, "parent", f"Mã {code} không nằm dưới chỉ tiêu cha {parent}.")
        elif code and "." in code:
            add(index, "parent", f"Chỉ tiêu {code} phải có chỉ tiêu cha.")
        if not row.get("name_vi"):
            add(index, "name_vi", "Chưa có tên chỉ tiêu.")
        for column, message in column_problems(row).items():
            add(index, column, message)
        for column, message in checks.definition_problems(
            value_type=row.get("value_type", ""), choices=row.get("choices", ""),
            source=row.get("source", ""), rule=row.get("rule", ""),
        ).items():
            add(index, column, message)
    # rules may name codes further down the file: checked once every code is known
    for index, row in enumerate(rows):
        try:
            rule = checks.parse_rule(row.get("rule", ""), row.get("code", ""))
        except ValueError:
            continue
        for code in rule.codes if rule else ():
            kind = kinds.get(code, known_codes.get(code) if isinstance(known_codes, dict) else None)
            if code not in kinds and code not in known_codes:
                add(index, "rule", f"Ràng buộc nhắc tới chỉ tiêu {code} không có trong danh mục.")
            elif kind not in (None, "count", "percent"):
                add(index, "rule", f"Ràng buộc chỉ so sánh chỉ tiêu số lượng/tỷ lệ; {code} là kiểu “{kind}”.")
    return errors


def flatten(errors, rows=None):
    """["Dòng 7, cột “value_type”: …", …] in line order."""
    lines = []
    for index in sorted(errors):
        code = (rows[index].get("code") if rows and index < len(rows) else "") or ""
        where = f"Dòng {line_of(index)}" + (f" (chỉ tiêu {code})" if code else "")
        for column, messages in errors[index].items():
            lines.extend(f"{where}, cột “{column}”: {message}" for message in messages)
    return lines


def load_catalogue(rows, *, year_from, name=DEFAULT_NAME, note=""):
    """Create or update the catalogue starting ``year_from`` from ``rows``; returns (catalogue, created, updated, deleted).

    Indicators of that catalogue missing from the file are deleted unless a report has a value
    for them (then the file is refused). Raises CatalogueImportError; nothing is saved then."""
    if not rows:
        raise CatalogueImportError(["Tệp không có dòng dữ liệu nào."])
    problems = flatten(validate_rows(rows), rows)
    if problems:  # values with NUL characters never reach a query
        raise CatalogueImportError(problems)
    catalogue = IndicatorCatalogue.objects.filter(year_from=year_from).first()
    codes = {row["code"] for row in rows}
    if catalogue is not None:
        dropped_in_use = sorted(
            IndicatorValue.objects.filter(indicator__catalogue=catalogue).exclude(indicator__code__in=codes)
            .exclude(value="").values_list("indicator__code", flat=True).distinct()
        )
        problems.extend(
            f"Chỉ tiêu {code} đã có số liệu trong báo cáo nên không thể bỏ khỏi danh mục." for code in dropped_in_use
        )
    if problems:
        raise CatalogueImportError(problems)
    with transaction.atomic():
        catalogue, _ = IndicatorCatalogue.objects.get_or_create(year_from=year_from, defaults={"name": name, "note": note})
        existing = {i.code: i for i in Indicator.objects.filter(catalogue=catalogue)}
        deleted, _ = Indicator.objects.filter(catalogue=catalogue).exclude(code__in=codes).delete()
        created, updated, by_code = 0, 0, {}
        for position, row in enumerate(rows, start=1):
            indicator = existing.get(row["code"]) or Indicator(catalogue=catalogue, code=row["code"])
            is_new = indicator.pk is None
            for column in ("name_vi", "unit_vi", "value_type", "choices", "note", "source", "rule"):
                setattr(indicator, column, row.get(column, "") or "")
            indicator.position = position * 10
            indicator.parent = by_code.get(row.get("parent")) if row.get("parent") else None
            indicator.save()
            by_code[indicator.code] = indicator
            created += is_new
            updated += not is_new
    return catalogue, created, updated, deleted


def load_default_catalogue(year_from=2015):
    """The bundled Phụ lục 01b catalogue (indicators/appendix/data/indicators-01b.csv)."""
    return load_catalogue(read_rows(DEFAULT_FILE), year_from=year_from)


class ParentWidget(widgets.ForeignKeyWidget):
    """The parent column holds a code, resolved within the catalogue being imported."""

    def __init__(self, catalogue=None):
        super().__init__(Indicator, field="code")
        self.catalogue = catalogue

    def get_queryset(self, value, row, *args, **kwargs):
        return Indicator.objects.filter(catalogue=self.catalogue)


class IndicatorResource(resources.ModelResource):
    """Admin import/export of one catalogue's indicators (columns as in indicators-01b.csv).

    The catalogue is chosen on the import form. Every row is validated before any is imported;
    a row with a problem is reported with its line and column and the whole import is rolled
    back, also on the confirm step (``rollback_on_validation_errors``)."""

    parent = fields.Field(attribute="parent", column_name="parent", widget=ParentWidget())

    class Meta:
        model = Indicator
        fields = COLUMNS
        import_id_fields = ("code",)
        export_order = COLUMNS
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, catalogue=None, **kwargs):
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.fields["parent"].widget = ParentWidget(catalogue)
        self.row_errors: dict[int, dict[str, list[str]]] = {}
        self.rows: list[dict] = []

    def get_queryset(self):
        queryset = Indicator.objects.select_related("parent").order_by("catalogue", "position")
        return queryset.filter(catalogue=self.catalogue) if self.catalogue is not None else queryset

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # one invalid row refuses the whole file, in the preview and in the confirm step alike
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
                                   collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True,
                                   **kwargs)

    def before_import(self, dataset, **kwargs):
        if self.catalogue is None:
            raise ValueError("Chưa chọn danh mục chỉ tiêu để nhập vào.")
        self.rows = [
            {column: ("" if value is None else str(value).strip()) for column, value in zip(dataset.headers, row, strict=False)}
            for row in dataset
        ]
        known = dict(Indicator.objects.filter(catalogue=self.catalogue).values_list("code", "value_type"))
        self.row_errors = validate_rows(self.rows, known_codes=known)

    def import_instance(self, instance, row, **kwargs):
        from django.core.exceptions import ValidationError

        index = kwargs.get("row_number", 1) - 1
        problems = self.row_errors.get(index)
        if problems:
            code = row.get("code") or ""
            where = f"Dòng {line_of(index)}" + (f" (chỉ tiêu {code})" if code else "")
            raise ValidationError({
                column if column in COLUMNS else "code": [f"{where}, cột “{column}”: {m}" for m in messages]
                for column, messages in problems.items()
            })
        super().import_instance(instance, row, **kwargs)
        instance.catalogue = self.catalogue
        instance.position = line_of(index) * 10

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)
